package io.baystack.observability;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Test;

import io.baystack.support.Api;
import io.baystack.support.Metrics;
import io.baystack.support.Rows;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * What an operator sees of a bay without reading the database: Prometheus metrics, readiness of
 * PostgreSQL, Keystone and Heat, one log line per status change with the bay and the request, and the
 * API's OpenAPI description. The bay is built by the real local Heat.
 */
@QuarkusTest
class ObservabilityTest {

    private static final String REQUEST_ID = "req-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

    @Inject
    Rows rows;

    @Test
    void metricsArePublicAndShowEveryStatusFromTheStart() {
        // that the gauges count is shown below, with a bay of this test's own
        String metrics = Metrics.scrape();
        for (String status : List.of("CREATE_IN_PROGRESS", "CREATE_COMPLETE", "CREATE_FAILED", "DELETE_IN_PROGRESS")) {
            assertThat(Metrics.value(metrics, "baystack_bays{status=\"" + status + "\"}")).as(status).isNotNull();
        }
        assertThat(Metrics.value(metrics, "baystack_bays_awaiting_heat")).isNotNull();
    }

    @Test
    void aBayBuiltByHeatShowsInTheMetricsAndLogsEachStatusChangeWithItsRequest() {
        List<String> lines = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                ExtLogRecord ext = (ExtLogRecord) record;
                lines.add(ext.getFormattedMessage() + " | mdc " + ext.getMdc(BayLog.BAY_UUID) + " " + ext.getMdc(BayLog.REQUEST_ID));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        java.util.logging.Logger status = java.util.logging.Logger.getLogger("io.baystack.bay.status");
        status.addHandler(capture);
        try {
            // counters are compared with their values before this bay: earlier tests' bays counted too
            String before = Metrics.scrape();
            String model = Api.createBaymodel(Api.unique("observed"), "debian-12");
            Response created = Api.asDemo().header("OpenStack-API-Version", "container-infra latest")
                    .body(Map.of("name", Api.unique("observed"), "node_count", 1, "baymodel_id", model))
                    .post("/v1/bays");
            created.then().statusCode(202);
            String uuid = created.path("uuid");
            String createRequest = created.header("X-OpenStack-Request-Id");
            assertThat(createRequest).matches(REQUEST_ID);

            JsonPath bay = Api.awaitFinal(uuid);
            assertThat(bay.getString("status")).isEqualTo("CREATE_COMPLETE");

            // the gauges are counted after each reconciler round (1 s here)
            Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                String metrics = Metrics.scrape();
                assertThat(grown(before, metrics, "baystack_bay_accepted_to_stack_seconds_count")).isGreaterThanOrEqualTo(1);
                assertThat(grown(before, metrics, "baystack_bay_accepted_to_stack_seconds_sum")).isPositive();
                assertThat(grown(before, metrics, "baystack_heat_calls_seconds_count{operation=\"create\",outcome=\"success\"}"))
                        .isGreaterThanOrEqualTo(1);
                assertThat(grown(before, metrics, "baystack_heat_calls_seconds_count{operation=\"list\",outcome=\"success\"}"))
                        .isGreaterThanOrEqualTo(1);
                // the rounds' timer is tagged by job as well (sync, redrive, notify): the status sync's rounds
                assertThat(Metrics.sum(metrics, "baystack_reconciler_rounds_seconds_count", "job=\"sync\"", "outcome=\"success\"")
                        - Metrics.sum(before, "baystack_reconciler_rounds_seconds_count", "job=\"sync\"", "outcome=\"success\""))
                        .isGreaterThanOrEqualTo(1);
                assertThat(grown(before, metrics, "baystack_reconciler_round_bays_sum")).isGreaterThanOrEqualTo(1);
            });

            // the per-status gauges count the rows: this bay alone is given a status no other bay of this
            // boot has (the test database starts empty), so its gauge must read exactly 1, then 0 again
            String checked = "baystack_bays{status=\"CHECK_COMPLETE\"}";
            assertThat(Metrics.value(Metrics.scrape(), checked)).isZero();
            assertThat(rows.execute("update bay set status = 'CHECK_COMPLETE' where uuid = $1", uuid)).isOne();
            Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(300))
                    .until(() -> Metrics.value(Metrics.scrape(), checked), v -> v != null && v == 1.0);
            assertThat(rows.execute("update bay set status = 'CREATE_COMPLETE' where uuid = $1", uuid)).isOne();
            Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(300))
                    .until(() -> Metrics.value(Metrics.scrape(), checked), v -> v != null && v == 0.0);

            Response deleted = Api.asDemo().delete("/v1/bays/" + uuid);
            deleted.then().statusCode(204);
            String deleteRequest = deleted.header("X-OpenStack-Request-Id");

            // the API's changes carry the request's own id; the reconciler's, its round's id
            assertThat(lines).anyMatch(l -> l.startsWith("bay " + uuid + ": new -> CREATE_IN_PROGRESS, request " + createRequest + ":")
                    && l.endsWith("| mdc " + uuid + " " + createRequest));
            assertThat(lines).anyMatch(l -> l.matches("bay " + uuid + ": CREATE_IN_PROGRESS -> CREATE_COMPLETE, request "
                    + REQUEST_ID + ": .*\\| mdc " + uuid + " " + REQUEST_ID));
            assertThat(lines).anyMatch(l -> l.startsWith("bay " + uuid + ": CREATE_COMPLETE -> DELETE_IN_PROGRESS, request "
                    + deleteRequest + ":"));
            assertThat(lines.stream().filter(l -> l.contains(uuid + ": CREATE_IN_PROGRESS -> CREATE_COMPLETE"))).hasSize(1);
        } finally {
            status.removeHandler(capture);
        }
    }

    /** How much a counter grew between two scrapes (absent counts as 0). */
    private static double grown(String before, String after, String sample) {
        Double was = Metrics.value(before, sample);
        Double now = Metrics.value(after, sample);
        return (now == null ? 0 : now) - (was == null ? 0 : was);
    }

    @Test
    void readinessChecksPostgresKeystoneAndHeat() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.find { it.name == 'keystone' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'heat' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'heat' }.data.status", equalTo(300))
                // the messaging connectors' own check (quarkus.messaging.health.enabled)
                .body("checks.find { it.name.startsWith('SmallRye Reactive Messaging') }.status", equalTo("UP"));
        given().get("/q/health/live").then().statusCode(200);
    }

    @Test
    void theOpenApiDescriptionIsPublicAndShowsTheBayExamples() {
        JsonPath api = given().queryParam("format", "json").get("/q/openapi").then().statusCode(200).extract().jsonPath();
        assertThat(api.getMap("paths")).containsKeys("/v1/bays", "/v1/bays/{ident}", "/v1/clusters", "/v1/baymodels");
        Map<String, Object> seed = api.getMap("paths.'/v1/bays'.post.requestBody.content.'application/json'.examples.seed.value");
        assertThat(seed).containsEntry("name", "testbay").containsEntry("baymodel_id", "testbaymodel")
                .containsEntry("node_count", 1).containsEntry("bay_create_timeout", 60);
        assertThat(api.getString("paths.'/v1/bays/{ident}'.get.responses.'200'.content.'application/json'.examples.bay.value.status"))
                .isEqualTo("CREATE_COMPLETE");
    }
}
