package io.baystack.conductor;

import java.util.Map;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.baystack.bay.Bay;
import io.baystack.bay.BayChange;
import io.baystack.bay.BayRepository;
import io.baystack.bay.BayStatus;
import io.baystack.bay.BayTransition;
import io.baystack.baymodel.BayModelRepository;
import io.baystack.heat.BayTemplate;
import io.baystack.heat.HeatPayloads;
import io.baystack.heat.HeatPayloads.StackSummary;
import io.baystack.heat.HeatStacks;
import io.baystack.keystone.Trusts;
import io.baystack.trace.BayTracing;
import io.opentelemetry.api.trace.SpanKind;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * What Heat's word on one bay's stack makes of the bay, as a {@link BayTransition}: a status in
 * progress mirrored, a finished stack with its addresses, a failure with the failed resources, a
 * stack gone behind baystack's back, a delete done. Called by the status sync, one bay at a time.
 */
@ApplicationScoped
public class StackMirror {

    private static final Logger LOG = Logger.getLogger(StackMirror.class);

    private final BayRepository bays;
    private final BayModelRepository models;
    private final HeatStacks heat;
    private final Trusts trusts;
    private final BayTracing tracing;
    private final io.baystack.bay.NodeGroupRepository groups;

    StackMirror(BayRepository bays, BayModelRepository models, HeatStacks heat, Trusts trusts, BayTracing tracing,
            io.baystack.bay.NodeGroupRepository groups) {
        this.bays = bays;
        this.groups = groups;
        this.models = models;
        this.heat = heat;
        this.trusts = trusts;
        this.tracing = tracing;
    }

    /**
     * In the trace of the bay's operation: a look at Heat that changes the bay is a span of that trace
     * ({@code reconciler sync}), current while the change is made, so its Heat calls and its write are
     * under it. A look that changes nothing makes no span. True when the bay changed.
     */
    public Uni<Boolean> mirror(Bay bay, StackSummary stack) {
        return mirror(bay, stack, null);
    }

    /** As {@link #mirror(Bay, StackSummary)}, with the stack's detail when it was just read (null: read it if needed). */
    public Uni<Boolean> mirror(Bay bay, StackSummary stack, HeatPayloads.StackDetail detail) {
        Supplier<Uni<Boolean>> change = change(bay, stack, detail);
        if (change == null) {
            return Uni.createFrom().item(false);
        }
        return tracing.inSpan("reconciler sync", SpanKind.INTERNAL, bay.traceParent, bay.uuid,
                Map.of("baystack.status.before", bay.status.name(),
                        "heat.stack.status", stack == null ? "GONE" : String.valueOf(stack.stackStatus())),
                change);
    }

    /** What Heat's word makes of the bay, not yet started; null when it changes nothing. */
    private Supplier<Uni<Boolean>> change(Bay bay, StackSummary stack, HeatPayloads.StackDetail detail) {
        if (bay.status == BayStatus.DELETE_IN_PROGRESS) {
            return deleteChange(bay, stack);
        }
        if (stack == null) {
            return () -> lost(bay, "Stack with id " + bay.stackId + " not found in Heat.");
        }
        BayStatus heatStatus = BayStatus.fromHeat(stack.stackStatus()).orElse(null);
        if (heatStatus != null && heatStatus.name().startsWith("DELETE_")) {
            // nobody asked baystack to delete this bay: its stack is going away behind its back
            return () -> lost(bay, "Stack with id " + bay.stackId + " is being deleted outside baystack (Heat: "
                    + stack.stackStatus() + ").");
        }
        if (heatStatus == null || (heatStatus == bay.status && equalsReason(bay, stack))) {
            return null;
        }
        if (bay.status == BayStatus.UPDATE_IN_PROGRESS && !updateStarted(bay, stack, heatStatus)) {
            // Heat still shows the stack as it was before our update began
            return null;
        }
        if (bay.status == BayStatus.UPDATE_IN_PROGRESS && bay.updateRollback && heatStatus == BayStatus.UPDATE_FAILED) {
            // the update was sent with rollback: Heat rolls the stack back next, and its end is the bay's
            return null;
        }
        if (heatStatus.complete()) {
            return () -> completed(bay, heatStatus, stack.stackStatusReason(), detail);
        }
        if (heatStatus.name().endsWith("_FAILED")) {
            return () -> failed(bay, heatStatus, stack.stackStatusReason());
        }
        return () -> changed(BayTransition.HEAT_PROGRESSED, bay,
                BayChange.mirror(bay.status, heatStatus, stack.stackStatusReason()));
    }

    /**
     * The bay's stack is gone (or going) though the bay was not deleted: the operation in progress
     * failed, as Magnum does; the bay stays, for its owner to see and delete.
     */
    private Uni<Boolean> lost(Bay bay, String reason) {
        BayStatus failed = bay.status == BayStatus.CREATE_IN_PROGRESS ? BayStatus.CREATE_FAILED : BayStatus.UPDATE_FAILED;
        return changed(BayTransition.HEAT_FAILED, bay, BayChange.mirror(bay.status, failed, reason));
    }

    /** A failure keeps Heat's reason and the failed resources (best effort: Heat may not answer). */
    private Uni<Boolean> failed(Bay bay, BayStatus status, String reason) {
        return trusts.token(bay.trustId)
                .chain(token -> heat.failedResources(bay.projectId, token, bay.stackName, bay.stackId))
                .onFailure().invoke(e -> LOG.warnf("bay %s: could not read its failed resources: %s", bay.uuid, e.getMessage()))
                .onFailure().recoverWithItem(Map.of())
                .chain(faults -> changed(BayTransition.HEAT_FAILED, bay, BayChange.mirror(bay.status, status, reason)
                        .faults(faults)));
    }

    /** An update's result is an UPDATE_* (or ROLLBACK_*) status stamped after the update was sent. */
    private static boolean updateStarted(Bay bay, StackSummary stack, BayStatus heatStatus) {
        boolean updateAction = heatStatus.name().startsWith("UPDATE_") || heatStatus.name().startsWith("ROLLBACK_");
        String mark = stack.updatedTime() == null ? "-" : stack.updatedTime();
        return updateAction && !mark.equals(bay.stackMark);
    }

    /** A stack gone from Heat, or DELETE_COMPLETE, ends the bay; DELETE_FAILED keeps it with Heat's reason. */
    private Supplier<Uni<Boolean>> deleteChange(Bay bay, StackSummary stack) {
        BayStatus heatStatus = stack == null ? BayStatus.DELETE_COMPLETE
                : BayStatus.fromHeat(stack.stackStatus()).orElse(null);
        if (heatStatus == BayStatus.DELETE_COMPLETE) {
            // its trusts first, then the row that names them: a crash between the two leaves a row whose next
            // round deletes them again (gone is fine), never trusts that no row names
            return () -> trusts.deleteAll(bay.allTrustIds())
                    .chain(() -> bays.apply(BayTransition.REMOVED, bay.id, BayChange.reason("stack " + bay.stackId + " deleted")))
                    .map(BayRepository.Applied::changed);
        }
        if (heatStatus == BayStatus.DELETE_FAILED) {
            return () -> changed(BayTransition.HEAT_FAILED, bay,
                    BayChange.mirror(bay.status, BayStatus.DELETE_FAILED, stack.stackStatusReason()));
        }
        // DELETE_IN_PROGRESS, or a status from before the delete began
        return null;
    }

    private record Finished(io.baystack.baymodel.BayModel model, java.util.List<io.baystack.bay.NodeGroup> groups) {
    }

    private Uni<Boolean> completed(Bay bay, BayStatus status, String reason, HeatPayloads.StackDetail known) {
        Uni<java.util.Optional<HeatPayloads.StackDetail>> read = known != null ? Uni.createFrom().item(java.util.Optional.of(known))
                : trusts.token(bay.trustId).chain(token -> heat.get(bay.projectId, token, bay.stackName, bay.stackId));
        return read.chain(detail -> {
                    if (detail.isEmpty()) {
                        return Uni.createFrom().item(false);
                    }
                    return Panache.withSession(() -> models.findByUuid(bay.baymodelId).chain(model -> groups.forBay(bay.id)
                            .map(extra -> new Finished(model, extra)))).chain(f -> {
                        BayTemplate.Addresses a = BayTemplate.addresses(detail.get(), f.model() != null && f.model().tlsDisabled);
                        return changed(BayTransition.HEAT_COMPLETED, bay, BayChange.mirror(bay.status, status, reason)
                                .addresses(a.api(), a.masters(), a.nodes())
                                .groupAddresses(BayTemplate.groupAddresses(detail.get(), f.groups()))
                                // what the stack holds: after a rollback, the count from before the failed update
                                .observedNodeCount(BayTemplate.minions(detail.get())));
                    });
                });
    }

    private Uni<Boolean> changed(BayTransition t, Bay bay, BayChange change) {
        return bays.apply(t, bay.id, change).map(BayRepository.Applied::changed);
    }

    private static boolean equalsReason(Bay bay, StackSummary stack) {
        return stack.stackStatusReason() == null ? bay.statusReason == null
                : stack.stackStatusReason().equals(bay.statusReason);
    }
}
