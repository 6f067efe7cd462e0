package io.baystack.conductor;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

import io.baystack.support.Api;
import io.baystack.support.Metrics;
import io.baystack.support.RabbitQueues;
import io.baystack.support.Rows;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/**
 * With no reconciler round at all, a bay follows its stack through create, scale and delete on the
 * real local Heat's own notifications (scripts/local-up.sh points Heat's oslo.messaging notifier at the
 * local RabbitMQ). A notification for a stack no bay owns, or a repeated one, changes nothing and
 * costs no Heat call.
 */
@QuarkusTest
@TestProfile(HeatNotificationsEndToEndTest.NotificationsOnly.class)
class HeatNotificationsEndToEndTest {

    /** Heat's notifications on; every periodic round off, so only a notification can move a bay. */
    public static class NotificationsOnly implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // queues of its own beside the default ones (which `make run`'s baystack consumes, maybe at the
            // same time: a notification taken there would never reach this test), gone with the test
            return Map.of("mp.messaging.incoming.heat-notifications.enabled", "true",
                    "mp.messaging.incoming.heat-notifications.queue.name", QUEUE,
                    "mp.messaging.incoming.heat-notifications.queue.auto-delete", "true",
                    "mp.messaging.incoming.heat-notification-errors.enabled", "true",
                    "mp.messaging.incoming.heat-notification-errors.queue.name", "baystack-heat.test.error",
                    "mp.messaging.incoming.heat-notification-errors.queue.auto-delete", "true",
                    "baystack.reconciler.interval", "off");
        }
    }

    /** This test's queue of Heat's notifications (routing key baystack-heat.info, as the default one). */
    static final String QUEUE = "baystack-heat.test.info";

    /** Heat's reads of a stack's status: a list of stacks, or one stack in detail (a notification that it ended). */
    private static final List<String> STACK_READS = List.of(
            "baystack_heat_calls_seconds_count{operation=\"list\",outcome=\"success\"}",
            "baystack_heat_calls_seconds_count{operation=\"get\",outcome=\"success\"}");

    @Inject
    Rows rows;

    @Test
    void aBayFollowsHeatsNotificationsWithoutARound() throws Exception {
        String model = Api.createBaymodel(Api.unique("notified"), "debian-12");
        String uuid = Api.createBay(Api.unique("notified"), model, 1);
        JsonPath created = Api.awaitFinal(uuid);
        assertThat(created.getString("status")).as(created.prettify()).isEqualTo("CREATE_COMPLETE");
        assertThat(created.getString("api_address")).as("the outputs were read too").startsWith("https://");
        String stackId = created.getString("stack_id");

        // a notification for a stack no bay owns, and one repeating the bay's last: nothing changes, no Heat call
        Object updatedAt = rows.byUuid("bay", uuid).get("updated_at");
        double readsBefore = stackReads();
        publish(io.baystack.support.OsloNotifications.envelope("orchestration.stack.create.end", UUID.randomUUID().toString()));
        publish(io.baystack.support.OsloNotifications.envelope("orchestration.stack.create.end", stackId));
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
            RabbitQueues.Counts counts = RabbitQueues.of(QUEUE);
            return counts != null && counts.ready() == 0 && counts.unacknowledged() == 0;
        });
        assertThat(rows.byUuid("bay", uuid)).containsEntry("updated_at", updatedAt).containsEntry("status", "CREATE_COMPLETE");
        assertThat(stackReads()).as("Heat's reads of stacks").isEqualTo(readsBefore);

        Api.asDemo().body(List.of(Map.of("op", "replace", "path", "/node_count", "value", 2))).patch("/v1/bays/" + uuid)
                .then().statusCode(200);
        JsonPath scaled = Api.awaitFinal(uuid);
        assertThat(scaled.getString("status")).as(scaled.prettify()).isEqualTo("UPDATE_COMPLETE");
        assertThat(scaled.getList("node_addresses")).hasSize(2);
        assertThat(stackReads()).as("the syncs read Heat").isGreaterThan(readsBefore);

        Api.asDemo().delete("/v1/bays/" + uuid).then().statusCode(204);
        Awaitility.await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(500))
                .until(() -> rows.byUuid("bay", uuid) == null);
    }

    private static double stackReads() {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        double reads = 0;
        for (String series : STACK_READS) {
            Double value = Metrics.value(metrics, series);
            reads += value == null ? 0 : value;
        }
        return reads;
    }

    /** Publishes as Heat's notifier does: to the exchange `heat`, routing key baystack-heat.info. */
    private static void publish(String body) throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("127.0.0.1");
        factory.setPort(Integer.parseInt(System.getenv().getOrDefault("BAYSTACK_RABBITMQ_PORT", "5672")));
        try (Connection connection = factory.newConnection("baystack-test-notifications");
                Channel channel = connection.createChannel()) {
            channel.basicPublish("heat", "baystack-heat.info",
                    new AMQP.BasicProperties.Builder().contentType("application/json").build(),
                    body.getBytes(StandardCharsets.UTF_8));
        }
    }
}
