package io.baystack.conductor;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.baystack.bay.Bay;
import io.baystack.bay.BayChange;
import io.baystack.bay.BayRepository;
import io.baystack.bay.BayTransition;
import io.baystack.bay.NodeGroupRepository;
import io.baystack.bay.PendingOp;
import io.baystack.baymodel.BayModelRepository;
import io.baystack.certificate.CertificateService;
import io.baystack.conductor.CrashPoints.Point;
import io.baystack.config.BaystackConfig;
import io.baystack.heat.BayTemplate;
import io.baystack.heat.HeatException;
import io.baystack.heat.HeatStacks;
import io.baystack.secrets.SecretBox;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * The Heat function's pending updates: a bay's node_count, model, CA and extra worker groups sent to its
 * stack in one update; and what happens when Heat does not take a pending update or delete.
 */
@ApplicationScoped
public class StackUpdates {

    private static final Logger LOG = Logger.getLogger(StackUpdates.class);
    private static final String NO_MARK = "-";

    private final BayRepository bays;
    private final NodeGroupRepository groups;
    private final BayModelRepository models;
    private final BayTrust bayTrust;
    private final HeatStacks heat;
    private final BayTemplate template;
    private final CertificateService certificates;
    private final CrashPoints crash;
    private final ClusterTokens joinTokens;
    private final Backoff backoff;
    private final RetiredTrusts retiredTrusts;

    StackUpdates(BayRepository bays, NodeGroupRepository groups, BayModelRepository models, BayTrust bayTrust, HeatStacks heat,
            BayTemplate template, CertificateService certificates, CrashPoints crash, ClusterTokens joinTokens,
            RetiredTrusts retiredTrusts, BaystackConfig config) {
        this.retiredTrusts = retiredTrusts;
        this.bays = bays;
        this.groups = groups;
        this.models = models;
        this.bayTrust = bayTrust;
        this.heat = heat;
        this.template = template;
        this.certificates = certificates;
        this.crash = crash;
        this.joinTokens = joinTokens;
        var retry = config.conductor();
        this.backoff = new Backoff(retry.retryInitial(), retry.retryMax(), retry.retryJitter());
    }

    /** The pending update cannot be sent, for good: the bay ends UPDATE_FAILED with {@code reason}. */
    private Uni<Void> refuseUpdate(Bay bay, String reason) {
        return bays.apply(BayTransition.UPDATE_REFUSED, bay.id, BayChange.reason(reason)).replaceWithVoid();
    }

    /** Sends the bay's pending update to its stack: parameters, and the template when it has extra worker groups. */
    Uni<Void> updateStack(Bay bay) {
        if (bay.stackId == null) { // accepted only from *_COMPLETE, which needs a stack: nothing to send
            return refuseUpdate(bay, "The bay has no stack to update.");
        }
        return bayTrust.token(bay)
                .chain(token -> heat.findByName(bay.projectId, token, bay.stackName).chain(found -> {
                    if (found.isEmpty()) {
                        return refuseUpdate(bay, "Stack with id " + bay.stackId + " not found in Heat.");
                    }
                    String mark = found.get().updatedTime() == null ? NO_MARK : found.get().updatedTime();
                    boolean failed = found.get().stackStatus() != null && found.get().stackStatus().endsWith("_FAILED");
                    return Panache.withSession(() -> groups.forBay(bay.id)).chain(extra -> heat.removals(bay.projectId, token,
                            bay.stackName, bay.stackId, bay.minionsToRemove, extra)
                            // retrying a failed update: its failed minions are removed, fresh ones built instead
                            .chain(remove -> !failed ? Uni.createFrom().item(remove)
                                    : heat.failedMembers(bay.projectId, token, bay.stackName, bay.stackId)
                                            .map(broken -> withFailedRemoved(remove, broken)))
                            .chain(remove -> Panache.withSession(() -> models.findByUuid(bay.baymodelId))
                            .chain(model -> certificates.current(bay).chain(ca -> joinTokens.forUpdate(bay, ca, java.time.Instant.now())
                                    .chain(joinToken -> heat.update(bay.projectId, token, bay.stackName, bay.stackId,
                                            withJoinToken(template.forUpdate(bay, model, ca, remove.minions(), extra, remove.groups()),
                                                    joinToken),
                                            bay.updateRollback))))))
                            .call(() -> crash.pass(Point.UPDATE_HEAT_ACCEPTED, bay.uuid))
                            .chain(() -> bays.apply(BayTransition.UPDATE_SENT, bay.id,
                                    BayChange.reason("Stack UPDATE requested").mark(mark)))
                            .invoke(sent -> LOG.infof("bay %s: stack update to %d minions sent", bay.uuid, bay.nodeCount))
                            .call(sent -> sent.changed() ? retiredTrusts.afterUpdateThrough(bay) : Uni.createFrom().voidItem())
                            .replaceWithVoid();
                }))
                .onFailure(SecretBox.SecretUnreadable.class).recoverWithUni(e -> refuseUpdate(bay, e.getMessage()))
                .onFailure(BayTemplate.NotAMinion.class).recoverWithUni(e -> refuseUpdate(bay, e.getMessage()))
                .onFailure(HeatException.class).recoverWithUni(e -> pendingFailed(bay, PendingOp.UPDATE, (HeatException) e));
    }

    /** The removals with the failed members' indexes added (each once). */
    static HeatStacks.Removals withFailedRemoved(HeatStacks.Removals remove, java.util.List<String> failed) {
        if (failed.isEmpty()) {
            return remove;
        }
        java.util.LinkedHashSet<String> all = new java.util.LinkedHashSet<>();
        if (remove.minions() != null && !remove.minions().isBlank()) {
            all.addAll(java.util.List.of(remove.minions().split(",")));
        }
        all.addAll(failed);
        return new HeatStacks.Removals(String.join(",", all), remove.groups());
    }

    /** The update with the join token of the nodes it adds, when the create's no longer joins them. */
    static BayTemplate.Update withJoinToken(BayTemplate.Update update, String joinToken) {
        if (joinToken != null) {
            update.parameters().put("bootstrap_token", joinToken);
        }
        return update;
    }

    /** A pending update or delete Heat did not take: refused for good, or tried again after a backoff. */
    Uni<Void> pendingFailed(Bay bay, PendingOp op, HeatException h) {
        boolean delete = op == PendingOp.DELETE;
        if (h.kind() == HeatException.Kind.REJECTED) {
            LOG.infof("bay %s: Heat refused the %s: %s", bay.uuid, op, h.getMessage());
            return bays.apply(delete ? BayTransition.DELETE_REFUSED : BayTransition.UPDATE_REFUSED, bay.id,
                    BayChange.reason(h.getMessage())).replaceWithVoid();
        }
        LOG.warnf("bay %s: %s waiting for Heat: %s", bay.uuid, op, h.getMessage());
        int failures = bay.heatAttempts + 1;
        Duration wait = backoff.after(failures);
        String what = delete ? "the stack delete" : "the stack update";
        return bays.apply(delete ? BayTransition.DELETE_WAITING : BayTransition.UPDATE_WAITING, bay.id,
                BayChange.reason(waiting(what, failures, wait, h)).retryIn(wait)).replaceWithVoid();
    }

    /** The status_reason of a bay whose Heat call failed and will be tried again. */
    static String waiting(String what, int failures, Duration wait, HeatException h) {
        return "Waiting for Heat to take " + what + " (try " + failures + " failed, next in "
                + Math.max(1, Math.round(wait.toMillis() / 1000.0)) + "s): " + h.getMessage();
    }

}
