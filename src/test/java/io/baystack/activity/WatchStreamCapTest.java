package io.baystack.activity;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.baystack.support.Api;
import io.baystack.support.FullStandIns;
import io.baystack.support.LocalCloud;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** Watch streams per process are capped (3 in the test profile); the held ones still deliver. */
@QuarkusTest
@TestProfile(FullStandIns.class)
class WatchStreamCapTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/")
    URL base;

    @Inject
    WatchHub hub;

    @Test
    void oneStreamBeyondTheCapIs429AndTheOpenOnesStillDeliver() throws Exception {
        // a bay that stays in CREATE_IN_PROGRESS: its streams stay open until watch-max (5 s here)
        String model = Api.createBaymodel(Api.unique("cap"), "stand-in-hang");
        String uuid = Api.createBay(Api.unique("cap"), model, 1);
        HttpClient client = HttpClient.newHttpClient();
        List<HttpResponse<java.util.stream.Stream<String>>> held = new ArrayList<>();
        try {
            // the answer's head comes once the stream's place is taken
            for (int i = 0; i < 3; i++) {
                HttpResponse<java.util.stream.Stream<String>> open = client.send(watch(uuid), HttpResponse.BodyHandlers.ofLines());
                assertThat(open.statusCode()).isEqualTo(200);
                held.add(open);
            }
            assertThat(hub.open()).isEqualTo(3);
            HttpResponse<String> refused = client.send(watch(uuid), HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).isEqualTo(429);
            assertThat(refused.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
            JsonNode error = JSON.readTree(refused.body()).path("errors").path(0);
            assertThat(error.path("status").asInt()).isEqualTo(429);
            assertThat(error.path("code").asText()).isEqualTo("client");
            assertThat(error.path("detail").asText()).startsWith("Too many watch streams are open (at most 3)");
            // every held stream gets the bay's first event from the shared look
            for (HttpResponse<java.util.stream.Stream<String>> open : held) {
                String first = open.body().filter(line -> line.startsWith("data:")).findFirst().orElseThrow();
                assertThat(JSON.readTree(first.substring("data:".length())).path("kind").asText()).isEqualTo("accepted");
            }
        } finally {
            held.forEach(open -> open.body().close());
        }
        // places come back when streams end (client gone, or watch-max): a new stream is served again
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> hub.open() == 0);
        HttpResponse<java.util.stream.Stream<String>> again = client.send(watch(uuid), HttpResponse.BodyHandlers.ofLines());
        assertThat(again.statusCode()).isEqualTo(200);
        again.body().close();
        Api.asDemo().delete("/v1/bays/" + uuid).then().statusCode(204);
    }

    private HttpRequest watch(String uuid) throws Exception {
        return HttpRequest.newBuilder(base.toURI().resolve("/v1/bays/" + uuid + "/events/watch"))
                .header("X-Auth-Token", LocalCloud.token(LocalCloud.DEMO).id())
                .header("Accept", "text/event-stream").timeout(Duration.ofSeconds(30)).GET().build();
    }
}
