package io.baystack.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.baystack.bay.Bay;
import io.baystack.support.AppProcess;
import io.baystack.support.HeatFaultProxy;
import io.baystack.support.LocalCloud;

/**
 * Two baystack processes on one database, the second with its clock ten minutes ahead (Debian's libfaketime
 * preloaded into its JVM): claims, due times and the time a bay was accepted are the database's clock, so
 * the skewed process neither creates a second stack for a bay the other is creating (it redrives it while
 * the other's create is held up, and finds the claim taken), nor holds back a bay it accepted and then left
 * (the other process's redrive takes it within seconds, not ten minutes).
 */
class SkewedClockIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path FAKETIME = Path.of("/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1");
    private static final Duration SKEW = Duration.ofMinutes(10);

    private final LocalCloud.Token demo = LocalCloud.token(LocalCloud.DEMO);
    private final AppProcess steady = new AppProcess("skew-steady", "baystack_skew");
    // (a JVM under libfaketime starts a little slower: AppProcess's default allows for a loaded machine)
    private final AppProcess ahead = new AppProcess("skew-ahead", "baystack_skew");
    private HeatFaultProxy heat;

    @AfterEach
    void stop() throws Exception {
        steady.close();
        ahead.close();
        if (heat != null) {
            heat.stop();
        }
    }

    @Test
    void aProcessTenMinutesAheadNeitherDoublesAStackNorHoldsBackABayItLeft() throws Exception {
        assertThat(FAKETIME).as("Debian's libfaketime (scripts/install-deps.sh installs faketime)").exists();
        heat = HeatFaultProxy.standalone();
        // Heat's answer to a create held back 6 s: within this timeout, so the steady process holds its claim meanwhile
        Map<String, String> common = Map.of("baystack.heat.endpoint-override", heat.url(), "baystack.heat.timeout", "15s");
        steady.start("steady", common);
        String model = baymodel();
        Map<String, String> aheadSettings = new java.util.HashMap<>(common);
        aheadSettings.put("quarkus.flyway.clean-at-start", "false");
        aheadSettings.put("quarkus.log.category.\"io.baystack.conductor\".level", "DEBUG");
        // the bay it accepts first is left there: stored, never handed over (its request never answered)
        aheadSettings.put("baystack.crash.point", "create-committed");
        aheadSettings.put("baystack.crash.after", "1");
        ahead.start("ahead", aheadSettings, Map.of("LD_PRELOAD", FAKETIME.toString(), "FAKETIME", "+10m",
                // the JVM's timers and waits keep the real monotonic clock
                "FAKETIME_DONT_FAKE_MONOTONIC", "1",
                // and its timed waits (pthread_cond_timedwait on a monotonic condition) go to libc untouched:
                // libfaketime's fix-up of them made the JVM burn 67 s of CPU to start in 52 s, starving the
                // other tests (without it: 4.5 s of CPU, started in 6 s)
                "FAKETIME_FORCE_MONOTONIC_FIX", "0"));
        Duration skew = Duration.between(Instant.now(), lastLogTime(ahead.log()));
        assertThat(skew).as("the skewed process's own clock, as its log stamps it").isBetween(SKEW.minusMinutes(1),
                SKEW.plusMinutes(1));

        // 1. created through the steady process, whose create Heat holds for 6 s: the process ahead redrives
        //    the bay meanwhile (due on the database's clock) and finds the create claim taken
        String held = "skew-held-" + Long.toString(System.nanoTime() % 1_000_000, 36);
        heat.inject("POST", "/v1/[^/]+/stacks", held, 1, HeatFaultProxy.Fault.SLOW);
        String heldUuid = create(steady, model, held);
        ahead.awaitLog("bay " + heldUuid + ": another hand-off is creating its stack", Duration.ofSeconds(30));
        assertThat(awaitStatus(steady, heldUuid, Duration.ofMinutes(2))).isEqualTo("CREATE_COMPLETE");
        assertThat(LocalCloud.stacksNamed(demo, Bay.stackNameFor(held, heldUuid))).as("stacks of %s", held).hasSize(1);

        // 2. accepted by the process ahead, which stops dead before handing it over: the steady process's
        //    redrive takes it after its redrive-after (3 s), as for any bay, not ten minutes later
        String left = "skew-left-" + Long.toString(System.nanoTime() % 1_000_000, 36);
        ahead.sendAsync(ahead.api("/v1/bays").POST(HttpRequest.BodyPublishers.ofString(
                JSON.writeValueAsString(Map.of("name", left, "baymodel_id", model, "node_count", 1)))));
        ahead.awaitLog("BAYSTACK-CRASH-POINT create-committed bay ", Duration.ofSeconds(30));
        String leftUuid = crashedBay(ahead.log());
        ahead.kill();
        assertThat(awaitStatus(steady, leftUuid, Duration.ofSeconds(90))).isEqualTo("CREATE_COMPLETE");
        assertThat(LocalCloud.stacksNamed(demo, Bay.stackNameFor(left, leftUuid))).as("stacks of %s", left).hasSize(1);

        for (String uuid : new String[] { heldUuid, leftUuid }) {
            HttpResponse<String> deleted = steady.send(steady.api("/v1/bays/" + uuid).DELETE());
            assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(204);
        }
        for (String uuid : new String[] { heldUuid, leftUuid }) {
            awaitGone(steady, uuid);
        }
    }

    private String baymodel() throws Exception {
        String body = JSON.writeValueAsString(Map.of("name", "skew-model", "coe", "kubernetes", "image_id", "debian-12",
                "flavor_id", "m1.small", "keypair_id", "testkey", "external_network_id", "public"));
        HttpResponse<String> response = steady.send(steady.api("/v1/baymodels").POST(HttpRequest.BodyPublishers.ofString(body)));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return JSON.readTree(response.body()).path("uuid").asText();
    }

    private static String create(AppProcess app, String model, String name) throws Exception {
        HttpResponse<String> r = app.send(app.api("/v1/bays").POST(HttpRequest.BodyPublishers.ofString(
                JSON.writeValueAsString(Map.of("name", name, "baymodel_id", model, "node_count", 1)))));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        return JSON.readTree(r.body()).path("uuid").asText();
    }

    private static String awaitStatus(AppProcess app, String uuid, Duration within) {
        String[] status = new String[1];
        String[] last = new String[1];
        try {
            Awaitility.await().atMost(within).pollInterval(Duration.ofMillis(500)).until(() -> {
                HttpResponse<String> r = app.send(app.api("/v1/bays/" + uuid).GET());
                last[0] = r.body();
                status[0] = JSON.readTree(r.body()).path("status").asText();
                return r.statusCode() == 200 && (status[0].endsWith("_COMPLETE") || status[0].endsWith("_FAILED"));
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("bay " + uuid + " still " + status[0] + " after " + within + ": " + last[0], e);
        }
        return status[0];
    }

    private static void awaitGone(AppProcess app, String uuid) {
        Awaitility.await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500)).alias("bay " + uuid + " gone")
                .until(() -> app.send(app.api("/v1/bays/" + uuid).GET()).statusCode() == 404);
    }

    /** The time of the log's last stamped line (the process's own clock). */
    private static Instant lastLogTime(Path log) throws Exception {
        Matcher m = Pattern.compile("(?m)^(\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}),\\d{3} ").matcher(Files.readString(log));
        String last = null;
        while (m.find()) {
            last = m.group(1);
        }
        assertThat(last).as("a stamped line in %s", log).isNotNull();
        return LocalDateTime.parse(last, DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")).toInstant(ZoneOffset.UTC);
    }

    private static String crashedBay(Path log) throws Exception {
        Matcher m = Pattern.compile("BAYSTACK-CRASH-POINT create-committed bay ([0-9a-f-]{36})").matcher(Files.readString(log));
        assertThat(m.find()).as("the crash point's line in %s", log).isTrue();
        return m.group(1);
    }
}
