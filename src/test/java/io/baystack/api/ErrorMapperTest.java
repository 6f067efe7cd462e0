package io.baystack.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.util.concurrent.TimeoutException;

import jakarta.ws.rs.ProcessingException;

import org.junit.jupiter.api.Test;

import io.vertx.sqlclient.ClosedConnectionException;

/** Which outage a failure is (plain JUnit: the mapping only, no Quarkus). */
class ErrorMapperTest {

    @Test
    void aRefusedConnectionOfTheDatabaseClientIsADatabaseOutage() {
        // what the reactive PostgreSQL client fails with when nothing listens, possibly wrapped by Hibernate
        ConnectException refused = new ConnectException("Connection refused: /127.0.0.1:5432");
        assertThat(ErrorMapper.outage(refused)).isEqualTo(ErrorMapper.Outage.DATABASE);
        assertThat(ErrorMapper.outage(new RuntimeException("HR000057", refused))).isEqualTo(ErrorMapper.Outage.DATABASE);
        assertThat(ErrorMapper.outage(ClosedConnectionException.INSTANCE)).isEqualTo(ErrorMapper.Outage.DATABASE);
    }

    @Test
    void aRefusedConnectionOfAServiceClientIsThatServicesOutage() {
        // the REST clients (Heat, Keystone) wrap what their connection met in a ProcessingException
        ConnectException refused = new ConnectException("Connection refused: /127.0.0.1:8004");
        assertThat(ErrorMapper.outage(new ProcessingException(refused))).isEqualTo(ErrorMapper.Outage.SERVICE);
        assertThat(ErrorMapper.outage(new RuntimeException(new ProcessingException(refused))))
                .isEqualTo(ErrorMapper.Outage.SERVICE);
        assertThat(ErrorMapper.outage(new TimeoutException())).isEqualTo(ErrorMapper.Outage.SERVICE);
        assertThat(ErrorMapper.Outage.SERVICE.detail).doesNotContain("database");
    }

    @Test
    void otherFailuresAreNoOutage() {
        assertThat(ErrorMapper.outage(new IllegalStateException("bug"))).isNull();
        assertThat(ErrorMapper.outage(new ProcessingException(new IOException("bad payload")))).isNull();
    }
}
