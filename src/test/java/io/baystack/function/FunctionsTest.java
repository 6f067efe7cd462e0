package io.baystack.function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.baystack.bay.Bay;
import io.baystack.support.Api;
import io.baystack.support.LocalCloud;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;

/**
 * The functions as Knative runs them: nothing happens in the process by itself (no local hand-off,
 * no reconciler timer); the work arrives as CloudEvents over HTTP, binary and structured, as Knative
 * Eventing delivers them, and a redelivered event does no harm. Real Keystone and Heat.
 */
@QuarkusTest
@TestProfile(FunctionsTest.AsKnative.class)
class FunctionsTest {

    public static class AsKnative implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("baystack.functions.enabled", "true",
                    "baystack.handoff.mode", "none",
                    "baystack.reconciler.interval", "off");
        }
    }

    @Test
    void aBayIsBuiltByCloudEventsAloneAndARedeliveryMakesNoSecondStack() throws Exception {
        String name = Api.unique("fn");
        String uuid = Api.createBay(name, Api.createBaymodel(Api.unique("fn"), "debian-12"), 1);
        // a positive control: a second bay, accepted after this one, handed over explicitly and answered
        // once Heat took its stack. Anything in the API process that would hand the first bay over by
        // itself would have done so by then, in Heat as in the row
        String control = Api.unique("fn-control");
        String controlUuid = Api.createBay(control, Api.createBaymodel(Api.unique("fn-control"), "debian-12"), 1);
        handOffBinary(controlUuid, "evt-control").then().statusCode(200)
                .body("stack_id", org.hamcrest.Matchers.notNullValue());
        JsonPath accepted = Api.asDemo().get("/v1/bays/" + uuid).then().extract().jsonPath();
        assertThat(accepted.getString("stack_id")).as("nothing runs in the API process by itself").isNull();
        assertThat(LocalCloud.stacksNamed(LocalCloud.token(LocalCloud.DEMO), Bay.stackNameFor(name, uuid)))
                .as("no stack asked of Heat for a bay nobody handed over").isEmpty();

        // binary mode, as a Knative Trigger delivers what the API published
        handOffBinary(uuid, "evt-1").then().statusCode(200).body("bay_uuid", equalTo(uuid))
                .body("status", equalTo("CREATE_IN_PROGRESS")).body("stack_id", org.hamcrest.Matchers.notNullValue());
        String stackId = Api.asDemo().get("/v1/bays/" + uuid).then().extract().path("stack_id");
        assertThat(stackId).as("the Heat function answered after the stack was created").isNotNull();
        // the same event again (Eventing redelivers when it saw no answer): nothing new
        handOffBinary(uuid, "evt-1").then().statusCode(200);
        // structured mode
        RestAssured.given().contentType("application/cloudevents+json; charset=utf-8")
                .body(Map.of("specversion", "1.0", "id", "evt-2", "source", "/baystack/api", "type", io.baystack.conductor.BayHandOff.EVENT_TYPE,
                        "datacontenttype", "application/json", "data", Map.of("bay_uuid", uuid, "operation", "create")))
                .post("/functions/heat").then().statusCode(200);
        assertThat(LocalCloud.stacksNamed(LocalCloud.token(LocalCloud.DEMO), Bay.stackNameFor(name, uuid))).hasSize(1);

        // Heat's own notification of the control bay's stack, as a RabbitmqSource on Heat's notification
        // queue delivers it (the message body as the event's data): that one bay is synced, no round needed
        String controlStack = Api.asDemo().get("/v1/bays/" + controlUuid).then().extract().path("stack_id");
        Awaitility.await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).until(() -> "CREATE_COMPLETE"
                .equals(LocalCloud.stack(LocalCloud.token(LocalCloud.DEMO), controlStack).path("stack_status").asText()));
        assertThat(Api.asDemo().get("/v1/bays/" + controlUuid).then().extract().path("status").toString())
                .as("no round has run yet").isEqualTo("CREATE_IN_PROGRESS");
        notification(io.baystack.support.OsloNotifications.envelope("orchestration.stack.create.end", controlStack))
                .then().statusCode(200).body("stack_id", equalTo(controlStack)).body("changed", equalTo(1));
        assertThat(Api.asDemo().get("/v1/bays/" + controlUuid).then().extract().path("status").toString())
                .isEqualTo("CREATE_COMPLETE");
        // again, or for a stack no bay owns: nothing to change
        notification(io.baystack.support.OsloNotifications.envelope("orchestration.stack.create.end", controlStack))
                .then().statusCode(200).body("changed", equalTo(0));
        notification(io.baystack.support.OsloNotifications.envelope("orchestration.stack.create.end",
                UUID.randomUUID().toString())).then().statusCode(200).body("changed", equalTo(0));

        // the reconciler, woken by a PingSource's events, brings the status from Heat
        Awaitility.await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            RestAssured.given().contentType("application/json")
                    .header("ce-specversion", "1.0").header("ce-id", UUID.randomUUID().toString())
                    .header("ce-source", "/apis/v1/namespaces/baystack/pingsources/baystack-reconcile")
                    .header("ce-type", "dev.knative.sources.ping").body("{\"round\": true}")
                    .post("/functions/reconcile").then().statusCode(200);
            return "CREATE_COMPLETE".equals(Api.getJson(LocalCloud.DEMO, "/v1/bays/" + uuid).path("status").asText());
        });
        assertThat(LocalCloud.stacksNamed(LocalCloud.token(LocalCloud.DEMO), Bay.stackNameFor(name, uuid))).hasSize(1);
    }

    private static io.restassured.response.Response notification(String osloMessage) {
        return RestAssured.given().contentType("application/json").header("ce-specversion", "1.0")
                .header("ce-id", UUID.randomUUID().toString()).header("ce-source", "/apis/v1/namespaces/baystack/rabbitmqsources/heat")
                .header("ce-type", FunctionsResource.RABBITMQ_SOURCE_TYPE).body(osloMessage).post("/functions/reconcile");
    }

    @Test
    void whatIsNotABaystackCloudEventIs400InMagnumsBody() {
        // no ce-* headers and not structured
        RestAssured.given().contentType("application/json").body("{\"bay_uuid\": \"" + UUID.randomUUID() + "\"}")
                .post("/functions/heat").then().statusCode(400).body("errors[0].status", equalTo(400))
                .body("errors[0].detail", org.hamcrest.Matchers.containsString("specversion"));
        // wrong spec version
        RestAssured.given().contentType("application/json").header("ce-specversion", "0.3").header("ce-id", "x")
                .header("ce-source", "/s").header("ce-type", io.baystack.conductor.BayHandOff.EVENT_TYPE).body("{}")
                .post("/functions/heat").then().statusCode(400);
        // another type
        RestAssured.given().contentType("application/json").header("ce-specversion", "1.0").header("ce-id", "x")
                .header("ce-source", "/s").header("ce-type", "com.example.other").body("{}")
                .post("/functions/heat").then().statusCode(400);
        // no bay named
        RestAssured.given().contentType("application/json").header("ce-specversion", "1.0").header("ce-id", "x")
                .header("ce-source", "/s").header("ce-type", io.baystack.conductor.BayHandOff.EVENT_TYPE).body("{\"bay_uuid\": 42}")
                .post("/functions/heat").then().statusCode(400);
        // broken structured event
        RestAssured.given().contentType("application/cloudevents+json").body("{\"specversion\": \"1.0\"")
                .post("/functions/heat").then().statusCode(400);
        // a bay that no longer exists: acknowledged, so that Eventing stops delivering it
        handOffBinary(UUID.randomUUID().toString(), "evt-gone").then().statusCode(200).body("status", equalTo("DELETED"));
    }

    private static io.restassured.response.Response handOffBinary(String uuid, String id) {
        return RestAssured.given().contentType("application/json")
                .header("ce-specversion", "1.0").header("ce-id", id).header("ce-source", "/baystack/api")
                .header("ce-type", io.baystack.conductor.BayHandOff.EVENT_TYPE)
                .body("{\"bay_uuid\": \"" + uuid + "\", \"operation\": \"create\"}")
                .post("/functions/heat");
    }
}
