package io.baystack.conductor;

import java.nio.charset.StandardCharsets;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.baystack.runtime.FreshContext;
import io.baystack.runtime.Permits;
import io.baystack.config.BaystackConfig;
import io.baystack.db.DatabaseFaults;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.rabbitmq.IncomingRabbitMQMetadata;

/**
 * The Heat function's intake from a messaging channel: the in-process channel, or RabbitMQ's queue.
 * It parses the hand-off, waits for a permit and hands the work to the {@link BayConverger}; the
 * message is acknowledged once the work is over. What the work is, the bay's row says.
 */
@ApplicationScoped
public class HandOffConsumer {

    /** The in-process hand-off channel (emitter and consumer in this process). */
    public static final String CHANNEL = "bay-create";
    /** The hand-off channel that goes out to RabbitMQ (profile {@code rabbitmq}). */
    public static final String BROKER_OUT = "bay-handoff";
    /** The hand-off channel that comes in from RabbitMQ's queue (profile {@code rabbitmq}). */
    public static final String BROKER_IN = "bay-handoff-in";
    private static final Logger LOG = Logger.getLogger(HandOffConsumer.class);

    private final BayConverger converger;
    private final FreshContext fresh;
    private final ObjectMapper json;
    private final Permits permits;

    HandOffConsumer(BayConverger converger, FreshContext fresh, ObjectMapper json, BaystackConfig config) {
        this.converger = converger;
        this.fresh = fresh;
        this.json = json;
        this.permits = new Permits(config.conductor().concurrency());
    }

    @Incoming(CHANNEL)
    public Uni<Void> onBayAccepted(Message<String> message) {
        return take(message, message.getPayload());
    }

    /** The same hand-offs, arriving through RabbitMQ (profile {@code rabbitmq}); acknowledged once done. */
    @Incoming(BROKER_IN)
    public Uni<Void> onBrokerHandOff(Message<Object> message) {
        // the connector turns the body into a String, a JSON object or bytes after its content type
        Object payload = message.getPayload();
        if (message.getMetadata(IncomingRabbitMQMetadata.class).map(IncomingRabbitMQMetadata::isRedeliver).orElse(false)) {
            LOG.infof("hand-off redelivered by RabbitMQ (its first delivery was never acknowledged): %s", payload);
        }
        return take(message, payload instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8)
                : String.valueOf(payload));
    }

    /**
     * Starts the hand-off's work once one of the {@code baystack.conductor.concurrency} permits is
     * free and returns then, so the next message is taken while this one waits on Heat. The message
     * is acknowledged when the work is over, whatever its outcome: what could not be done stays
     * recorded on the bay and is redriven; only a process that dies first leaves it unacknowledged,
     * and a broker then delivers it again.
     */
    private Uni<Void> take(Message<?> message, String body) {
        HandOff handOff;
        try {
            handOff = HandOff.parse(body, json);
            LOG.debugf("bay %s: %s handed over (request %s)", handOff.bayUuid(), handOff.operation(), handOff.requestId());
        } catch (IllegalArgumentException e) {
            LOG.warnf("dropped a hand-off that names no bay: %s", e.getMessage());
            return Uni.createFrom().completionStage(message.ack());
        }
        String bayUuid = handOff.bayUuid();
        return permits.acquire().invoke(() -> fresh.run(handOff.requestId(), () -> converger.converge(handOff))
                .onFailure().invoke(e -> {
                    if (DatabaseFaults.unavailable(e)) {
                        LOG.warnf("bay %s: hand-off to Heat postponed, the database is unavailable (%s); the redrive"
                                + " hands it over again", bayUuid, e.getMessage());
                    } else {
                        LOG.errorf(e, "bay %s: hand-off to Heat failed", bayUuid);
                    }
                })
                .onFailure().recoverWithNull()
                .eventually(permits::release)
                .chain(() -> Uni.createFrom().completionStage(message.ack()))
                .subscribe().with(ignored -> { }, e -> LOG.warnf("bay %s: hand-off not acknowledged: %s", bayUuid,
                        e.getMessage())));
    }
}
