package io.baystack.conductor;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.baystack.bay.Bay;
import io.baystack.bay.BayChange;
import io.baystack.bay.BayRepository;
import io.baystack.bay.BayTransition;
import io.baystack.bay.BayStatus;
import io.baystack.bay.PendingOp;
import io.baystack.baymodel.BayModel;
import io.baystack.baymodel.BayModelRepository;
import io.baystack.certificate.CertificateService;
import io.baystack.certificate.NodeBootstrap;
import io.baystack.conductor.CrashPoints.Point;
import io.baystack.config.BaystackConfig;
import io.baystack.heat.BayTemplate;
import io.baystack.heat.HeatException;
import io.baystack.heat.HeatStacks;
import io.baystack.keystone.Trusts;
import io.baystack.observability.BayMetrics;
import io.baystack.secrets.SecretBox;
import io.baystack.trace.BayTracing;
import io.opentelemetry.api.trace.SpanKind;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * The Heat function's work, however a hand-off arrives (a channel, a CloudEvent, the redrive). A
 * hand-off names a bay only; what to do is read from the bay's row, so any hand-off may arrive
 * twice, late, or be replayed:
 * <ul>
 * <li>accepted, no stack yet: give it its stack, exactly once. One delivery at a time claims the
 * create in the database (Heat itself lets two racing creates make two stacks of one name); the
 * claimant first looks for a stack under the bay's fixed name (a create whose answer was lost), and
 * a 409 from Heat means "look up again";</li>
 * <li>an update pending: send the bay's node_count, model and CA to its stack;</li>
 * <li>a delete pending: delete its stack (or, if it never got one, the bay).</li>
 * </ul>
 */
@ApplicationScoped
public class BayConverger {

    private static final Logger LOG = Logger.getLogger(BayConverger.class);
    private record Work(Bay bay, BayModel model) { }

    private final BayRepository bays;
    private final BayModelRepository models;
    private final Trusts trusts;
    private final BayTrust bayTrust;
    private final HeatStacks heat;
    private final BayTemplate template;
    private final BaystackConfig config;
    private final CrashPoints crash;
    private final Backoff backoff;
    private final BayTracing tracing;
    private final BayMetrics metrics;
    private final CertificateService certificates;
    private final NodeBootstrap nodes;
    private final StatusSync sync;
    private final StackUpdates updates;
    private final boolean heatNotified;

    BayConverger(BayRepository bays, BayModelRepository models, Trusts trusts, HeatStacks heat, BayTemplate template,
            BaystackConfig config, CrashPoints crash, BayTracing tracing, BayMetrics metrics,
            CertificateService certificates, NodeBootstrap nodes, StatusSync sync, BayTrust bayTrust, StackUpdates updates,
            @ConfigProperty(name = "mp.messaging.incoming.heat-notifications.enabled", defaultValue = "false") boolean heatNotified) {
        this.certificates = certificates;
        this.nodes = nodes;
        this.bayTrust = bayTrust;
        this.sync = sync;
        this.updates = updates;
        this.heatNotified = heatNotified;
        this.tracing = tracing;
        this.metrics = metrics;
        this.config = config;
        this.crash = crash;
        var retry = config.conductor();
        this.backoff = new Backoff(retry.retryInitial(), retry.retryMax(), retry.retryJitter());
        this.bays = bays;
        this.models = models;
        this.trusts = trusts;
        this.heat = heat;
        this.template = template;
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
                        return updates.updateStack(bay);
                    }
                    if (bay.stackId == null && bay.status == BayStatus.CREATE_IN_PROGRESS) {
                        return createOnce(work).replaceWithVoid();
                    }
                    return Uni.createFrom().voidItem();
                });
    }

    private Uni<String> createOnce(Work work) {
        Bay bay = work.bay();
        // longer than the whole attempt may take, each of its calls bounded by its client's timeout: the
        // trust and its token, the look-up by name (with its retries), then the create itself
        int reads = config.heat().readAttempts();
        Duration lease = config.keystone().timeout().multipliedBy(3).plus(config.heat().timeout().multipliedBy(reads + 1L))
                .plus(config.heat().readRetryMax().multipliedBy(reads));
        return bays.apply(BayTransition.CREATE_CLAIMED, bay.id, BayChange.claim(lease)).chain(claimed -> {
            if (!claimed.changed()) {
                LOG.debugf("bay %s: another hand-off is creating its stack", bay.uuid);
                return Uni.createFrom().nullItem();
            }
            return createClaimed(work);
        });
    }

    private Uni<String> createClaimed(Work work) {
        Bay bay = work.bay();
        // the bay's trust first (made from the creator's token once), then its CA (made once, kept
        // across retries), then Heat
        return bayTrust.token(bay).chain(token -> certificates.ensure(bay)
                .chain(ca -> heat.findByName(bay.projectId, token, bay.stackName).chain(existing -> existing.isPresent()
                        ? Uni.createFrom().item(existing.get().id())
                        : crash.during(Point.CREATE_HEAT_CALL, bay.uuid,
                                heat.create(bay.projectId, token, template.forBay(bay, work.model(), ca, nodes.forBay(bay, ca))))
                                .onFailure(e -> e instanceof HeatException h && h.kind() == HeatException.Kind.CONFLICT)
                                .recoverWithUni(() -> heat.findByName(bay.projectId, token, bay.stackName)
                                        .map(found -> found.orElseThrow(() -> new HeatException(HeatException.Kind.UNAVAILABLE,
                                                "Heat reports stack " + bay.stackName + " exists but does not list it"))
                                                .id())))
                        .call(stackId -> crash.pass(Point.CREATE_HEAT_ACCEPTED, bay.uuid))
                        .call(stackId -> bays.apply(BayTransition.STACK_RECORDED, bay.id,
                                BayChange.reason("Stack " + stackId + " accepted by Heat").stack(stackId)).chain(recorded -> {
                            if (recorded.changed()) {
                                LOG.infof("bay %s: stack %s (%s)", bay.uuid, bay.stackName, stackId);
                                metrics.stackCreated(bay.createdAt);
                                return heatNotified ? lookOnceRecorded(stackId) : Uni.createFrom().voidItem();
                            }
                            return dropIfOrphan(bay, token, stackId);
                        }))))
                .onFailure(e -> e instanceof SecretBox.SecretUnreadable || e instanceof BayTrust.Unmade)
                .recoverWithUni(e -> bays.apply(BayTransition.CREATE_REFUSED, bay.id, BayChange.reason(e.getMessage()))
                        .replaceWith((String) null))
                .onFailure(HeatException.class).recoverWithUni(e -> {
                    HeatException h = (HeatException) e;
                    if (h.kind() == HeatException.Kind.REJECTED) {
                        LOG.infof("bay %s: Heat refused the stack: %s", bay.uuid, h.getMessage());
                        return bays.apply(BayTransition.CREATE_REFUSED, bay.id, BayChange.reason(h.getMessage()))
                                .replaceWith((String) null);
                    }
                    LOG.warnf("bay %s: waiting for Heat: %s", bay.uuid, h.getMessage());
                    // a create that may have landed in Heat (no answer, or a 502/504 from something in
                    // between): the claim then stays until it runs out, so the next try finds the stack by
                    // name rather than races it. Only when Heat itself proved it did nothing (its own
                    // 500/501/503, a refused connection) is the claim given back for the next try.
                    Uni<?> release = h.maybeApplied() ? Uni.createFrom().voidItem()
                            : bays.apply(BayTransition.CREATE_CLAIM_RELEASED, bay.id, BayChange.none());
                    int failures = bay.heatAttempts + 1;
                    Duration wait = backoff.after(failures);
                    return release.chain(() -> bays.apply(BayTransition.CREATE_WAITING, bay.id,
                            BayChange.reason(StackUpdates.waiting("the stack create", failures, wait, h)).retryIn(wait)))
                            .replaceWith((String) null);
                });
    }

    /**
     * With Heat's notifications on, a small stack may have finished, and its notification been
     * passed over, before its id was stored here (Heat answers a create late when busy): one look now
     * rather than at the next round. Best effort, as the round stays the safety net.
     */
    private Uni<Void> lookOnceRecorded(String stackId) {
        return sync.syncStack(stackId).onFailure().recoverWithItem(false).replaceWithVoid();
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

    private Uni<Void> deleteStack(Bay bay) {
        return bayTrust.token(bay)
                .chain(token -> (bay.stackId != null
                        ? Uni.createFrom().item(bay.stackId)
                        : heat.findByName(bay.projectId, token, bay.stackName).map(f -> f.map(s -> s.id()).orElse(null)))
                        .chain(stackId -> {
                            if (stackId == null) {
                                return removeWithoutStack(bay);
                            }
                            return heat.delete(bay.projectId, token, bay.stackName, stackId)
                                    .call(existed -> existed ? crash.pass(Point.DELETE_HEAT_ACCEPTED, bay.uuid)
                                            : Uni.createFrom().voidItem())
                                    .chain(existed -> existed
                                    ? bays.apply(BayTransition.DELETE_SENT, bay.id,
                                            BayChange.reason("Stack DELETE requested").stack(stackId))
                                            .invoke(() -> LOG.infof("bay %s: stack %s delete sent", bay.uuid, stackId))
                                            .replaceWithVoid()
                                    // its stack is gone: its trusts before the row that names them (a crash
                                    // between leaves the row, whose next try deletes them again)
                                    : forget(bay).chain(() -> bays.apply(BayTransition.REMOVED, bay.id, BayChange.reason(
                                            "removed (its stack was already gone)"))).invoke(removed -> logRemoved(removed,
                                            bay, "bay %s deleted (its stack was already gone)")).replaceWithVoid());
                        }))
                // no trust could ever be made, so no stack was ever asked for
                .onFailure(e -> e instanceof BayTrust.Unmade || e instanceof SecretBox.SecretUnreadable)
                .recoverWithUni(e -> removeWithoutStack(bay))
                .onFailure(HeatException.class).recoverWithUni(e -> updates.pendingFailed(bay, PendingOp.DELETE, (HeatException) e));
    }

    /**
     * A bay that never got a stack goes (unless a create recorded one meanwhile), then its trust: here the
     * row goes first, as a create that recorded its stack meanwhile still needs the trust to delete it.
     */
    private Uni<Void> removeWithoutStack(Bay bay) {
        return bays.apply(BayTransition.REMOVED_WITHOUT_STACK, bay.id, BayChange.reason("removed (it had no stack)"))
                .chain(removed -> removed.changed() ? forget(bay).invoke(() -> logRemoved(removed, bay,
                        "bay %s deleted (it had no stack)")) : Uni.createFrom().voidItem());
    }

    /** The bay's trusts (gone already is fine). */
    private Uni<Void> forget(Bay bay) {
        return trusts.deleteAll(bay.allTrustIds());
    }

    private static void logRemoved(BayRepository.Applied removed, Bay bay, String message) {
        if (removed.changed()) {
            LOG.infof(message, bay.uuid);
        }
    }
}
