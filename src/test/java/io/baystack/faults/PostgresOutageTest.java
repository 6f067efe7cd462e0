package io.baystack.faults;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.baystack.bay.Bay;
import io.baystack.support.Api;
import io.baystack.support.LocalCloud;
import io.baystack.support.Rows;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * baystack's own PostgreSQL ({@link FaultDatabase}) stopped as in a crash while bays are being built
 * on the real local Heat, then started again: meanwhile every call is answered 503 in Magnum's error
 * body without hanging, readiness is down and liveness up; afterwards every bay accepted before the
 * outage completes with exactly one stack, new bays are accepted, and what was refused left no row.
 */
@QuarkusTest
@TestProfile(FaultDatabaseProfile.class)
class PostgresOutageTest {

    /** Far above any answer when nothing waits: this is a check for hangs, not a speed goal. */
    private static final Duration HANG_BOUND = Duration.ofSeconds(10);
    private static final String DETAIL = "The database is unavailable; try again later.";
    private static final String PG_CHECK = "Reactive PostgreSQL connections health check";
    private static final String LATEST = "container-infra latest";

    @Inject
    Rows rows;

    @Test
    void whilePostgresIsDownTheApiAnswers503AndAfterItNoBayIsLost() {
        LocalCloud.Token demo = LocalCloud.token(LocalCloud.DEMO);
        String model = Api.createBaymodel(Api.unique("pgdown"), "debian-12");
        Map<String, String> accepted = new LinkedHashMap<>(); // uuid -> name

        String building = Api.unique("pgdown");
        String buildingUuid = Api.createBay(building, model, 1);
        accepted.put(buildingUuid, building);
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> Api.getJson(LocalCloud.DEMO, "/v1/bays/" + buildingUuid).path("stack_id").textValue() != null);
        // accepted just before the outage: its hand-off to Heat may be cut anywhere
        String lastMoment = Api.unique("pgdown");
        accepted.put(Api.createBay(lastMoment, model, 2), lastMoment);
        assertThat(bay(buildingUuid).getString("status")).isEqualTo("CREATE_IN_PROGRESS");

        String refusedBay = Api.unique("pgdown-refused");
        String refusedModel = Api.unique("pgdown-refused");
        FaultDatabase.run("stop");
        try {
            expectUnavailable("GET /v1/bays", () -> Api.asDemo().get("/v1/bays"));
            expectUnavailable("GET /v1/bays/{id}", () -> Api.asDemo().get("/v1/bays/" + buildingUuid));
            expectUnavailable("POST /v1/bays", () -> Api.asDemo().header("OpenStack-API-Version", LATEST)
                    .body(Map.of("name", refusedBay, "node_count", 1, "baymodel_id", model)).post("/v1/bays"));
            expectUnavailable("POST /v1/baymodels", () -> Api.asDemo()
                    .body(Api.baymodel(refusedModel, "debian-12")).post("/v1/baymodels"));

            Response ready = within("GET /q/health/ready", () -> given().get("/q/health/ready"));
            assertThat(ready.statusCode()).as(ready.asString()).isEqualTo(503);
            assertThat(ready.jsonPath().getString("status")).isEqualTo("DOWN");
            assertThat(ready.jsonPath().getString("checks.find { it.name == '" + PG_CHECK + "' }.status"))
                    .isEqualTo("DOWN");
            Response live = within("GET /q/health/live", () -> given().get("/q/health/live"));
            assertThat(live.statusCode()).as(live.asString()).isEqualTo(200);
            assertThat(live.jsonPath().getString("status")).isEqualTo("UP");

            // Heat finishes the first stack during the outage; the reconciler has to catch up afterwards
            String stackName = Bay.stackNameFor(building, buildingUuid);
            Awaitility.await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).until(() ->
                    LocalCloud.stacksNamed(demo, stackName).stream()
                            .anyMatch(s -> s.path("stack_status").asText().equals("CREATE_COMPLETE")));
            // the background rounds have been failing all along: the API still answers, still at once
            expectUnavailable("GET /v1/bays/{id} later", () -> Api.asDemo().get("/v1/bays/" + buildingUuid));
        } finally {
            // whatever failed above, the database is not left down
            FaultDatabase.run("start");
        }

        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> given().get("/q/health/ready").statusCode() == 200);
        assertThat(given().get("/q/health/ready").jsonPath().getString("status")).isEqualTo("UP");

        String after = Api.unique("pgdown-after");
        accepted.put(Api.createBay(after, model, 1), after);

        accepted.forEach((uuid, name) -> {
            // a 202 is a promise that the bay is stored: it must outlive the crash
            assertThat(Api.asDemo().get("/v1/bays/" + uuid).statusCode()).as("bay " + name + " after the outage")
                    .isEqualTo(200);
            JsonPath done = Api.awaitFinal(uuid);
            assertThat(done.getString("status")).as(done.prettify()).isEqualTo("CREATE_COMPLETE");
            List<JsonNode> stacks = LocalCloud.stacksNamed(demo, Bay.stackNameFor(name, uuid));
            assertThat(stacks).as("Heat stacks of bay " + name).hasSize(1);
            assertThat(done.getString("stack_id")).isEqualTo(stacks.get(0).path("id").asText());
            assertThat(rows.countNamed("bay", name)).as("rows of bay " + name).isEqualTo(1);
        });
        assertThat(rows.countNamed("bay", refusedBay)).isZero();
        assertThat(rows.countNamed("baymodel", refusedModel)).isZero();
    }

    private static JsonPath bay(String uuid) {
        return Api.asDemo().get("/v1/bays/" + uuid).then().statusCode(200).extract().jsonPath();
    }

    /** A 503 in Magnum's error body, within {@link #HANG_BOUND}. */
    private static void expectUnavailable(String what, Supplier<Response> call) {
        Response response = within(what, call);
        assertThat(response.statusCode()).as(what + ": " + response.asString()).isEqualTo(503);
        assertThat(response.contentType()).startsWith("application/json");
        JsonPath body = response.jsonPath();
        assertThat(body.getList("errors")).as(what).hasSize(1);
        Map<String, Object> error = body.getMap("errors[0]");
        assertThat(error).as(what).containsOnlyKeys("request_id", "code", "status", "title", "detail", "links");
        assertThat(error.get("status")).isEqualTo(503);
        assertThat(error.get("code")).isEqualTo("server");
        assertThat(error.get("detail")).isEqualTo(DETAIL);
        assertThat(error.get("title")).isEqualTo("The database is unavailable; try again later");
        assertThat((String) error.get("request_id")).startsWith("req-");
        assertThat((List<?>) error.get("links")).isEmpty();
    }

    private static Response within(String what, Supplier<Response> call) {
        return assertTimeoutPreemptively(HANG_BOUND, call::get, what + " did not answer within " + HANG_BOUND);
    }
}
