package io.baystack.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.net.SocketException;
import java.sql.SQLException;

import org.hibernate.HibernateException;
import org.hibernate.exception.JDBCConnectionException;
import org.junit.jupiter.api.Test;

import io.vertx.core.VertxException;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.core.impl.NoStackTraceThrowable;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import io.baystack.support.FastTier;

/** Which failures count as "the database is unavailable" (a 503), and that the others do not. */
@FastTier
class DatabaseFaultsTest {

    @Test
    void theFailuresOfAServerThatIsDownOrGoingDown() {
        assertThat(DatabaseFaults.unavailable(new ConnectException("Connection refused: /127.0.0.1:5439"))).isTrue();
        assertThat(DatabaseFaults.unavailable(new HibernateException(new SocketException("Connection reset")))).isTrue();
        assertThat(DatabaseFaults.unavailable(new HibernateException(ClosedConnectionException.INSTANCE))).isTrue();
        assertThat(DatabaseFaults.unavailable(pg("57P01", "terminating connection due to administrator command"))).isTrue();
        assertThat(DatabaseFaults.unavailable(pg("57P03", "the database system is shutting down"))).isTrue();
        assertThat(DatabaseFaults.unavailable(new JDBCConnectionException("error executing SQL statement",
                new SQLException("connection failure", "08006")))).isTrue();
        assertThat(DatabaseFaults.unavailable(new NoStackTraceThrowable("Timeout"))).isTrue();
        assertThat(DatabaseFaults.unavailable(new VertxException("Timeout waiting for connection", true))).isTrue();
        assertThat(DatabaseFaults.unavailable(new ConnectionPoolTooBusyException("max wait queue size of 1000"))).isTrue();
    }

    @Test
    void everythingElseIsNot() {
        assertThat(DatabaseFaults.unavailable(new IllegalStateException("Timeout"))).isFalse();
        assertThat(DatabaseFaults.unavailable(new NoStackTraceThrowable("something else"))).isFalse();
        assertThat(DatabaseFaults.unavailable(pg("23505", "duplicate key value violates unique constraint"))).isFalse();
        assertThat(DatabaseFaults.unavailable(pg("08P01", "protocol violation"))).isFalse();
        assertThat(DatabaseFaults.unavailable(new HibernateException(new SQLException("syntax", "42601")))).isFalse();
        assertThat(DatabaseFaults.unavailable(new RuntimeException((Throwable) null))).isFalse();
    }

    private static PgException pg(String sqlState, String message) {
        return new PgException(message, "FATAL", sqlState, null);
    }
}
