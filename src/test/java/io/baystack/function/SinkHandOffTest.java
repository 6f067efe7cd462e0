package io.baystack.function;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.baystack.bay.Bay;
import io.baystack.conductor.BayHandOff;
import io.baystack.support.Api;
import io.baystack.support.LocalCloud;
import io.baystack.support.RecordedSpans;
import io.baystack.support.RecordingBroker;
import io.baystack.support.Rows;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

/**
 * The Knative way of handing a bay over: the API POSTs a CloudEvent to its sink (a Broker, played
 * here by a recording stand-in that delivers like a Trigger), the Heat function gets it on
 * {@code /functions/heat}. The event carries the bay, the operation and the request id.
 */
@QuarkusTest
@TestProfile(RecordingBroker.Profile.class)
class SinkHandOffTest {

    @Inject
    Rows rows;

    @Test
    void anAcceptedBayReachesTheHeatFunctionAsACloudEventThroughTheBroker() throws Exception {
        RecordingBroker.get().subscriber("http://127.0.0.1:" + RestAssured.port + "/functions/heat");
        String name = Api.unique("sink");
        String uuid = Api.createBay(name, Api.createBaymodel(Api.unique("sink"), "debian-12"), 1);

        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> RecordingBroker.get().received().stream()
                .anyMatch(r -> r.body().contains(uuid)));
        RecordingBroker.Received event = RecordingBroker.get().received().stream()
                .filter(r -> r.body().contains(uuid)).findFirst().orElseThrow();
        assertThat(event.attributes()).containsEntry("ce-specversion", "1.0").containsEntry("ce-type", BayHandOff.EVENT_TYPE)
                .containsEntry("ce-source", "/baystack/api").containsEntry("ce-subject", uuid).containsKey("ce-id");
        JsonNode data = new ObjectMapper().readTree(event.body());
        assertThat(data.path("bay_uuid").asText()).isEqualTo(uuid);
        assertThat(data.path("operation").asText()).isEqualTo("create");
        assertThat(data.path("request_id").asText()).startsWith("req-");

        JsonPath bay = Api.awaitFinal(uuid);
        assertThat(bay.getString("status")).isEqualTo("CREATE_COMPLETE");
        assertThat(LocalCloud.stacksNamed(LocalCloud.token(LocalCloud.DEMO), Bay.stackNameFor(name, uuid))).hasSize(1);

        // the Heat function's work continues the trace the event carries, under the API's PRODUCER span
        String traceId = data.path("traceparent").asText().split("-")[1];
        assertThat(traceId).isEqualTo(((String) rows.byUuid("bay", uuid).get("trace_parent")).split("-")[1]);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> RecordedSpans.ofTrace(traceId).stream()
                .anyMatch(s -> s.getName().equals("heat-function create")));
        List<SpanData> trace = RecordedSpans.ofTrace(traceId);
        SpanData publish = trace.stream().filter(s -> s.getName().equals("bay-handoff publish")).findFirst().orElseThrow();
        assertThat(trace).as("spans %s", trace.stream().map(SpanData::getName).toList())
                .anyMatch(s -> s.getName().equals("heat-function create") && s.getKind() == SpanKind.CONSUMER
                        && s.getParentSpanId().equals(publish.getSpanId()));

        // the notifications of the bay's create, to the same broker: started, then ended, with the bay's view
        Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> RecordingBroker.get().received().stream()
                .anyMatch(r -> "io.baystack.bay.create.end".equals(r.attributes().get("ce-type"))
                        && uuid.equals(r.attributes().get("ce-subject"))));
        List<String> types = RecordingBroker.get().received().stream()
                .filter(r -> uuid.equals(r.attributes().get("ce-subject")) && !BayHandOff.EVENT_TYPE.equals(r.attributes().get("ce-type")))
                .map(r -> r.attributes().get("ce-type")).toList();
        assertThat(types).containsExactly("io.baystack.bay.create.start", "io.baystack.bay.create.end");
        JsonNode end = new ObjectMapper().readTree(RecordingBroker.get().received().stream()
                .filter(r -> "io.baystack.bay.create.end".equals(r.attributes().get("ce-type"))
                        && uuid.equals(r.attributes().get("ce-subject"))).findFirst().orElseThrow().body());
        assertThat(end.path("uuid").asText()).isEqualTo(uuid);
        assertThat(end.path("name").asText()).isEqualTo(name);
        assertThat(end.path("status").asText()).isEqualTo("CREATE_COMPLETE");
        assertThat(end.path("stack_id").asText()).isEqualTo(bay.getString("stack_id"));
        assertThat(end.has("trust_id")).as("no internals").isFalse();

        // a delete's: started, and ended once the bay is gone (the last word on it outlives its row)
        Api.asDemo().delete("/v1/bays/" + uuid).then().statusCode(204);
        Awaitility.await().atMost(Duration.ofMinutes(2)).until(() -> RecordingBroker.get().received().stream()
                .anyMatch(r -> "io.baystack.bay.delete.end".equals(r.attributes().get("ce-type"))
                        && uuid.equals(r.attributes().get("ce-subject"))));
        assertThat(RecordingBroker.get().received().stream()
                .filter(r -> uuid.equals(r.attributes().get("ce-subject")) && !BayHandOff.EVENT_TYPE.equals(r.attributes().get("ce-type")))
                .map(r -> r.attributes().get("ce-type")).toList()).containsExactly("io.baystack.bay.create.start",
                        "io.baystack.bay.create.end", "io.baystack.bay.delete.start", "io.baystack.bay.delete.end");
        Api.asDemo().get("/v1/bays/" + uuid).then().statusCode(404);
    }

    @Test
    void aTokenKeystoneNoLongerTakesBeforeTheHeatFunctionMadeTheTrustFailsTheBayAndBuildsNothing() {
        // the Trigger holds the event for now: this test delivers it, after the token is gone
        RecordingBroker.get().subscriber(null);
        LocalCloud.Token token = LocalCloud.freshToken(LocalCloud.DEMO);
        String name = Api.unique("revoked");
        String uuid = accepted(token, name);
        // at rest the token is sealed to the bay: no column shows it, no trust exists yet
        Map<String, Object> row = rows.byUuid("bay", uuid);
        assertThat(row.get("trustor_token")).asString().startsWith("gcm1:");
        assertThat(row.values()).as("the token in no column in clear").noneMatch(v -> v != null && v.toString().contains(token.id()));
        assertThat(row.get("trust_id")).isNull();

        LocalCloud.revoke(token);
        assertThat(deliver(uuid).getString("status")).isEqualTo("CREATE_FAILED");

        Api.asDemo().get("/v1/bays/" + uuid).then().statusCode(200).body("status", org.hamcrest.Matchers.equalTo("CREATE_FAILED"))
                .body("status_reason", org.hamcrest.Matchers.containsString("no longer accepts the token of the request"));
        Map<String, Object> failed = rows.byUuid("bay", uuid);
        assertThat(failed.get("trustor_token")).as("the token is dropped with the bay's failure").isNull();
        assertThat(failed.get("trust_id")).isNull();
        assertThat(LocalCloud.stacksNamed(LocalCloud.token(LocalCloud.DEMO), Bay.stackNameFor(name, uuid))).isEmpty();
        // a failed bay deletes at once: it never had a trust, so never a stack
        Api.asDemo().delete("/v1/bays/" + uuid).then().statusCode(204);
        deliver(uuid);
        Api.asDemo().get("/v1/bays/" + uuid).then().statusCode(404);
    }

    @Test
    void aTokenWhoseLifetimeEndedBeforeTheHeatFunctionCameFailsTheBaySayingWhen() {
        RecordingBroker.get().subscriber(null);
        String name = Api.unique("expired");
        String uuid = accepted(LocalCloud.token(LocalCloud.DEMO), name);
        // the time between the 202 and the function, staged as longer than the token's lifetime
        rows.execute("update bay set trustor_expires_at = now() - interval '1 minute' where uuid = $1", uuid);

        assertThat(deliver(uuid).getString("status")).isEqualTo("CREATE_FAILED");
        Api.asDemo().get("/v1/bays/" + uuid).then().statusCode(200)
                .body("status_reason", org.hamcrest.Matchers.containsString("expired at"))
                .body("status_reason", org.hamcrest.Matchers.containsString("Create the bay again"));
        assertThat(rows.byUuid("bay", uuid).get("trustor_token")).isNull();
        assertThat(LocalCloud.stacksNamed(LocalCloud.token(LocalCloud.DEMO), Bay.stackNameFor(name, uuid))).isEmpty();
    }

    @Test
    void aSealedTokenThatDoesNotOpenFailsTheBayAndItsDeleteNeedsNoTrust() {
        RecordingBroker.get().subscriber(null);
        String name = Api.unique("unopened");
        String uuid = accepted(LocalCloud.token(LocalCloud.DEMO), name);
        // another bay's sealed token copied onto this row: bound to the other bay, it does not open here
        String other = accepted(LocalCloud.token(LocalCloud.DEMO), Api.unique("other"));
        rows.execute("update bay set trustor_token = (select trustor_token from bay where uuid = $1) where uuid = $2", other, uuid);

        assertThat(deliver(uuid).getString("status")).isEqualTo("CREATE_FAILED");
        Api.asDemo().get("/v1/bays/" + uuid).then().statusCode(200)
                .body("status_reason", org.hamcrest.Matchers.startsWith("A stored secret cannot be read"));
        assertThat(rows.byUuid("bay", uuid).get("trustor_token")).isNull();
        assertThat(LocalCloud.stacksNamed(LocalCloud.token(LocalCloud.DEMO), Bay.stackNameFor(name, uuid))).isEmpty();
        // the other one, deleted before the Heat function came: goes at once, having no stack
        Api.asDemo().delete("/v1/bays/" + other).then().statusCode(204);
        deliver(other);
        Api.asDemo().get("/v1/bays/" + other).then().statusCode(404);
        Api.asDemo().delete("/v1/bays/" + uuid).then().statusCode(204);
        deliver(uuid);
        Api.asDemo().get("/v1/bays/" + uuid).then().statusCode(404);
    }

    private static String accepted(LocalCloud.Token token, String name) {
        String model = Api.createBaymodel(Api.unique("trustor"), "debian-12");
        return RestAssured.given().header("X-Auth-Token", token.id()).contentType(ContentType.JSON)
                .header("OpenStack-API-Version", "container-infra latest")
                .body(Map.of("name", name, "baymodel_id", model, "node_count", 1))
                .post("/v1/bays").then().statusCode(202).extract().path("uuid");
    }

    /** Delivers the bay's last recorded hand-off to the Heat function, as the Trigger does; its answer. */
    private static JsonPath deliver(String uuid) {
        RecordingBroker.Received event = Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> RecordingBroker.get()
                .received().stream().filter(r -> uuid.equals(r.attributes().get("ce-subject"))
                        && BayHandOff.EVENT_TYPE.equals(r.attributes().get("ce-type")))
                .reduce((a, b) -> b), java.util.Optional::isPresent).orElseThrow();
        RequestSpecification request = RestAssured.given().contentType(ContentType.JSON).body(event.body());
        event.attributes().forEach((k, v) -> {
            if (k.startsWith("ce-")) {
                request.header(k, v);
            }
        });
        return request.post("/functions/heat").then().statusCode(200).extract().jsonPath();
    }
}
