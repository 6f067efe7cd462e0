package io.baystack.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.baystack.bay.TrustMark;
import io.baystack.conductor.CrashPoints;
import io.baystack.conductor.CrashPoints.Point;
import io.baystack.support.AppProcess;
import io.baystack.support.LightStandIns;
import io.baystack.support.LocalCloud;

/**
 * Crash anywhere, lose nothing, create once. The packaged application (target/quarkus-app) runs as a
 * real process against the real local PostgreSQL, Keystone and Heat; for each crash point it is
 * started with that point armed, given work, SIGKILLed the moment it reaches the point, and started
 * again with the next. After a last, unarmed start has recovered everything: every bay is in a final
 * status that agrees with Heat, and each has exactly one stack (none for deleted bays, no orphans).
 * Over 60 bays go through the matrix: at each point some of them were answered before the crash and
 * several more were still on their way, which is what the matrix is about (it had 100 when the local
 * cloud had cores to spare; the count only made the one local Keystone and Heat busier).
 */
class CrashMatrixIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CREATES_PER_POINT = 12;
    private static final int OPS_PER_POINT = 8;
    /** Bays that go through the matrix, at least. */
    private static final int BAYS = 60;

    private final LocalCloud.Token demo = LocalCloud.token(LocalCloud.DEMO);
    private final long seed = Long.getLong("crash.seed", System.nanoTime());
    private final Random random = new Random(seed);
    private final String prefix = "cm" + Long.toString(Math.abs(seed % 1_000_000_000L), 36);
    private final AppProcess app = new AppProcess("crash-matrix", "baystack_crash");

    /** What the harness asked for and what it was told, per bay name. */
    private final Map<String, String> acceptedUuid = new LinkedHashMap<>();
    private final Set<String> deleteAccepted = new HashSet<>();
    private final Set<String> deleteSent = new HashSet<>();
    private final Set<String> resizeAccepted = new HashSet<>();
    private final List<String> unexpected = new java.util.concurrent.CopyOnWriteArrayList<>();
    private int createsSent;

    @AfterEach
    void stop() throws Exception {
        app.close();
    }

    @Test
    void everyBaySurvivesSigkillAtEveryCrashPoint() throws Exception {
        System.out.printf("crash matrix: seed %d, bay names %s-*%n", seed, prefix);

        start(null, 0);
        String model = createBaymodel();
        app.close();

        // creates, cut short at each point of their way to Heat
        for (Point point : List.of(Point.CREATE_COMMITTED, Point.CREATE_PUBLISHED, Point.CREATE_TRUST_MADE,
                Point.CREATE_HEAT_CALL, Point.CREATE_HEAT_ACCEPTED)) {
            int after = 2 + random.nextInt(CREATES_PER_POINT / 2);
            start(point, after);
            List<CompletableFuture<Void>> sent = new ArrayList<>();
            for (int i = 0; i < CREATES_PER_POINT; i++) {
                sent.add(create(model, prefix + "-" + point.setting() + "-" + i));
            }
            crashAt(point, sent);
        }
        start(null, 0);
        List<JsonNode> afterCreates = awaitAllFinal();
        assertThat(afterCreates).as("every create that was accepted, or committed before the crash, is there")
                .extracting(b -> b.path("name").asText()).containsAll(acceptedUuid.keySet());
        app.close();

        // resizes and deletes of built bays, with more creates beside them (enough for the matrix's count)
        int beside = Math.max(6, (BAYS + 4 - afterCreates.size() + 3) / 4);
        List<String> built = afterCreates.stream().map(b -> b.path("name").asText()).collect(Collectors.toList());
        java.util.Collections.shuffle(built, random);
        int next = 0;
        for (Point point : List.of(Point.UPDATE_COMMITTED, Point.UPDATE_HEAT_ACCEPTED, Point.DELETE_COMMITTED,
                Point.DELETE_HEAT_ACCEPTED)) {
            // the Heat function may still be working through the earlier runs' redriven work: a pass
            // in the first half of this run's operations is surely reached
            int after = 1 + random.nextInt(OPS_PER_POINT / 2);
            start(point, after);
            // the creates beside are answered (202, stored) before the operation that crashes is sent:
            // they are surely accepted, and the crash then cuts their way to Heat short
            List<CompletableFuture<Void>> creates = new ArrayList<>();
            for (int i = 0; i < beside; i++) {
                creates.add(create(model, prefix + "-beside-" + point.setting() + "-" + i));
            }
            CompletableFuture.allOf(creates.toArray(CompletableFuture[]::new)).get();
            List<CompletableFuture<Void>> sent = new ArrayList<>();
            for (int i = 0; i < OPS_PER_POINT; i++) {
                String name = built.get(next++);
                sent.add(point.name().startsWith("UPDATE") ? resize(name, 2) : delete(name));
            }
            crashAt(point, sent);
        }
        start(null, 0);
        List<JsonNode> remaining = awaitAllFinal();

        Set<String> everSeen = new HashSet<>(afterCreates.stream().map(b -> b.path("name").asText()).toList());
        remaining.forEach(b -> everSeen.add(b.path("name").asText()));
        everSeen.addAll(acceptedUuid.keySet());
        System.out.printf("crash matrix: %d creates sent, %d bays stored, %d remain, %d deletes accepted, %d resizes accepted%n",
                createsSent, everSeen.size(), remaining.size(), deleteAccepted.size(), resizeAccepted.size());
        assertThat(unexpected).as("answers other than 202/204 (a crash only cuts answers off)").isEmpty();
        assertThat(everSeen.size()).as("bays through the matrix").isGreaterThanOrEqualTo(BAYS);

        Map<String, JsonNode> byName = remaining.stream().collect(Collectors.toMap(b -> b.path("name").asText(), b -> b));
        // every stack of the matrix in one listing (one call rather than one per bay)
        Map<String, List<JsonNode>> stacksByName = LocalCloud.stacksStartingWith(demo, prefix + "-").stream()
                .collect(Collectors.groupingBy(s -> s.path("stack_name").asText()));
        for (String name : acceptedUuid.keySet()) {
            if (deleteAccepted.contains(name)) {
                assertThat(byName).as("%s was deleted (204)", name).doesNotContainKey(name);
            } else if (!deleteSent.contains(name)) {
                assertThat(byName).as("%s was accepted (202) and never deleted", name).containsKey(name);
            }
        }
        for (JsonNode bay : remaining) {
            String name = bay.path("name").asText();
            String status = bay.path("status").asText();
            assertThat(status).as("%s: %s", name, bay).isIn("CREATE_COMPLETE", "UPDATE_COMPLETE");
            if (resizeAccepted.contains(name)) {
                assertThat(bay.path("node_count").asInt()).as("%s was resized to 2 (202)", name).isEqualTo(2);
            }
            List<JsonNode> stacks = stacksByName.getOrDefault(stackName(bay), List.of());
            assertThat(stacks).as("stacks of %s", name).hasSize(1);
            JsonNode stack = stacks.get(0);
            assertThat(stack.path("id").asText()).isEqualTo(bay.path("stack_id").asText());
            assertThat(stack.path("stack_status").asText()).as("Heat's status of %s", name).isEqualTo(status);
            JsonNode detail = LocalCloud.stackDetail(demo, stack.path("stack_name").asText(), stack.path("id").asText());
            assertThat(detail.path("parameters").path("number_of_minions").asInt())
                    .as("Heat's minions of %s", name).isEqualTo(bay.path("node_count").asInt());
            assertThat(bay.path("node_addresses").size()).isEqualTo(bay.path("node_count").asInt());
        }
        // deleted bays took their stacks with them, and no stack belongs to nobody
        assertThat(stacksByName.values().stream().mapToInt(List::size).sum()).as("stacks of the matrix")
                .isEqualTo(remaining.size());
        // each bay's trust is marked by its expiry: a bay holds the one trust of its mark, though deliveries died
        // between Keystone's answer and the row (create-trust-made), and a deleted bay's is gone with it
        // (baystack's trusts only: Heat's own, re-delegated from a bay's, inherit its expiry)
        String baystackUser = LocalCloud.keystoneGet("/users?name=baystack").path("users").get(0).path("id").asText();
        Map<Instant, List<String>> trustsByMark = LocalCloud.trustsMadeBy(LocalCloud.DEMO).stream()
                .filter(t -> t.path("trustee_user_id").asText().equals(baystackUser) && t.path("expires_at").isTextual())
                .collect(Collectors.groupingBy(t -> Instant.parse(t.path("expires_at").asText()),
                        Collectors.mapping(t -> t.path("id").asText(), Collectors.toList())));
        for (JsonNode bay : remaining) {
            String uuid = bay.path("uuid").asText();
            Object trustId = app.queryOne("select trust_id from bay where uuid = ?", uuid);
            assertThat(trustsByMark.getOrDefault(TrustMark.created(uuid), List.of())).as("trusts of %s", bay.path("name").asText())
                    .containsExactly((String) trustId);
        }
        // (the deleted were built before the updates and deletes: the listing then named them)
        Map<String, String> builtUuid = afterCreates.stream()
                .collect(Collectors.toMap(b -> b.path("name").asText(), b -> b.path("uuid").asText()));
        for (String name : deleteAccepted) {
            assertThat(trustsByMark.getOrDefault(TrustMark.created(builtUuid.get(name)), List.of()))
                    .as("trusts of %s, deleted", name).isEmpty();
        }
    }

    // ---- the application process ----

    private void start(Point point, int after) throws Exception {
        Map<String, String> settings = new java.util.HashMap<>();
        // the single-process local Heat, busy with dozens of stacks, may take several seconds to answer a
        // create or an update: a short timeout would turn that into backoffs the crash points then wait on
        settings.put("baystack.heat.timeout", "20s");
        // nor are the create-time look-ups its subject: beside the fast tier's first Quarkus boot, the local
        // Glance, Nova and Neutron took over 10 s (the default) to answer some of them (503 in CI)
        settings.put("baystack.cloud.timeout", "30s");
        // the matrix's subject is the hand-off (one stack per bay, whatever crashes), not the bay's shape:
        // the light stand-ins make each bay 5 Heat stacks instead of about 20, so the one local Heat
        // gets through the matrix's hundred bays several times faster
        settings.put("baystack.heat.environment", LightStandIns.ENVIRONMENT);
        if (point != null) {
            settings.put("baystack.crash.point", point.setting());
            settings.put("baystack.crash.after", Integer.toString(after));
        }
        app.start(point == null ? null : point.setting(), settings);
        System.out.printf("crash matrix: started%s%n",
                point == null ? " (no crash point)" : " with crash point " + point.setting() + " at pass " + after);
    }

    /** Waits for the armed point's marker, then SIGKILLs the process there. */
    private void crashAt(Point point, List<CompletableFuture<Void>> requests) throws Exception {
        // generous: a point in the Heat function is reached only once the work redriven from the runs
        // before has gone through Heat, which the local single-process Heat may take minutes for
        app.awaitLog(CrashPoints.MARKER + " " + point.setting(), Duration.ofSeconds(420));
        app.kill();
        // requests in flight die with the process: their callers saw no answer
        CompletableFuture.allOf(requests.toArray(CompletableFuture[]::new)).handle((v, e) -> null).get();
        System.out.printf("crash matrix: SIGKILL at %s%n", point.setting());
    }

    private List<JsonNode> awaitAllFinal() throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(12));
        while (true) {
            List<JsonNode> bays = new ArrayList<>();
            HttpResponse<String> page = send(api("/v1/bays/detail?limit=1000").GET());
            assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
            JSON.readTree(page.body()).path("bays").forEach(bays::add);
            Map<String, Long> statuses = bays.stream()
                    .collect(Collectors.groupingBy(b -> b.path("status").asText(), Collectors.counting()));
            if (bays.stream().allMatch(b -> b.path("status").asText().matches(".*_(COMPLETE|FAILED)"))) {
                System.out.printf("crash matrix: all final: %s%n", statuses);
                return bays;
            }
            assertThat(Instant.now()).as("bays still in progress: %s", statuses).isBefore(deadline);
            Thread.sleep(2000);
        }
    }

    // ---- the work ----

    private String createBaymodel() throws Exception {
        String body = JSON.writeValueAsString(Map.of("name", prefix + "-model", "coe", "kubernetes",
                "image_id", "debian-12", "flavor_id", "m1.small", "keypair_id", "testkey",
                "external_network_id", "public", "docker_volume_size", 3));
        HttpResponse<String> response = send(api("/v1/baymodels").POST(HttpRequest.BodyPublishers.ofString(body)));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return JSON.readTree(response.body()).path("uuid").asText();
    }

    private CompletableFuture<Void> create(String model, String name) throws IOException {
        createsSent++;
        String body = JSON.writeValueAsString(Map.of("name", name, "baymodel_id", model, "node_count", 1));
        return sendAsync(api("/v1/bays").POST(HttpRequest.BodyPublishers.ofString(body))).thenAccept(r -> {
            if (r.statusCode() != 202) {
                unexpected.add("create " + name + ": " + r.statusCode() + " " + r.body());
                return;
            }
            synchronized (acceptedUuid) {
                acceptedUuid.put(name, read(r.body()).path("uuid").asText());
            }
        });
    }

    private CompletableFuture<Void> resize(String name, int nodes) {
        String body = "[{\"op\": \"replace\", \"path\": \"/node_count\", \"value\": " + nodes + "}]";
        return sendAsync(api("/v1/bays/" + name).method("PATCH", HttpRequest.BodyPublishers.ofString(body))).thenAccept(r -> {
            if (r.statusCode() != 202) {
                unexpected.add("resize " + name + ": " + r.statusCode() + " " + r.body());
                return;
            }
            synchronized (resizeAccepted) {
                resizeAccepted.add(name);
            }
        });
    }

    private CompletableFuture<Void> delete(String name) {
        synchronized (deleteSent) {
            deleteSent.add(name);
        }
        return sendAsync(api("/v1/bays/" + name).DELETE()).thenAccept(r -> {
            if (r.statusCode() != 204) {
                unexpected.add("delete " + name + ": " + r.statusCode() + " " + r.body());
                return;
            }
            synchronized (deleteAccepted) {
                deleteAccepted.add(name);
            }
        });
    }

    // ---- plumbing ----

    private static String stackName(JsonNode bay) {
        return io.baystack.bay.Bay.stackNameFor(bay.path("name").asText(), bay.path("uuid").asText());
    }

    private HttpRequest.Builder api(String path) {
        return app.api(path);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return app.send(request);
    }

    private CompletableFuture<HttpResponse<String>> sendAsync(HttpRequest.Builder request) {
        return app.sendAsync(request);
    }

    private static JsonNode read(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new IllegalStateException(body, e);
        }
    }
}
