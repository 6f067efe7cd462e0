package io.baystack.function;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.Delivery;

import io.baystack.bay.Bay;
import io.baystack.support.Api;
import io.baystack.support.LocalCloud;
import io.baystack.support.RabbitQueues;
import io.baystack.support.Rows;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * The hand-off through the real RabbitMQ on loopback (profile {@code rabbitmq}): the API publishes a
 * persistent message naming the bay, the operation, the request and the trace; the Heat function
 * takes it from the queue. The redrive is pushed out of reach, so only the broker can bring the bay
 * to its stack. The test listens on its own queue bound to the same exchange, as another consumer
 * of the notifications would.
 */
@QuarkusTest
@TestProfile(RabbitHandOffTest.Rabbit.class)
class RabbitHandOffTest {

    static final String EXCHANGE = "baystack-test";
    /** The application's own (durable) hand-off queue in this test. */
    static final String QUEUE = "baystack.test-handoff";

    public static class Rabbit implements QuarkusTestProfile {
        @Override
        public String getConfigProfile() {
            return "test,rabbitmq";
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("mp.messaging.outgoing.bay-handoff.exchange.name", EXCHANGE,
                    "mp.messaging.incoming.bay-handoff-in.exchange.name", EXCHANGE,
                    "mp.messaging.incoming.bay-handoff-in.queue.name", QUEUE,
                    "mp.messaging.outgoing.bay-notifications.exchange.name", EXCHANGE,
                    "baystack.conductor.redrive-after", "10m");
        }
    }

    @Inject
    Rows rows;

    private static Connection connection;
    private static Channel channel;
    private static final BlockingQueue<Delivery> SEEN = new LinkedBlockingQueue<>();
    private static final java.util.List<Delivery> NOTIFIED = new java.util.concurrent.CopyOnWriteArrayList<>();

    @BeforeAll
    static void listen() throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("127.0.0.1");
        factory.setPort(Integer.parseInt(System.getenv().getOrDefault("BAYSTACK_RABBITMQ_PORT", "5672")));
        connection = factory.newConnection("baystack-test-listener");
        channel = connection.createChannel();
        channel.exchangeDeclare(EXCHANGE, "topic", true);
        String queue = channel.queueDeclare().getQueue(); // exclusive, gone with the connection
        channel.queueBind(queue, EXCHANGE, "bay.handoff");
        channel.basicConsume(queue, true, (tag, delivery) -> SEEN.add(delivery), tag -> { });
        String notifications = channel.queueDeclare().getQueue();
        channel.queueBind(notifications, EXCHANGE, "bay.notification.#");
        channel.basicConsume(notifications, true, (tag, delivery) -> NOTIFIED.add(delivery), tag -> { });
    }

    @AfterAll
    static void close() throws Exception {
        connection.close();
        // durable, so left behind by every run otherwise
        RabbitQueues.delete(QUEUE, EXCHANGE);
    }

    @Test
    void theHandOffGoesThroughTheBrokerAndTheBayGetsOneStack() throws Exception {
        String name = Api.unique("rmq");
        String model = Api.createBaymodel(Api.unique("rmq"), "debian-12");
        Response accepted = Api.asDemo().body(Map.of("name", name, "baymodel_id", model, "node_count", 1))
                .post("/v1/bays").then().statusCode(201).extract().response();
        String uuid = accepted.jsonPath().getString("uuid");

        Delivery copy = awaitHandOff(uuid);
        JsonNode body = new ObjectMapper().readTree(new String(copy.getBody(), StandardCharsets.UTF_8));
        assertThat(body.path("operation").asText()).isEqualTo("create");
        assertThat(body.path("request_id").asText()).isEqualTo(accepted.header("x-openstack-request-id"));
        AMQP.BasicProperties props = copy.getProperties();
        assertThat(props.getDeliveryMode()).as("persistent").isEqualTo(2);
        assertThat(props.getContentType()).isEqualTo("application/json");
        assertThat(props.getHeaders().get("bay_uuid")).hasToString(uuid);
        // the trace context: the accepting request's trace, continued by the hand-off's own span
        String traceId = ((String) rows.byUuid("bay", uuid).get("trace_parent")).split("-")[1];
        assertThat(body.path("traceparent").asText()).startsWith("00-" + traceId + "-");
        assertThat(props.getHeaders().get("traceparent")).hasToString(body.path("traceparent").asText());

        JsonPath bay = Api.awaitFinal(uuid);
        assertThat(bay.getString("status")).isEqualTo("CREATE_COMPLETE");
        assertThat(LocalCloud.stacksNamed(LocalCloud.token(LocalCloud.DEMO), Bay.stackNameFor(name, uuid))).hasSize(1);

        // the notifications: CloudEvents (structured) on the exchange, started then ended, with the bay's view
        ObjectMapper mapper = new ObjectMapper();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> notified(mapper, uuid).size() >= 2);
        java.util.List<JsonNode> events = notified(mapper, uuid);
        assertThat(events).extracting(e -> e.path("type").asText())
                .containsExactly("io.baystack.bay.create.start", "io.baystack.bay.create.end");
        JsonNode end = events.get(1);
        assertThat(end.path("specversion").asText()).isEqualTo("1.0");
        assertThat(end.path("source").asText()).isEqualTo("/baystack/api");
        assertThat(end.path("id").asText()).isNotEqualTo(events.get(0).path("id").asText());
        assertThat(end.path("data").path("status").asText()).isEqualTo("CREATE_COMPLETE");
        assertThat(end.path("data").path("stack_id").asText()).isEqualTo(bay.getString("stack_id"));
        // timestamps as the API writes them
        assertThat(end.path("data").path("created_at").asText()).isEqualTo(bay.getString("created_at"));
        assertThat(end.path("data").path("updated_at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\+00:00");
    }

    private static java.util.List<JsonNode> notified(ObjectMapper mapper, String uuid) throws Exception {
        java.util.List<JsonNode> out = new java.util.ArrayList<>();
        for (Delivery d : NOTIFIED) {
            JsonNode event = mapper.readTree(d.getBody());
            if (uuid.equals(event.path("subject").asText())) {
                assertThat(d.getProperties().getContentType()).isEqualTo("application/cloudevents+json");
                assertThat(d.getEnvelope().getRoutingKey()).isEqualTo("bay.notification."
                        + event.path("type").asText().substring("io.baystack.bay.".length()));
                out.add(event);
            }
        }
        return out;
    }

    @Test
    void aMessageNamingNoBayIsDroppedAndDoesNotBlockTheQueue() throws Exception {
        // confirmed: once the broker confirms, the message is on the application's queue
        try (Channel confirmed = connection.createChannel()) {
            confirmed.confirmSelect();
            confirmed.basicPublish(EXCHANGE, "bay.handoff", true,
                    new AMQP.BasicProperties.Builder().deliveryMode(2).build(),
                    "{\"not\": \"a hand-off\"}".getBytes(StandardCharsets.UTF_8));
            confirmed.waitForConfirmsOrDie(10_000);
        }
        // dropped: acknowledged by the Heat function, so neither waiting on the queue nor held by it (a
        // message left unacknowledged, or requeued, would show here however many others pass it)
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertThat(RabbitQueues.of(QUEUE)).as("queue %s", QUEUE)
                        .isEqualTo(new RabbitQueues.Counts(0, 0)));
        String name = Api.unique("rmq-after");
        String uuid = Api.createBay(name, Api.createBaymodel(Api.unique("rmq-after"), "debian-12"), 1);
        awaitHandOff(uuid);
        assertThat(Api.awaitFinal(uuid).getString("status")).isEqualTo("CREATE_COMPLETE");
    }

    private static Delivery awaitHandOff(String uuid) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < deadline) {
            Delivery d = SEEN.poll(500, TimeUnit.MILLISECONDS);
            if (d != null && new String(d.getBody(), StandardCharsets.UTF_8).contains(uuid)) {
                return d;
            }
        }
        throw new AssertionError("no hand-off of bay " + uuid + " seen on the exchange " + EXCHANGE);
    }
}
