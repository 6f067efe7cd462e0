package io.baystack.conductor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Test;

import io.baystack.bay.Bay;
import io.baystack.support.Api;
import io.baystack.support.LocalCloud;
import io.baystack.support.Rows;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;

/**
 * The Heat function against the real local Heat: a bay gets exactly one stack however many times it
 * is handed over, and a stack Heat accepted whose id was never stored (a crash at the worst moment)
 * is found again instead of being created twice.
 */
@QuarkusTest
class HandOffConsumerTest {

    private static final Duration HEAT_WAIT = Duration.ofMinutes(3);

    @Inject
    HandOffConsumer conductor;

    @Inject
    Rows rows;

    @Test
    void concurrentHandOffsOfOneBayCreateOneStack() {
        String model = Api.createBaymodel(Api.unique("dup"), "debian-12");
        String name = Api.unique("dup");
        String uuid = Api.createBay(name, model, 1);

        // the API's own hand-off races with four more, as redelivered or redriven messages would; the
        // conductor's refusals of the create claim are counted, which proves the hand-offs overlapped (one
        // after another, a later one would find the stack id stored and never ask for the claim)
        List<String> refused = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                String line = ((ExtLogRecord) record).getFormattedMessage();
                if (line.equals("bay " + uuid + ": another hand-off is creating its stack")) {
                    refused.add(line);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger log = Logger.getLogger(BayConverger.class.getName());
        Level was = log.getLevel();
        log.setLevel(Level.FINE);
        log.addHandler(capture);
        try {
            List<Uni<Void>> handOffs = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                handOffs.add(handOver(uuid));
            }
            Uni.join().all(handOffs).andCollectFailures().await().atMost(Duration.ofMinutes(1));
        } finally {
            log.removeHandler(capture);
            log.setLevel(was);
        }
        assertThat(refused).as("hand-offs refused the create claim while another held it").isNotEmpty();

        String stackId = awaitStack(uuid);
        LocalCloud.Token demo = LocalCloud.token(LocalCloud.DEMO);
        assertThat(LocalCloud.stacksNamed(demo, Bay.stackNameFor(name, uuid)))
                .singleElement().satisfies(s -> assertThat(s.path("id").asText()).isEqualTo(stackId));
        awaitStatus(uuid, "CREATE_COMPLETE");
    }

    @Test
    void aStackWhoseIdWasLostIsFoundAgainNotCreatedTwice() {
        String model = Api.createBaymodel(Api.unique("lost"), "debian-12");
        String name = Api.unique("lost");
        String uuid = Api.createBay(name, model, 1);
        String stackId = awaitStack(uuid);

        // what a crash between Heat's 201 and our commit leaves: a stack in Heat, none on the bay,
        // the dead hand-off's create claim run out, and the bay untouched long enough for the
        // reconciler's redrive scan to pick it up
        assertThat(rows.execute("update bay set stack_id = null, status = 'CREATE_IN_PROGRESS',"
                + " create_claim_until = $1, updated_at = $1 where uuid = $2", OffsetDateTime.now().minusMinutes(10),
                uuid)).isEqualTo(1);

        Awaitility.await().atMost(HEAT_WAIT).pollInterval(Duration.ofMillis(500))
                .until(() -> rows.byUuid("bay", uuid).get("stack_id") != null);
        assertThat(rows.byUuid("bay", uuid).get("stack_id")).isEqualTo(stackId);
        assertThat(LocalCloud.stacksNamed(LocalCloud.token(LocalCloud.DEMO), Bay.stackNameFor(name, uuid)))
                .hasSize(1);
        awaitStatus(uuid, "CREATE_COMPLETE");
    }

    @Test
    void aBayAlreadyGivenItsStackIsLeftAlone() {
        String model = Api.createBaymodel(Api.unique("done"), "debian-12");
        String name = Api.unique("done");
        String uuid = Api.createBay(name, model, 1);
        String stackId = awaitStack(uuid);
        awaitStatus(uuid, "CREATE_COMPLETE");
        Map<String, Object> before = rows.byUuid("bay", uuid);

        handOver(uuid).await().atMost(Duration.ofSeconds(30));

        assertThat(rows.byUuid("bay", uuid).get("stack_id")).isEqualTo(stackId);
        assertThat(rows.byUuid("bay", uuid)).containsEntry("updated_at", before.get("updated_at"))
                .containsEntry("status", "CREATE_COMPLETE").containsEntry("status_reason", before.get("status_reason"));
        assertThat(LocalCloud.stacksNamed(LocalCloud.token(LocalCloud.DEMO), Bay.stackNameFor(name, uuid)))
                .hasSize(1);
    }


    private String awaitStack(String uuid) {
        Awaitility.await().atMost(HEAT_WAIT).pollInterval(Duration.ofMillis(200))
                .until(() -> rows.byUuid("bay", uuid).get("stack_id") != null);
        return (String) rows.byUuid("bay", uuid).get("stack_id");
    }

    private static void awaitStatus(String uuid, String status) {
        Awaitility.await().atMost(HEAT_WAIT).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                assertThat(Api.asDemo().get("/v1/bays/" + uuid).then().extract().path("status").toString())
                        .isEqualTo(status));
    }

    /** Hands the bay over as the channel does; completes when the conductor acknowledges the message (work done). */
    private Uni<Void> handOver(String uuid) {
        CompletableFuture<Void> acked = new CompletableFuture<>();
        // a nack fails the hand-off at once, with the reason, rather than leaving the wait to time out
        Message<String> message = Message.of(uuid, () -> {
            acked.complete(null);
            return CompletableFuture.completedFuture(null);
        }, reason -> {
            acked.completeExceptionally(new AssertionError("hand-off of bay " + uuid + " nacked", reason));
            return CompletableFuture.completedFuture(null);
        });
        return conductor.onBayAccepted(message).chain(() -> Uni.createFrom().completionStage(acked));
    }
}
