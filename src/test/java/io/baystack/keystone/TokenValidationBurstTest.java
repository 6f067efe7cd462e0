package io.baystack.keystone;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import io.baystack.support.LocalCloud;
import io.baystack.support.Metrics;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A burst of requests carrying one token baystack has not seen yet (a client starting up, a CLI
 * script in a loop, a dashboard opening its panes) is one validation at the real local Keystone,
 * not one per request: the first request asks, the others wait for its answer. Counted by
 * baystack's own metric of its Keystone calls.
 */
@QuarkusTest
class TokenValidationBurstTest {

    private static final int BURST = 16;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TestHTTPResource("/v1/bays")
    URI bays;

    @Test
    void aBurstWithANewTokenIsOneValidationAndEveryRequestIsServed() {
        String token = LocalCloud.freshToken(LocalCloud.DEMO).id();
        double before = validations("outcome=\"success\"");

        List<Integer> statuses = burst(token);

        assertThat(statuses).as("answers to %d requests with one new token", BURST).containsOnly(200).hasSize(BURST);
        assertThat(validations("outcome=\"success\"") - before).as("validations of that token at Keystone").isEqualTo(1);
    }

    @Test
    void aBurstWithAnUnknownTokenIsRefusedEveryTimeAfterFewValidations() {
        // a refusal is not cached (the token might be valid at the next ask), so only requests that
        // overlap share a validation; the burst's requests are sent together, so most of them overlap
        String token = "gAAAAAB" + UUID.randomUUID().toString().replace("-", "");
        double before = validations("call=\"validate\"");

        List<Integer> statuses = burst(token);

        assertThat(statuses).as("answers to %d requests with an unknown token", BURST).containsOnly(401).hasSize(BURST);
        assertThat(validations("call=\"validate\"") - before).as("validations of that token at Keystone")
                .isGreaterThanOrEqualTo(1.0).isLessThan(BURST / 2.0);
    }

    private List<Integer> burst(String token) {
        List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
        for (int i = 0; i < BURST; i++) {
            sent.add(HTTP.sendAsync(HttpRequest.newBuilder(bays).header("X-Auth-Token", token)
                    .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofString()));
        }
        return sent.stream().map(CompletableFuture::join).map(HttpResponse::statusCode).toList();
    }

    /** Validate calls baystack made to Keystone whose labels include {@code label}. */
    private static double validations(String label) {
        return Metrics.sum(Metrics.scrape(), "baystack_keystone_calls_total", "call=\"validate\"", label);
    }
}
