package io.baystack.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.baystack.bay.Bay;
import io.baystack.support.Api;
import io.baystack.support.LocalCloud;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/**
 * 200 requests at once: creates, node_count changes and deletes, on the same bays and on different
 * ones. No request fails with a 5xx or hangs; where two writers meet, one wins and the other is told
 * (409/400), never silently overwritten; at the end every bay agrees with its one real Heat stack and
 * deleted bays left no stack behind.
 */
@QuarkusTest
class ConcurrencyTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    // 200 requests, few of which reach Heat: the subject is where writers meet in baystack, and each bay
    // built costs the one local Heat (beside the other tiers in CI) far more than a request refused
    private static final int BUILT = 4;
    private static final int CREATES = 11;
    private static final int RESIZES_PER_BAY = 40;
    private static final int DELETES_PER_DOOMED_BAY = 12;
    private static final int DELETES_OF_NEW_BAYS = 5;

    private record Call(String kind, String target, int value) {
    }

    private record Answer(Call call, int status, String body) {
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final LocalCloud.Token demo = LocalCloud.token(LocalCloud.DEMO);

    @Test
    void twoHundredConcurrentCreatesResizesAndDeletes() throws Exception {
        String prefix = Api.unique("conc");
        String model = Api.createBaymodel(prefix + "-model", "debian-12");
        List<String> built = new ArrayList<>();
        for (int i = 0; i < BUILT; i++) {
            built.add(Api.createBay(prefix + "-old-" + i, model, 1));
        }
        for (String uuid : built) {
            assertThat(Api.awaitFinal(uuid).getString("status")).isEqualTo("CREATE_COMPLETE");
        }

        // the plan: 11 creates; 40 resizes on each built bay (to 2 or 3 minions); 12 deletes on each of
        // the last two built bays (which are resized at the same time); deletes by name of 5 new bays
        List<Call> calls = new ArrayList<>();
        for (int i = 0; i < CREATES; i++) {
            calls.add(new Call("create", prefix + "-new-" + i, 1));
        }
        for (String uuid : built) {
            for (int i = 0; i < RESIZES_PER_BAY; i++) {
                calls.add(new Call("resize", uuid, 2 + i % 2));
            }
        }
        for (String uuid : built.subList(BUILT - 2, BUILT)) {
            for (int i = 0; i < DELETES_PER_DOOMED_BAY; i++) {
                calls.add(new Call("delete", uuid, 0));
            }
        }
        for (int i = 0; i < DELETES_OF_NEW_BAYS; i++) {
            calls.add(new Call("delete", prefix + "-new-" + i, 0));
        }
        assertThat(calls).hasSize(200);
        Collections.shuffle(calls);

        List<Answer> answers = fireAtOnce(calls);

        // every answer is one a client can act on, in Magnum's error format when it is an error
        for (Answer a : answers) {
            assertThat(a.status()).as("%s -> %s", a.call(), a.body()).isIn(202, 204, 400, 404, 409);
            if (a.status() >= 400) {
                JsonNode error = JSON.readTree(a.body()).path("errors").path(0);
                assertThat(error.path("status").asInt()).as(a.body()).isEqualTo(a.status());
                assertThat(error.path("detail").asText()).isNotBlank();
            }
        }
        Map<String, List<Answer>> byTarget = answers.stream().collect(Collectors.groupingBy(a -> a.call().target()));
        // a losing resize is told one of two things, each for its own reason: 409, it read an updatable bay
        // but another writer's compare-and-set committed first; 400, it read the bay already updating
        for (Answer a : answers) {
            if (a.call().kind().equals("resize") && a.status() == 409) {
                assertThat(a.body()).contains("changed while it was being updated");
            } else if (a.call().kind().equals("resize") && a.status() == 400) {
                assertThat(a.body()).contains("when status is");
            }
        }
        long casConflicts = 0;

        // wait for everything to settle: final statuses, deleted bays gone
        List<JsonNode> remaining = awaitSettled(prefix);
        Map<String, JsonNode> byUuid = remaining.stream().collect(Collectors.toMap(b -> b.path("uuid").asText(), b -> b));
        Map<String, JsonNode> byName = remaining.stream().collect(Collectors.toMap(b -> b.path("name").asText(), b -> b));

        for (String uuid : built) {
            List<Answer> mine = byTarget.get(uuid);
            boolean deleted = mine.stream().anyMatch(a -> a.call().kind().equals("delete") && a.status() == 204);
            List<Integer> acceptedSizes = mine.stream().filter(a -> a.call().kind().equals("resize") && a.status() == 202)
                    .map(a -> a.call().value()).toList();
            if (deleted) {
                assertThat(byUuid).as("bay %s was deleted", uuid).doesNotContainKey(uuid);
                continue;
            }
            JsonNode bay = byUuid.get(uuid);
            assertThat(bay).as("bay %s", uuid).isNotNull();
            // where 40 writers met, the ones that lost were told so; the winner's value is the one built
            assertThat(acceptedSizes).as("accepted resizes of %s", uuid).isNotEmpty();
            assertThat(mine.stream().filter(a -> a.call().kind().equals("resize") && (a.status() == 409 || a.status() == 400)))
                    .as("resizes of %s that lost", uuid).isNotEmpty();
            casConflicts += mine.stream().filter(a -> a.call().kind().equals("resize") && a.status() == 409).count();
            assertThat(acceptedSizes).as("no lost update on %s", uuid).contains(bay.path("node_count").asInt());
            assertThat(bay.path("status").asText()).isEqualTo("UPDATE_COMPLETE");
            assertAgreesWithHeat(bay);
        }
        for (int i = 0; i < CREATES; i++) {
            String name = prefix + "-new-" + i;
            Answer created = byTarget.get(name).stream().filter(a -> a.call().kind().equals("create")).findFirst().orElseThrow();
            assertThat(created.status()).as(created.body()).isEqualTo(202);
            boolean deleted = byTarget.get(name).stream().anyMatch(a -> a.call().kind().equals("delete") && a.status() == 204);
            if (deleted) {
                assertThat(byName).as("bay %s was deleted", name).doesNotContainKey(name);
            } else {
                JsonNode bay = byName.get(name);
                assertThat(bay).as("bay %s was accepted and not deleted", name).isNotNull();
                assertThat(bay.path("status").asText()).isEqualTo("CREATE_COMPLETE");
                assertAgreesWithHeat(bay);
            }
        }
        // 40 resizes of one bay at once: some read it updatable together, so the compare-and-set path
        // (not only the status check) must have refused at least one of them
        assertThat(casConflicts).as("resizes refused by the compare-and-set (409)").isPositive();
        // no stack left behind by a deleted bay, none made twice
        assertThat(LocalCloud.stacksStartingWith(demo, prefix.toLowerCase() + "-"))
                .extracting(s -> s.path("id").asText())
                .containsExactlyInAnyOrderElementsOf(remaining.stream().map(b -> b.path("stack_id").asText()).toList());
    }

    private void assertAgreesWithHeat(JsonNode bay) {
        String name = Bay.stackNameFor(bay.path("name").asText(), bay.path("uuid").asText());
        List<JsonNode> stacks = LocalCloud.stacksNamed(demo, name);
        assertThat(stacks).as("stacks of %s", name).hasSize(1);
        assertThat(stacks.get(0).path("id").asText()).isEqualTo(bay.path("stack_id").asText());
        assertThat(stacks.get(0).path("stack_status").asText()).isEqualTo(bay.path("status").asText());
        JsonNode detail = LocalCloud.stackDetail(demo, name, bay.path("stack_id").asText());
        assertThat(detail.path("parameters").path("number_of_minions").asInt()).isEqualTo(bay.path("node_count").asInt());
        assertThat(bay.path("node_addresses").size()).isEqualTo(bay.path("node_count").asInt());
    }

    private List<Answer> fireAtOnce(List<Call> calls) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(calls.size());
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Answer>> futures = new ArrayList<>();
        for (Call call : calls) {
            futures.add(pool.submit(() -> {
                go.await();
                HttpResponse<String> r = http.send(request(call), HttpResponse.BodyHandlers.ofString());
                return new Answer(call, r.statusCode(), r.body());
            }));
        }
        go.countDown();
        List<Answer> answers = new ArrayList<>();
        for (Future<Answer> f : futures) {
            // a hang shows up here as a timeout (requests time out after 60 s themselves)
            answers.add(f.get(90, TimeUnit.SECONDS));
        }
        pool.shutdown();
        return answers;
    }

    private HttpRequest request(Call call) throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder().timeout(Duration.ofSeconds(60))
                .header("X-Auth-Token", demo.id()).header("Content-Type", "application/json")
                .header("Accept", "application/json").header("OpenStack-API-Version", "container-infra latest");
        return switch (call.kind()) {
            case "create" -> b.uri(uri("/v1/bays")).POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(
                    Map.of("name", call.target(), "baymodel_id", modelOf(call), "node_count", 1)))).build();
            case "resize" -> b.uri(uri("/v1/bays/" + call.target())).method("PATCH", HttpRequest.BodyPublishers.ofString(
                    "[{\"op\": \"replace\", \"path\": \"/node_count\", \"value\": " + call.value() + "}]")).build();
            default -> b.uri(uri("/v1/bays/" + call.target())).DELETE().build();
        };
    }

    private String model;

    private String modelOf(Call call) {
        if (model == null) {
            String prefix = call.target().substring(0, call.target().indexOf("-new-"));
            model = Api.asDemo().get("/v1/baymodels/" + prefix + "-model").then().statusCode(200).extract().path("uuid");
        }
        return model;
    }

    private static URI uri(String path) {
        return URI.create(RestAssured.baseURI + ":" + RestAssured.port + path);
    }

    private List<JsonNode> awaitSettled(String prefix) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(6));
        while (true) {
            List<JsonNode> mine = new ArrayList<>();
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri("/v1/bays/detail?limit=1000"))
                    .header("X-Auth-Token", demo.id()).header("Accept", "application/json").GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JSON.readTree(r.body()).path("bays").forEach(b -> {
                if (b.path("name").asText().startsWith(prefix + "-")) {
                    mine.add(b);
                }
            });
            Map<String, Long> statuses = mine.stream().collect(Collectors.groupingBy(b -> b.path("status").asText(),
                    Collectors.counting()));
            if (statuses.keySet().stream().allMatch(s -> Set.of("CREATE_COMPLETE", "UPDATE_COMPLETE").contains(s))) {
                return mine;
            }
            assertThat(statuses.keySet()).as("a bay failed: %s", statuses).noneMatch(s -> s.endsWith("_FAILED"));
            assertThat(Instant.now()).as("still settling: %s", statuses).isBefore(deadline);
            Thread.sleep(2000);
        }
    }
}
