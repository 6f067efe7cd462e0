package io.baystack.function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;

import io.baystack.bay.Bay;
import io.baystack.support.Api;
import io.baystack.support.LocalCloud;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;

/**
 * Knative with RabbitMQ as the broker: the API publishes each hand-off to the real RabbitMQ on
 * loopback (profile {@code rabbitmq}, its own consumer off, as in a Knative API service), and a
 * Knative RabbitmqSource on the hand-off queue delivers each message to the Heat function's
 * {@code /functions/heat} as a binary CloudEvent of type {@code dev.knative.rabbitmq.event}, the
 * message's body as its data, acknowledging it once the function answered 2xx. No Knative runs here:
 * the test does what that source does, on the real broker's real queue, and nothing else hands the
 * bay over (no consumer in the process, the redrive out of reach).
 */
@QuarkusTest
@TestProfile(RabbitSourceHandOffTest.KnativeWithRabbit.class)
class RabbitSourceHandOffTest {

    static final String EXCHANGE = "baystack-test-source";
    static final String QUEUE = "baystack.test-source-handoff";

    public static class KnativeWithRabbit implements QuarkusTestProfile {
        @Override
        public String getConfigProfile() {
            return "test,rabbitmq";
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("mp.messaging.outgoing.bay-handoff.exchange.name", EXCHANGE,
                    "mp.messaging.incoming.bay-handoff-in.enabled", "false",
                    "mp.messaging.outgoing.bay-notifications.exchange.name", EXCHANGE,
                    "baystack.functions.enabled", "true",
                    "baystack.conductor.redrive-after", "10m");
        }
    }

    private static Connection connection;
    private static Channel channel;

    /** The queue the RabbitmqSource consumes (predeclared, durable), bound as baystack's own queue is. */
    @BeforeAll
    static void declareTheSourcesQueue() throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("127.0.0.1");
        factory.setPort(Integer.parseInt(System.getenv().getOrDefault("BAYSTACK_RABBITMQ_PORT", "5672")));
        connection = factory.newConnection("baystack-test-rabbitmq-source");
        channel = connection.createChannel();
        channel.exchangeDeclare(EXCHANGE, "topic", true);
        channel.queueDeclare(QUEUE, true, false, false, null);
        channel.queueBind(QUEUE, EXCHANGE, "bay.handoff");
        channel.queuePurge(QUEUE);
    }

    @AfterAll
    static void close() throws Exception {
        channel.queueDelete(QUEUE);
        connection.close();
    }

    @Test
    void aHandOffPublishedToRabbitMqAndDeliveredByItsSourceBuildsTheBayOnce() throws Exception {
        String name = Api.unique("rmqsrc");
        String uuid = Api.createBay(name, Api.createBaymodel(Api.unique("rmqsrc"), "debian-12"), 1);

        GetResponse message = awaitMessage(uuid);
        // a positive control: a second bay's message, taken from the queue after this one's and delivered
        // as the source would, answered once Heat took its stack. Anything in the API process taking
        // hand-offs itself would have taken the first bay's by then, in Heat as in the row
        String control = Api.unique("rmqsrc-control");
        String controlUuid = Api.createBay(control, Api.createBaymodel(Api.unique("rmqsrc-control"), "debian-12"), 1);
        GetResponse controlMessage = awaitMessage(controlUuid);
        deliverAsTheSource(controlMessage).then().statusCode(200).body("bay_uuid", equalTo(controlUuid))
                .body("stack_id", org.hamcrest.Matchers.notNullValue());
        channel.basicAck(controlMessage.getEnvelope().getDeliveryTag(), false);
        assertThat(Api.asDemo().get("/v1/bays/" + uuid).then().extract().<String>path("stack_id"))
                .as("nothing in the API process takes the hand-off itself").isNull();
        assertThat(LocalCloud.stacksNamed(LocalCloud.token(LocalCloud.DEMO), Bay.stackNameFor(name, uuid)))
                .as("no stack asked of Heat for a bay whose message nobody delivered").isEmpty();
        // what the source sends: the message in binary mode, its body as the data
        deliverAsTheSource(message).then().statusCode(200).body("bay_uuid", equalTo(uuid))
                .body("stack_id", org.hamcrest.Matchers.notNullValue());
        channel.basicAck(message.getEnvelope().getDeliveryTag(), false);
        // the source delivers again when it saw no answer: nothing new
        deliverAsTheSource(message).then().statusCode(200);

        JsonPath bay = Api.awaitFinal(uuid);
        assertThat(bay.getString("status")).as(bay.prettify()).isEqualTo("CREATE_COMPLETE");
        assertThat(LocalCloud.stacksNamed(LocalCloud.token(LocalCloud.DEMO), Bay.stackNameFor(name, uuid))).hasSize(1);

        // a delete goes the same way
        Api.asDemo().delete("/v1/bays/" + uuid).then().statusCode(204);
        GetResponse delete = awaitMessage(uuid);
        assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(delete.getBody()).path("operation").asText())
                .isEqualTo("delete");
        deliverAsTheSource(delete).then().statusCode(200);
        channel.basicAck(delete.getEnvelope().getDeliveryTag(), false);
        org.awaitility.Awaitility.await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
                .until(() -> Api.demoGetStatus("/v1/bays/" + uuid) == 404);
        assertThat(LocalCloud.stacksNamed(LocalCloud.token(LocalCloud.DEMO), Bay.stackNameFor(name, uuid))).isEmpty();
    }

    private static io.restassured.response.Response deliverAsTheSource(GetResponse message) {
        return RestAssured.given().contentType(message.getProps().getContentType())
                .header("ce-specversion", "1.0").header("ce-id", message.getProps().getMessageId())
                .header("ce-source", "/apis/v1/namespaces/baystack/rabbitmqsources/baystack-handoff#" + QUEUE)
                .header("ce-type", FunctionsResource.RABBITMQ_SOURCE_TYPE)
                .body(message.getBody()).post("/functions/heat");
    }

    /** The next message on the queue naming the bay (others, e.g. from another test's bays, are left). */
    private static GetResponse awaitMessage(String uuid) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < deadline) {
            GetResponse r = channel.basicGet(QUEUE, false);
            if (r == null) {
                Thread.sleep(200);
            } else if (new String(r.getBody(), StandardCharsets.UTF_8).contains(uuid)) {
                return r;
            } else {
                channel.basicAck(r.getEnvelope().getDeliveryTag(), false);
            }
        }
        throw new AssertionError("no hand-off of bay " + uuid + " on the queue " + QUEUE);
    }
}
