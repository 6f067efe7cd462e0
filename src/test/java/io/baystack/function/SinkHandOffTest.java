package io.baystack.function;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

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
import io.restassured.path.json.JsonPath;

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
        String uuid = Api.createBay(name, Api.createBaymodel(Api.unique("sink"), "fedora-atomic"), 1);

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
}
