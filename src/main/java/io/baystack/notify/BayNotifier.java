package io.baystack.notify;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.baystack.bay.NotificationOutbox;
import io.baystack.conductor.CloudEventSink;
import io.baystack.observability.BayMetrics;
import io.baystack.runtime.FreshContext;
import io.quarkus.scheduler.Scheduled;
import io.baystack.config.BaystackConfig;
import io.baystack.config.BaystackConfig.Handoff.Mode;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.rabbitmq.OutgoingRabbitMQMetadata;

/**
 * Sends the outbox's notifications as CloudEvents to the broker the hand-offs use: RabbitMQ
 * (structured mode, exchange {@code baystack}, routing key {@code bay.notification.<type>}) or the
 * Knative Broker ({@code K_SINK}, binary mode). Each is marked sent once the broker confirmed it, in
 * order, and the first failure ends the batch: a notification is sent at least once and the next
 * round tries again; consumers drop repeats by the CloudEvent id. In one process without a broker
 * (mode channel or none) a notification is logged and marked sent.
 */
@ApplicationScoped
public class BayNotifier {

    public static final String CHANNEL = "bay-notifications";
    private static final Logger LOG = Logger.getLogger(BayNotifier.class);
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private final NotificationOutbox outbox;
    private final ObjectMapper json;
    private final Mode mode;
    private final String source;
    private final Duration kept;
    private final MutinyEmitter<String> rabbit;
    private final CloudEventSink sink;

    /**
     * How long a round holds the notifications it took: longer than a batch takes to send, so a round
     * that overlaps it does not send them too; a round that dies leaves them to one after this.
     */
    static final Duration CLAIM = Duration.ofMinutes(1);

    private final FreshContext fresh;
    private final BayMetrics metrics;
    private final int batch;

    BayNotifier(NotificationOutbox outbox, ObjectMapper json, BaystackConfig config, FreshContext fresh, BayMetrics metrics,
            @Channel(CHANNEL) @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 1024) Instance<MutinyEmitter<String>> rabbit) {
        this.outbox = outbox;
        this.fresh = fresh;
        this.metrics = metrics;
        this.batch = config.reconciler().batchSize();
        this.json = json;
        this.mode = config.handoff().mode();
        this.source = config.handoff().source();
        this.kept = config.reconciler().notificationsKept();
        // the channel is disabled outside the rabbitmq profile, and its emitter cannot be made then
        this.rabbit = mode == Mode.RABBITMQ ? rabbit.get() : null;
        this.sink = mode == Mode.SINK ? config.handoff().sink().map(CloudEventSink::at).orElse(null) : null;
    }

    /** Its own schedule: neither a failing status sync nor a Heat outage holds the notifications back. */
    @Scheduled(identity = "notification-flush", every = "${baystack.reconciler.interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> onTimer() {
        return run().replaceWithVoid();
    }

    /** One round of {@link #flush}, awaited; a failure is logged and counts as none sent. */
    public Uni<Integer> run() {
        return fresh.run(() -> metrics.round("notify", flush(batch), n -> n))
                .onFailure().invoke(e -> LOG.warnf("notification flush failed: %s", e.getMessage()))
                .onFailure().recoverWithItem(0);
    }

    /**
     * Sends unsent notifications, oldest first, at most {@code limit}, then deletes those sent longer
     * ago than {@code baystack.reconciler.notifications-kept}; the number sent.
     */
    public Uni<Integer> flush(int limit) {
        return outbox.claimUnsent(limit, CLAIM).chain(batch -> {
            AtomicReference<NotificationOutbox.Unsent> failed = new AtomicReference<>();
            return Multi.createFrom().iterable(batch).onItem()
                    .transformToUniAndConcatenate(n -> send(n).call(() -> outbox.sent(n.id())).replaceWith(1)
                            .onFailure().invoke(() -> failed.set(n)))
                    .collect().with(java.util.stream.Collectors.summingInt(Integer::intValue))
                    .onFailure().call(e -> {
                        LOG.warnf("notifications not all sent now (%s); the next round sends the rest", e.getMessage());
                        // the one that failed stays claimed for a while (it may be one the broker refuses); the
                        // rest of the batch is given back, for the next round to send first
                        return outbox.release(batch.stream().map(NotificationOutbox.Unsent::id)
                                .filter(id -> failed.get() == null || id != failed.get().id()).toList());
                    });
        }).call(() -> outbox.purgeSentBefore(Instant.now().minus(kept)));
    }

    private Uni<Void> send(NotificationOutbox.Unsent n) {
        Map<String, Object> data = parse(n.data());
        String time = n.createdAt().atOffset(ZoneOffset.UTC).toString();
        return switch (mode) {
            case RABBITMQ -> {
                Map<String, Object> event = new LinkedHashMap<>();
                event.put("specversion", "1.0");
                event.put("id", n.eventId());
                event.put("source", source);
                event.put("type", n.type());
                event.put("subject", n.bayUuid());
                event.put("time", time);
                event.put("datacontenttype", "application/json");
                event.put("data", data);
                var metadata = OutgoingRabbitMQMetadata.builder().withDeliveryMode(2)
                        .withContentType("application/cloudevents+json").withMessageId(n.eventId())
                        .withRoutingKey("bay.notification." + n.type().substring(NotificationOutbox.TYPE_PREFIX.length()))
                        .build();
                yield rabbit.sendMessage(Message.of(write(event), Metadata.of(metadata)));
            }
            case SINK -> sink.send("1.0", n.eventId(), source, n.type(), n.bayUuid(), data).map(r -> {
                if (r.getStatus() >= 300) {
                    throw new IllegalStateException("the sink answered " + r.getStatus());
                }
                return null;
            }).replaceWithVoid();
            case CHANNEL, NONE -> {
                LOG.infof("bay %s: notification %s (no broker in this mode)", n.bayUuid(), n.type());
                yield Uni.createFrom().voidItem();
            }
        };
    }

    private Map<String, Object> parse(String text) {
        try {
            return json.readValue(text, MAP);
        } catch (Exception e) {
            throw new IllegalStateException("unreadable notification data: " + e.getMessage(), e);
        }
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
