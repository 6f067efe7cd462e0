package io.baystack.conductor;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import io.baystack.config.BaystackConfig;
import io.baystack.runtime.Permits;
import io.baystack.runtime.FreshContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/**
 * Heat's own notifications, so that a bay follows its stack at once rather than at the next round:
 * Heat (oslo.messaging, driver {@code messagingv2}) publishes {@code orchestration.stack.<action>.<start|end|error>}
 * for every stack, nested ones included, to RabbitMQ; each names its stack, whose bay is then synced
 * as a round would ({@link StatusSync#syncStack}: Heat's current status is read, so a late, duplicated
 * or lost notification changes nothing the round would not). A stack no bay in progress owns is
 * ignored without a Heat call. Notifications are synced side by side (up to
 * {@code baystack.reconciler.concurrency} at once, each on its own context), so a burst of stacks
 * finishing together does not queue each bay behind the others' Heat calls. The periodic round stays
 * the safety net; with the channels off
 * ({@code BAYSTACK_HEAT_NOTIFICATIONS=false}, the default) nothing here runs.
 */
@ApplicationScoped
public class HeatNotifications {

    private static final Logger LOG = Logger.getLogger(HeatNotifications.class);
    static final String STACK_EVENT = "orchestration.stack.";

    /** Heat's and baystack's clocks may disagree by this much (both under NTP). */
    static final Duration CLOCK_SLACK = Duration.ofSeconds(30);
    private static final DateTimeFormatter OSLO_TIME = new DateTimeFormatterBuilder().appendPattern("yyyy-MM-dd HH:mm:ss")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd().toFormatter();

    private final StatusSync sync;
    private final FreshContext fresh;
    private final Permits permits;
    private final Instant startedAt = Instant.now();

    HeatNotifications(StatusSync sync, FreshContext fresh, BaystackConfig config) {
        this.sync = sync;
        this.fresh = fresh;
        this.permits = new Permits(config.reconciler().concurrency());
    }

    /**
     * Taken as soon as a permit is free (the next one is taken meanwhile); acknowledged once its bay
     * is synced, or when it names none, or the sync failed (the round retries). One left
     * unacknowledged by a process that died is delivered again.
     */
    @Incoming("heat-notifications")
    @Incoming("heat-notification-errors")
    CompletionStage<Void> onNotification(Message<?> message) {
        Optional<String> stack = stackOf(message.getPayload());
        Instant sent = sentAt(message.getPayload());
        if (stack.isEmpty() || (sent != null && sent.isBefore(startedAt.minus(CLOCK_SLACK)))) {
            // not a stack's, or sent before this process started (a backlog left while no baystack
            // consumed): the rounds since the start have synced every bay in progress anyway
            return message.ack();
        }
        String name = stackNameOf(message.getPayload());
        String state = stateOf(message.getPayload());
        LOG.debugf("stack %s (%s): notification %s sent at %s", stack.get(), name, state, sent);
        return permits.acquire().invoke(() -> fresh.run(() -> sync.syncStack(stack.get(), name, state))
                .invoke(changed -> {
                    if (changed) {
                        LOG.debugf("stack %s: bay synced on Heat's notification", stack.get());
                    }
                })
                .onFailure().invoke(e -> LOG.infof("stack %s: sync on Heat's notification failed (the next round"
                        + " syncs it): %s", stack.get(), e.getMessage()))
                .onFailure().recoverWithNull()
                .eventually(permits::release)
                .chain(() -> Uni.createFrom().completionStage(message.ack()))
                .subscribe().with(ignored -> { }, e -> LOG.warnf("stack %s: notification not acknowledged: %s",
                        stack.get(), e.getMessage())))
                .subscribeAsCompletionStage();
    }

    /** When oslo.messaging sent the notification ({@code timestamp}, UTC); null when it does not say. */
    static Instant sentAt(Object payload) {
        JsonObject body = body(payload);
        if (body == null || !(body.getValue("timestamp") instanceof String text)) {
            return null;
        }
        try {
            return LocalDateTime.parse(text, OSLO_TIME).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** The state a notification says its stack reached ({@code payload.state}, e.g. CREATE_COMPLETE); null when none. */
    public static String stateOf(Object payload) {
        JsonObject body = body(payload);
        return body != null && body.getValue("payload") instanceof JsonObject p
                && p.getValue("state") instanceof String state && !state.isBlank() ? state : null;
    }

    /** The stack's name in a notification {@link #stackOf} names a stack in (null when it has none). */
    public static String stackNameOf(Object payload) {
        JsonObject body = body(payload);
        return body != null && body.getValue("payload") instanceof JsonObject p
                && p.getValue("stack_name") instanceof String name && !name.isBlank() ? name : null;
    }

    /**
     * The stack an oslo.messaging notification is about: the envelope {@code {"oslo.version": "2.0",
     * "oslo.message": "<JSON>"}} (or the bare message), event type {@code orchestration.stack.*}, the
     * stack's id in {@code payload.stack_identity}. Empty for anything else.
     */
    public static Optional<String> stackOf(Object payload) {
        JsonObject body = body(payload);
        if (body == null || !(body.getValue("event_type") instanceof String type) || !type.startsWith(STACK_EVENT)
                || !(body.getValue("payload") instanceof JsonObject p)
                || !(p.getValue("stack_identity") instanceof String id) || id.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(id);
    }

    /** The oslo message out of its envelope (or bare), as JSON; null when it is none. */
    private static JsonObject body(Object payload) {
        JsonObject body;
        try {
            if (payload instanceof JsonObject json) {
                body = json;
            } else if (payload instanceof String text) {
                body = new JsonObject(text);
            } else if (payload instanceof byte[] bytes) {
                body = new JsonObject(new String(bytes, StandardCharsets.UTF_8));
            } else if (payload instanceof Buffer buffer) {
                body = buffer.toJsonObject();
            } else {
                body = null;
            }
            if (body != null && body.getValue("oslo.message") instanceof String inner) {
                body = new JsonObject(inner);
            }
        } catch (DecodeException | ClassCastException e) {
            return null;
        }
        return body;
    }
}
