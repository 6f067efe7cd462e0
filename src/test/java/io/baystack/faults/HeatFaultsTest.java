package io.baystack.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import com.fasterxml.jackson.databind.JsonNode;

import io.baystack.bay.Bay;
import io.baystack.support.Api;
import io.baystack.support.HeatFaultProxy;
import io.baystack.support.HeatFaultProxy.Fault;
import io.baystack.support.HeatFaultProxy.Seen;
import io.baystack.support.LocalCloud;
import io.baystack.support.Rows;
import io.baystack.support.SideBySide;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/**
 * Faults the real Heat cannot be made to produce on demand, injected by a proxy in front of it:
 * an answer later than baystack's Heat timeout (3 s here), 500s before and after Heat acted, and a
 * gateway's 502 for a create that still reaches Heat.
 * The stacks themselves are the real Heat's; every test ends with exactly one of them per bay.
 */
@QuarkusTest
@TestProfile(HeatFaultProxy.Profile.class)
class HeatFaultsTest {

    private static final String CREATE = "/v1/[^/]+/stacks";
    private static final String ONE_STACK = "/v1/[^/]+/stacks/[^/]+/[^/]+";

    @Inject
    Rows rows;

    /**
     * The five flows side by side, each faulting only its own bay's stack (the bay's name is in the
     * stack's name, in the create's body and in the paths of its updates and deletes), so that their
     * waits on Heat, on backoffs and on a create claim overlap; each dynamic test fails with its own
     * flow's failure (support/SideBySide).
     */
    @TestFactory
    Stream<DynamicTest> faultsSideBySide() {
        HeatFaultProxy.get().reset();
        return new SideBySide()
                .flow("a create answered too late is found by name, not made twice",
                        this::aCreateAnsweredTooLateIsFoundByNameNotMadeTwice)
                .flow("Heat's 500s are retried with growing waits until the bay completes",
                        this::heat500sAreRetriedWithGrowingWaitsUntilTheBayCompletes)
                .flow("a 500 after Heat acted still leaves one stack", this::a500AfterHeatActedStillLeavesOneStack)
                .flow("a gateway's 502 for a create Heat still gets keeps the claim, so the retry finds the stack by name",
                        this::aGateways502ForACreateHeatStillGetsKeepsTheClaimSoTheRetryFindsTheStackByName)
                .flow("updates and deletes wait through 500s and then happen", this::updatesAndDeletesWaitThrough500sAndThenHappen)
                .start(Duration.ofMinutes(10));
    }

    private void aCreateAnsweredTooLateIsFoundByNameNotMadeTwice() {
        String name = Api.unique("slow");
        HeatFaultProxy.get().inject("POST", CREATE, name, 1, Fault.SLOW);
        String uuid = Api.createBay(name, model(), 1);

        awaitReason(uuid, "Waiting for Heat to take the stack create \\(try 1 failed, next in \\d+s\\): Heat did not answer.*");
        JsonPath waiting = Api.asDemo().get("/v1/bays/" + uuid).then().extract().jsonPath();
        assertThat(waiting.getString("status")).isEqualTo("CREATE_IN_PROGRESS");

        JsonPath done = Api.awaitFinal(uuid);
        assertThat(done.getString("status")).as(done.prettify()).isEqualTo("CREATE_COMPLETE");
        assertThat(LocalCloud.stacksNamed(LocalCloud.token(LocalCloud.DEMO), Bay.stackNameFor(name, uuid))).hasSize(1);
        // Heat got the create once: the retry looked the stack up by its name and found it
        assertThat(HeatFaultProxy.get().seen("POST", CREATE, name)).hasSize(1);
    }

    private void heat500sAreRetriedWithGrowingWaitsUntilTheBayCompletes() {
        String name = Api.unique("err500");
        HeatFaultProxy.get().inject("POST", CREATE, name, 3, Fault.ERROR_500);
        String uuid = Api.createBay(name, model(), 1);

        awaitReason(uuid, "Waiting for Heat to take the stack create \\(try [12] failed, next in \\d+s\\): Heat answered 500: injected 500");
        JsonPath done = Api.awaitFinal(uuid);
        assertThat(done.getString("status")).as(done.prettify()).isEqualTo("CREATE_COMPLETE");
        assertThat(LocalCloud.stacksNamed(LocalCloud.token(LocalCloud.DEMO), Bay.stackNameFor(name, uuid))).hasSize(1);

        List<Seen> creates = HeatFaultProxy.get().seen("POST", CREATE, name);
        assertThat(creates).extracting(Seen::outcome)
                .containsExactly("500 (not passed on)", "500 (not passed on)", "500 (not passed on)", "201");
        // backoff: the wait after the third failure (2.8-4 s) is longer than after the first (0.7-1 s + a round)
        Duration first = Duration.between(creates.get(0).at(), creates.get(1).at());
        Duration third = Duration.between(creates.get(2).at(), creates.get(3).at());
        assertThat(third).as("waits %s then %s", first, third).isGreaterThan(first);
    }

    private void a500AfterHeatActedStillLeavesOneStack() {
        String name = Api.unique("acted");
        HeatFaultProxy.get().inject("POST", CREATE, name, 1, Fault.ERROR_500_AFTER_HEAT);
        String uuid = Api.createBay(name, model(), 1);

        JsonPath done = Api.awaitFinal(uuid);
        assertThat(done.getString("status")).as(done.prettify()).isEqualTo("CREATE_COMPLETE");
        assertThat(LocalCloud.stacksNamed(LocalCloud.token(LocalCloud.DEMO), Bay.stackNameFor(name, uuid))).hasSize(1);
        assertThat(HeatFaultProxy.get().seen("POST", CREATE, name)).hasSize(1);
    }

    private void aGateways502ForACreateHeatStillGetsKeepsTheClaimSoTheRetryFindsTheStackByName() {
        String name = Api.unique("gw502");
        HeatFaultProxy.get().inject("POST", CREATE, name, 1, Fault.BAD_GATEWAY_THEN_HEAT);
        String uuid = Api.createBay(name, model(), 1);

        // the row as the failed create left it: a 502 does not prove Heat did nothing, so the claim is kept
        Map<String, Object> waiting = awaitRow(uuid,
                "Waiting for Heat to take the stack create \\(try 1 failed, next in \\d+s\\): Heat answered 502.*");
        assertThat(waiting.get("create_claim_until")).as("create claim after the 502").isNotNull();
        Instant claimedUntil = ((OffsetDateTime) waiting.get("create_claim_until")).toInstant();

        JsonPath done = Api.awaitFinal(uuid);
        assertThat(done.getString("status")).as(done.prettify()).isEqualTo("CREATE_COMPLETE");
        List<JsonNode> stacks = LocalCloud.stacksNamed(LocalCloud.token(LocalCloud.DEMO), Bay.stackNameFor(name, uuid));
        assertThat(stacks).hasSize(1);
        assertThat(stacks.get(0).path("id").asText()).isEqualTo(done.getString("stack_id"));
        // while the claim held, no other create went out (the retry looks the stack up by name first)
        List<Seen> creates = HeatFaultProxy.get().seen("POST", CREATE, name);
        assertThat(creates.get(0).outcome()).startsWith("502");
        assertThat(creates.subList(1, creates.size())).allSatisfy(later -> assertThat(later.at()).isAfter(claimedUntil));
    }

    private void updatesAndDeletesWaitThrough500sAndThenHappen() {
        String name = Api.unique("upd500");
        String uuid = Api.createBay(name, model(), 1);
        assertThat(Api.awaitFinal(uuid).getString("status")).isEqualTo("CREATE_COMPLETE");

        HeatFaultProxy.get().inject("PATCH", ONE_STACK, name, 2, Fault.ERROR_500);
        Api.asDemo().header("OpenStack-API-Version", "container-infra latest")
                .body(List.of(Map.of("op", "replace", "path", "/node_count", "value", 2)))
                .patch("/v1/bays/" + uuid).then().statusCode(202);
        awaitReason(uuid, "Waiting for Heat to take the stack update \\(try [12] failed, next in \\d+s\\): Heat answered 500.*");
        assertThat(Api.asDemo().get("/v1/bays/" + uuid).then().extract().<String>path("status")).isEqualTo("UPDATE_IN_PROGRESS");
        JsonPath updated = Api.awaitFinal(uuid);
        assertThat(updated.getString("status")).as(updated.prettify()).isEqualTo("UPDATE_COMPLETE");
        assertThat(updated.getList("node_addresses")).hasSize(2);
        assertThat(HeatFaultProxy.get().seen("PATCH", ONE_STACK, name)).hasSize(3);

        String stackId = updated.getString("stack_id");
        // a delete is safe to repeat: the Heat client itself tries it 3 times (backoff and jitter) before
        // the bay records a failed try and the redrive takes over
        HeatFaultProxy.get().inject("DELETE", ONE_STACK, name, 3, Fault.ERROR_500);
        Api.asDemo().delete("/v1/bays/" + uuid).then().statusCode(204);
        awaitReason(uuid, "Waiting for Heat to take the stack delete \\(try 1 failed, next in \\d+s\\): Heat answered 500.*");
        Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                .until(() -> Api.demoGetStatus("/v1/bays/" + uuid) == 404);
        assertThat(LocalCloud.stackGone(LocalCloud.token(LocalCloud.DEMO), stackId)).isTrue();
        assertThat(HeatFaultProxy.get().seen("DELETE", ONE_STACK, name)).extracting(Seen::outcome)
                .startsWith("500 (not passed on)", "500 (not passed on)", "500 (not passed on)").contains("204");
    }

    private static String model() {
        return Api.createBaymodel(Api.unique("faults"), "debian-12");
    }

    /** The bay's row once its status_reason matches {@code regex}. */
    private Map<String, Object> awaitRow(String uuid, String regex) {
        AtomicReference<Map<String, Object>> row = new AtomicReference<>();
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    row.set(rows.byUuid("bay", uuid));
                    return String.valueOf(row.get().get("status_reason")).matches(regex);
                });
        return row.get();
    }

    private static void awaitReason(String uuid, String regex) {
        String[] last = new String[1];
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .failFast(() -> last[0] != null && last[0].endsWith("_COMPLETE"))
                .until(() -> {
                    JsonNode bay = Api.getJson(LocalCloud.DEMO, "/v1/bays/" + uuid);
                    last[0] = bay.path("status").asText();
                    return (bay.path("status_reason").isNull() ? "null" : bay.path("status_reason").asText()).matches(regex);
                });
    }
}
