package io.baystack.conductor;

import java.time.ZonedDateTime;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.baystack.bay.HandOffs;
import io.baystack.conductor.CrashPoints.Point;
import io.baystack.config.BaystackConfig;
import io.baystack.config.BaystackConfig.Handoff.Mode;
import io.baystack.trace.BayTracing;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.rabbitmq.OutgoingRabbitMQMetadata;

/**
 * Tells the Heat function that a bay has work, after the commit. How depends on
 * {@code baystack.handoff.mode}:
 * <ul>
 * <li>{@code channel}: on the messaging channel {@value HandOffConsumer#CHANNEL}, in memory to
 * this process's Heat function;</li>
 * <li>{@code rabbitmq}: on the channel {@value HandOffConsumer#BROKER_OUT}, a persistent message
 * to RabbitMQ's exchange; a Heat function (this process or another) consumes it from the queue;</li>
 * <li>{@code sink}: as a CloudEvent POSTed to {@code baystack.handoff.sink} (a Knative Broker),
 * which delivers it to the Heat function's {@code /functions/heat};</li>
 * <li>{@code none}: not at all; the reconciler's rounds do the work.</li>
 * </ul>
 * Fire and forget on purpose: the stored bay is the promise, and a hand-off lost here is made good
 * by the reconciler's redrive.
 */
@ApplicationScoped
public class BayHandOff implements HandOffs {

    /** The CloudEvent type of a hand-off. */
    public static final String EVENT_TYPE = "io.baystack.bay.handoff";
    private static final Logger LOG = Logger.getLogger(BayHandOff.class);

    private final MutinyEmitter<String> emitter;
    private final MutinyEmitter<String> broker;
    private final Mode mode;
    private final CloudEventSink sink;
    private final String source;
    private final ObjectMapper json;
    private final BayTracing tracing;
    private final CrashPoints crash;

    BayHandOff(@Channel(HandOffConsumer.CHANNEL) @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 4096)
            MutinyEmitter<String> emitter,
            @Channel(HandOffConsumer.BROKER_OUT) @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 4096)
            Instance<MutinyEmitter<String>> broker, BaystackConfig config, ObjectMapper json, BayTracing tracing,
            CrashPoints crash) {
        this.tracing = tracing;
        this.crash = crash;
        this.emitter = emitter;
        // the broker channel is disabled outside the rabbitmq profile, and its emitter cannot be made then
        this.broker = config.handoff().mode() == Mode.RABBITMQ ? broker.get() : null;
        this.json = json;
        this.mode = config.handoff().mode();
        this.source = config.handoff().source();
        if (mode == Mode.SINK) {
            String url = config.handoff().sink().orElseThrow(() -> new IllegalStateException(
                    "baystack.handoff.mode=sink needs baystack.handoff.sink (K_SINK)"));
            this.sink = CloudEventSink.at(url);
        } else {
            this.sink = null;
        }
    }

    /**
     * The domain's hand-over after its commit: a crash point before (the change is committed) and,
     * for a create, after the publish (test configuration only; see {@link CrashPoints}).
     */
    @Override
    public Uni<Void> handOver(String bayUuid, String operation, String requestId) {
        Point committed = switch (operation) {
            case HandOffs.UPDATE -> Point.UPDATE_COMMITTED;
            case HandOffs.DELETE -> Point.DELETE_COMMITTED;
            default -> Point.CREATE_COMMITTED;
        };
        return crash.pass(committed, bayUuid)
                .invoke(() -> publish(new HandOff(bayUuid, operation, requestId)))
                .call(() -> HandOffs.CREATE.equals(operation) ? crash.pass(Point.CREATE_PUBLISHED, bayUuid)
                        : Uni.createFrom().voidItem());
    }

    /** Whether hand-offs go anywhere; with {@code none} the reconciler does the work itself. */
    public boolean delivers() {
        return mode != Mode.NONE;
    }

    /**
     * Sends the hand-off, continuing its trace ({@link HandOff#traceparent()}, else the current one)
     * with a PRODUCER span whose context the message carries.
     */
    public void publish(HandOff request) {
        HandOff handOff = request.withTraceparent(
                tracing.producer("bay-handoff publish", request.traceparent(), request.bayUuid(), request.operation()));
        switch (mode) {
            case CHANNEL -> {
                try {
                    emitter.sendAndForget(handOff.toJson(json));
                } catch (RuntimeException e) {
                    LOG.warnf("hand-off of bay %s not sent now (%s); the redrive will send it", handOff.bayUuid(),
                            e.getMessage());
                }
            }
            case RABBITMQ -> {
                var builder = OutgoingRabbitMQMetadata.builder()
                        .withDeliveryMode(2) // persistent: a broker restart keeps the hand-off
                        .withContentType("application/json")
                        .withMessageId(UUID.randomUUID().toString())
                        .withTimestamp(ZonedDateTime.now())
                        .withHeader("bay_uuid", handOff.bayUuid());
                if (handOff.traceparent() != null) { // none when tracing is off: no "null" header
                    builder.withHeader("traceparent", handOff.traceparent());
                }
                var metadata = builder.build();
                try {
                    broker.sendMessage(Message.of(handOff.toJson(json), Metadata.of(metadata)))
                            .subscribe().with(ok -> { }, e -> LOG.warnf(
                                    "hand-off of bay %s not confirmed by RabbitMQ (%s); the redrive will send it",
                                    handOff.bayUuid(), e.getMessage()));
                } catch (RuntimeException e) {
                    LOG.warnf("hand-off of bay %s not sent now (%s); the redrive will send it", handOff.bayUuid(),
                            e.getMessage());
                }
            }
            case SINK -> sink.send("1.0", UUID.randomUUID().toString(), source, EVENT_TYPE, handOff.bayUuid(), handOff.data())
                    .subscribe().with(r -> {
                        if (r.getStatus() >= 300) {
                            LOG.warnf("hand-off of bay %s refused by the sink (%d); the redrive will send it",
                                    handOff.bayUuid(), r.getStatus());
                        }
                    }, e -> LOG.warnf("hand-off of bay %s not sent now (%s); the redrive will send it",
                            handOff.bayUuid(), e.getMessage()));
            case NONE -> LOG.debugf("bay %s: hand-offs are off; the reconciler takes it", handOff.bayUuid());
        }
    }
}
