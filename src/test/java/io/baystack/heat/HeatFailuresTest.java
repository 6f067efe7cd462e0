package io.baystack.heat;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.baystack.keystone.KeystoneException;

/**
 * Which failures prove Heat did nothing with a request (a create's claim may be given back) and which
 * may have been applied (the claim stays, the next try looks the stack up by name first).
 */
class HeatFailuresTest {

    private static final String HEAT_BODY = "{\"code\": %d, \"title\": \"Error\", \"explanation\": \"Heat failed\","
            + " \"error\": {\"message\": \"Heat's own message\", \"type\": \"Error\"}}";
    private static final String GATEWAY_PAGE = "<html><body><h1>Bad Gateway</h1></body></html>";

    private final HeatFailures failures = new HeatFailures(new ObjectMapper(), Duration.ofSeconds(3));

    @ParameterizedTest
    @ValueSource(ints = {500, 501, 503})
    void heatsOwnErrorAnswerProvesNothingWasDone(int status) {
        HeatException e = failures.answered(status, HEAT_BODY.formatted(status));

        assertThat(e.kind()).isEqualTo(HeatException.Kind.UNAVAILABLE);
        assertThat(e.maybeApplied()).isFalse();
        assertThat(e.getMessage()).isEqualTo("Heat answered " + status + ": Heat's own message");
    }

    @ParameterizedTest
    @ValueSource(ints = {502, 504})
    void aGatewayOrTimeoutAnswerMayHaveBeenApplied(int status) {
        assertThat(failures.answered(status, GATEWAY_PAGE).maybeApplied()).isTrue();
        // even in Heat's format: whatever sent it stands between baystack and heat-api
        assertThat(failures.answered(status, HEAT_BODY.formatted(status)).maybeApplied()).isTrue();
        assertThat(failures.answered(status, null).maybeApplied()).isTrue();
    }

    @Test
    void a500PageThatIsNotHeatsMayHaveBeenApplied() {
        assertThat(failures.answered(500, GATEWAY_PAGE).maybeApplied()).isTrue();
        assertThat(failures.answered(500, "").maybeApplied()).isTrue();
    }

    @Test
    void aRateLimitRefusalWasNotApplied() {
        HeatException e = failures.answered(429, "Too Many Requests");

        assertThat(e.kind()).isEqualTo(HeatException.Kind.UNAVAILABLE);
        assertThat(e.maybeApplied()).isFalse();
    }

    @Test
    void refusalsAndConflictsKeepTheirKinds() {
        assertThat(failures.answered(400, HEAT_BODY.formatted(400)).kind()).isEqualTo(HeatException.Kind.REJECTED);
        assertThat(failures.answered(404, null).getMessage()).startsWith("404");
        assertThat(failures.answered(409, "{\"explanation\": \"The Stack (x) already exists.\"}").kind())
                .isEqualTo(HeatException.Kind.CONFLICT);
        assertThat(failures.answered(409, "{\"explanation\": \"in progress\"}").kind()).isEqualTo(HeatException.Kind.BUSY);
    }

    @Test
    void aConnectionNeverMadeWasNotApplied() {
        IOException wrapped = new IOException("connect failed", new ConnectException("Connection refused"));

        assertThat(failures.translate(wrapped).maybeApplied()).isFalse();
        assertThat(failures.translate(new ConnectException("Connection refused")).maybeApplied()).isFalse();
        // no endpoint to send to: Keystone could not say where Heat is
        assertThat(failures.translate(new KeystoneException(KeystoneException.Kind.UNAVAILABLE, "no catalog"))
                .maybeApplied()).isFalse();
    }

    @Test
    void noAnswerAfterTheRequestWentOutMayHaveBeenApplied() {
        assertThat(failures.translate(new TimeoutException()).maybeApplied()).isTrue();
        assertThat(failures.translate(new IOException("Connection reset by peer")).maybeApplied()).isTrue();
        assertThat(failures.translate(new IllegalStateException("Connection was closed")).maybeApplied()).isTrue();
    }
}
