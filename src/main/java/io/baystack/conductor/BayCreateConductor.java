package io.baystack.conductor;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import io.baystack.bay.Bay;
import io.baystack.bay.BayRepository;
import io.baystack.bay.BayStatus;
import io.baystack.bay.PendingOp;
import io.baystack.baymodel.BayModel;
import io.baystack.baymodel.BayModelRepository;
import io.baystack.conductor.CrashPoints.Point;
import io.baystack.config.BaystackConfig;
import io.baystack.db.DatabaseFaults;
import io.baystack.heat.BayTemplate;
import io.baystack.heat.HeatException;
import io.baystack.heat.HeatStacks;
import io.baystack.keystone.Trusts;
import io.baystack.trace.BayTracing;
import io.opentelemetry.api.trace.SpanKind;
import io.smallrye.reactive.messaging.rabbitmq.IncomingRabbitMQMetadata;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * The Heat function. A message names a bay only; what to do is read from the bay's row, so any
 * message may arrive twice, late, or be replayed by the redrive:
 * <ul>
 * <li>accepted, no stack yet: give it its stack, exactly once. One delivery at a time claims the
 * create in the database (Heat itself lets two racing creates make two stacks of one name); the
 * claimant first looks for a stack under the bay's fixed name (a create whose answer was lost), and
 * a 409 from Heat means "look up again";</li>
 * <li>an update pending: send the bay's node_count to its stack;</li>
 * <li>a delete pending: delete its stack (or, if it never got one, the bay).</li>
 * </ul>
 * The name stays BayCreateConductor: creating is what it was first built for and the channel's name.
 */
@ApplicationScoped
public class BayCreateConductor {

    /** The in-process hand-off channel (emitter and consumer in this process). */
    public static final String CHANNEL = "bay-create";
    /** The hand-off channel that goes out to RabbitMQ (profile {@code rabbitmq}). */
    public static final String BROKER_OUT = "bay-handoff";
    /** The hand-off channel that comes in from RabbitMQ's queue (profile {@code rabbitmq}). */
    public static final String BROKER_IN = "bay-handoff-in";
    private static final Logger LOG = Logger.getLogger(BayCreateConductor.class);
    private static final String NO_MARK = "-";

    private record Work(Bay bay, BayModel model) {
    }

    private final BayRepository bays;
    private final BayModelRepository models;
    private final Trusts trusts;
    private final HeatStacks heat;
    private final BayTemplate template;
    private final FreshContext fresh;
    private final BaystackConfig config;
    private final CrashPoints crash;
    private final Backoff backoff;
    private final com.fasterxml.jackson.databind.ObjectMapper json;
    private final Permits permits;
    private final BayTracing tracing;
    @jakarta.inject.Inject
    io.baystack.observability.BayMetrics metrics;

    BayCreateConductor(BayRepository bays, BayModelRepository models, Trusts trusts, HeatStacks heat,
            BayTemplate template, FreshContext fresh, BaystackConfig config, CrashPoints crash,
            com.fasterxml.jackson.databind.ObjectMapper json, BayTracing tracing) {
        this.tracing = tracing;
        this.json = json;
        this.config = config;
        this.permits = new Permits(config.conductor().concurrency());
        this.crash = crash;
        this.backoff = new Backoff(config.conductor().retryInitial(), config.conductor().retryMax(),
                config.conductor().retryJitter());
        this.bays = bays;
        this.models = models;
        this.trusts = trusts;
        this.heat = heat;
        this.template = template;
        this.fresh = fresh;
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
        return permits.acquire().invoke(() -> fresh.run(handOff.requestId(), () -> converge(handOff))
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

    /**
     * A hand-off's work, in the trace the message carries: a CONSUMER span continuing its
     * {@code traceparent} (a fresh trace when it has none). Every way a hand-off arrives comes here.
     */
    public Uni<Void> converge(HandOff handOff) {
        return tracing.inSpan("heat-function " + handOff.operation(), SpanKind.CONSUMER, handOff.traceparent(),
                handOff.bayUuid(), () -> converge(handOff.bayUuid()));
    }

    /** Does what the bay's row says is still to be done in Heat; nothing when nothing is. */
    public Uni<Void> converge(String bayUuid) {
        return Panache.withSession(() -> bays.findByUuid(bayUuid).chain(bay -> bay == null
                ? Uni.createFrom().nullItem()
                : models.findByUuid(bay.baymodelId).map(model -> new Work(bay, model))))
                .chain(work -> {
                    if (work == null) {
                        return Uni.createFrom().voidItem();
                    }
                    Bay bay = work.bay();
                    if (bay.pendingOp == PendingOp.DELETE) {
                        return deleteStack(bay);
                    }
                    if (bay.pendingOp == PendingOp.UPDATE) {
                        return updateStack(bay);
                    }
                    if (bay.stackId == null && bay.status == BayStatus.CREATE_IN_PROGRESS) {
                        return createOnce(work).replaceWithVoid();
                    }
                    return Uni.createFrom().voidItem();
                });
    }

    private Uni<String> createOnce(Work work) {
        Bay bay = work.bay();
        Instant now = Instant.now();
        // longer than any create call may take: the Heat client gives up after its timeout
        Instant until = now.plus(config.heat().timeout().multipliedBy(2));
        return bays.claimCreate(bay.id, now, until).chain(claimed -> {
            if (!claimed) {
                LOG.debugf("bay %s: another hand-off is creating its stack", bay.uuid);
                return Uni.createFrom().nullItem();
            }
            return createClaimed(work);
        });
    }

    private Uni<String> createClaimed(Work work) {
        Bay bay = work.bay();
        return trustToken(bay)
                .chain(token -> heat.findByName(bay.projectId, token, bay.stackName).chain(existing -> existing.isPresent()
                        ? Uni.createFrom().item(existing.get().id())
                        : crash.during(Point.CREATE_HEAT_CALL, bay.uuid,
                                heat.create(bay.projectId, token, template.forBay(bay, work.model())))
                                .onFailure(e -> e instanceof HeatException h && h.kind() == HeatException.Kind.CONFLICT)
                                .recoverWithUni(() -> heat.findByName(bay.projectId, token, bay.stackName)
                                        .map(found -> found.orElseThrow(() -> new HeatException(HeatException.Kind.UNAVAILABLE,
                                                "Heat reports stack " + bay.stackName + " exists but does not list it"))
                                                .id())))
                        .call(stackId -> crash.pass(Point.CREATE_HEAT_ACCEPTED, bay.uuid))
                        .call(stackId -> bays.recordStack(bay.id, stackId).chain(recorded -> {
                            if (recorded) {
                                LOG.infof("bay %s: stack %s (%s)", bay.uuid, bay.stackName, stackId);
                                metrics.stackCreated(bay.createdAt);
                                return Uni.createFrom().voidItem();
                            }
                            return dropIfOrphan(bay, token, stackId);
                        })))
                .onFailure(HeatException.class).recoverWithUni(e -> {
                    HeatException h = (HeatException) e;
                    if (h.kind() == HeatException.Kind.REJECTED) {
                        LOG.infof("bay %s: Heat refused the stack: %s", bay.uuid, h.getMessage());
                        return bays.failBeforeStack(bay.id, h.getMessage()).replaceWith((String) null);
                    }
                    LOG.warnf("bay %s: waiting for Heat: %s", bay.uuid, h.getMessage());
                    // a create that got no answer may still land in Heat: the claim then stays until it
                    // runs out, so the next try finds it by name rather than races it. When Heat answered
                    // (a 5xx) or was never reached, the claim is given back for the next try.
                    Uni<Void> release = h.maybeApplied() ? Uni.createFrom().voidItem() : bays.releaseCreate(bay.id);
                    int failures = bay.heatAttempts + 1;
                    Duration wait = backoff.after(failures);
                    return release.chain(() -> bays.noteWaiting(bay.id, waiting("the stack create", failures, wait, h),
                            Instant.now().plus(wait))).replaceWith((String) null);
                });
    }

    /**
     * The stack id was not recorded: either another delivery recorded it first, or the bay was
     * deleted while this create was on its way, and the new stack belongs to nobody: delete it.
     */
    private Uni<Void> dropIfOrphan(Bay bay, String token, String stackId) {
        return Panache.withSession(() -> bays.findByUuid(bay.uuid)).chain(current -> {
            if (current != null) {
                LOG.infof("bay %s: stack %s (%s) was already recorded", bay.uuid, bay.stackName, stackId);
                return Uni.createFrom().voidItem();
            }
            LOG.infof("bay %s was deleted while its stack %s was created: deleting the stack", bay.uuid, stackId);
            return heat.delete(bay.projectId, token, bay.stackName, stackId).replaceWithVoid();
        });
    }

    private Uni<Void> updateStack(Bay bay) {
        if (bay.stackId == null) {
            // an update is only accepted from *_COMPLETE, which needs a stack; nothing to send
            return bays.failPending(bay.id, PendingOp.UPDATE, BayStatus.UPDATE_FAILED, "The bay has no stack to update.")
                    .replaceWithVoid();
        }
        return trustToken(bay)
                .chain(token -> heat.findByName(bay.projectId, token, bay.stackName).chain(found -> {
                    if (found.isEmpty()) {
                        return bays.failPending(bay.id, PendingOp.UPDATE, BayStatus.UPDATE_FAILED,
                                "Stack with id " + bay.stackId + " not found in Heat.").replaceWithVoid();
                    }
                    String mark = found.get().updatedTime() == null ? NO_MARK : found.get().updatedTime();
                    return heat.update(bay.projectId, token, bay.stackName, bay.stackId, template.forResize(bay))
                            .call(() -> crash.pass(Point.UPDATE_HEAT_ACCEPTED, bay.uuid))
                            .chain(() -> bays.sentToHeat(bay.id, PendingOp.UPDATE, mark, "Stack UPDATE requested"))
                            .invoke(sent -> LOG.infof("bay %s: stack update to %d minions sent", bay.uuid, bay.nodeCount))
                            .replaceWithVoid();
                }))
                .onFailure(HeatException.class).recoverWithUni(e -> pendingFailed(bay, PendingOp.UPDATE,
                        BayStatus.UPDATE_FAILED, (HeatException) e));
    }

    private Uni<Void> deleteStack(Bay bay) {
        return trustToken(bay)
                .chain(token -> (bay.stackId != null
                        ? Uni.createFrom().item(bay.stackId)
                        : heat.findByName(bay.projectId, token, bay.stackName).map(f -> f.map(s -> s.id()).orElse(null)))
                        .chain(stackId -> {
                            if (stackId == null) {
                                // never got a stack: the bay can go (unless a create recorded one meanwhile)
                                return bays.removeDeleted(bay.id, true).chain(removed -> removed
                                        ? forget(bay, "bay %s deleted (it had no stack)")
                                        : Uni.createFrom().voidItem());
                            }
                            return heat.delete(bay.projectId, token, bay.stackName, stackId)
                                    .call(existed -> existed ? crash.pass(Point.DELETE_HEAT_ACCEPTED, bay.uuid)
                                            : Uni.createFrom().voidItem())
                                    .chain(existed -> existed
                                    ? bays.sentToHeat(bay.id, PendingOp.DELETE, null, "Stack DELETE requested")
                                            .invoke(() -> LOG.infof("bay %s: stack %s delete sent", bay.uuid, stackId))
                                            .replaceWithVoid()
                                    : bays.removeDeleted(bay.id, false).chain(removed -> removed
                                            ? forget(bay, "bay %s deleted (its stack was already gone)")
                                            : Uni.createFrom().voidItem()));
                        }))
                .onFailure(HeatException.class).recoverWithUni(e -> pendingFailed(bay, PendingOp.DELETE,
                        BayStatus.DELETE_FAILED, (HeatException) e));
    }

    /** After the row is gone: its trust goes too. */
    private Uni<Void> forget(Bay bay, String message) {
        LOG.infof(message, bay.uuid);
        return bay.trustId == null ? Uni.createFrom().voidItem() : trusts.delete(bay.trustId);
    }

    private Uni<Void> pendingFailed(Bay bay, PendingOp op, BayStatus failed, HeatException h) {
        if (h.kind() == HeatException.Kind.REJECTED) {
            LOG.infof("bay %s: Heat refused the %s: %s", bay.uuid, op, h.getMessage());
            return bays.failPending(bay.id, op, failed, h.getMessage()).replaceWithVoid();
        }
        LOG.warnf("bay %s: %s waiting for Heat: %s", bay.uuid, op, h.getMessage());
        int failures = bay.heatAttempts + 1;
        Duration wait = backoff.after(failures);
        String what = op == PendingOp.DELETE ? "the stack delete" : "the stack update";
        return bays.notePendingWaiting(bay.id, op, waiting(what, failures, wait, h), Instant.now().plus(wait))
                .replaceWithVoid();
    }

    /** The status_reason of a bay whose Heat call failed and will be tried again. */
    static String waiting(String what, int failures, Duration wait, HeatException h) {
        return "Waiting for Heat to take " + what + " (try " + failures + " failed, next in "
                + Math.max(1, Math.round(wait.toMillis() / 1000.0)) + "s): " + h.getMessage();
    }

    private Uni<String> trustToken(Bay bay) {
        return trusts.token(bay.trustId)
                .onFailure().transform(e -> new HeatException(HeatException.Kind.UNAVAILABLE,
                        "no token for the bay's trust yet: " + e.getMessage(), false));
    }
}
