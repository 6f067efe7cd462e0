package io.baystack.conductor;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.baystack.bay.Bay;
import io.baystack.bay.BayRepository;
import io.baystack.bay.BayStatus;
import io.baystack.baymodel.BayModelRepository;
import io.baystack.config.BaystackConfig;
import io.baystack.heat.HeatPayloads.StackDetail;
import io.baystack.heat.HeatPayloads.StackSummary;
import io.baystack.heat.HeatStacks;
import io.baystack.trace.BayTracing;
import io.opentelemetry.api.trace.SpanKind;
import io.baystack.keystone.Trusts;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Keeps bays true to Heat. Each round: re-sends bays accepted but still without a stack (a hand-off
 * lost in a crash), then reads the status of every in-progress bay's stack with one Heat list call
 * and mirrors it; completed stacks also give their addresses. Every round starts from the database,
 * so a round may run anywhere, any number of times.
 */
@ApplicationScoped
public class StackReconciler {

    private static final Logger LOG = Logger.getLogger(StackReconciler.class);

    /** What one round did. */
    public record Round(int redriven, int checked, int changed) {
    }

    private final BayRepository bays;
    private final BayModelRepository models;
    private final HeatStacks heat;
    private final BayHandOff handOff;
    private final BaystackConfig config;
    private final FreshContext fresh;
    private final Trusts trusts;
    private final BayCreateConductor conductor;
    private final BayTracing tracing;
    @jakarta.inject.Inject
    io.baystack.notify.BayNotifier notifier;
    @jakarta.inject.Inject
    io.baystack.observability.BayMetrics metrics;
    /** Each bay's progress and Heat events, read in the round that syncs its status. */
    @jakarta.inject.Inject
    io.baystack.activity.ActivityReconciler activity;

    StackReconciler(BayRepository bays, BayModelRepository models, HeatStacks heat, BayHandOff handOff,
            BaystackConfig config, FreshContext fresh, Trusts trusts, BayCreateConductor conductor,
            BayTracing tracing) {
        this.tracing = tracing;
        this.trusts = trusts;
        this.conductor = conductor;
        this.bays = bays;
        this.models = models;
        this.heat = heat;
        this.handOff = handOff;
        this.config = config;
        this.fresh = fresh;
    }

    @Scheduled(identity = "stack-reconciler", every = "${baystack.reconciler.interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> onTimer() {
        return fresh.run(this::round)
                .onFailure().invoke(e -> LOG.warnf("reconciler round failed: %s", e.getMessage()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /**
     * A round's work, then the notifications its changes (and the API's) stored, awaited: on Knative
     * the round is one HTTP call, and nothing may go on after its answer in a pod that may be scaled away.
     */
    public Uni<Round> round() {
        return work().call(() -> notifier.flush(config.reconciler().batchSize()).onFailure().recoverWithNull());
    }

    private Uni<Round> work() {
        return metrics.reconcilerRound(redrive().chain(redriven -> sync().map(r -> new Round(redriven, r.checked(), r.changed()))),
                r -> r.redriven() + r.checked());
    }

    /**
     * Hands over again what is still to be sent to Heat, a bounded batch per round, and marks each as
     * handed over (updated_at): a hand-off still queued is not sent again every round, and a backlog
     * cannot flood the Heat function (nor, through it, Keystone) and starve the API.
     */
    private Uni<Integer> redrive() {
        Instant now = Instant.now();
        Instant before = now.minus(config.conductor().redriveAfter());
        return Panache.withSession(() -> bays.awaitingHeat(now, before, config.conductor().redriveBatch()))
                .call(waiting -> waiting.isEmpty() ? Uni.createFrom().voidItem()
                        : bays.touch(waiting.stream().map(b -> b.id).toList()))
                .call(waiting -> {
                    waiting.forEach(bay -> LOG.infof("bay %s: %s still to be sent to Heat, handing it to the Heat function again",
                            bay.uuid, bay.pendingOp == null ? "its stack" : bay.pendingOp));
                    if (handOff.delivers()) {
                        waiting.forEach(bay -> handOff.publish(new HandOff(bay.uuid, operation(bay), null, bay.traceParent)));
                        return Uni.createFrom().voidItem();
                    }
                    // hand-offs are off (the reconciler is the only function that runs on its own): this
                    // round does the work itself, one bay after the other, so its caller sees it done
                    return Multi.createFrom().iterable(waiting).onItem()
                            .transformToUniAndConcatenate(bay -> fresh.run(() -> tracing.inSpan("heat-function redrive",
                                    SpanKind.INTERNAL, bay.traceParent, bay.uuid, () -> conductor.converge(bay.uuid)))
                                    .onFailure().invoke(e -> LOG.warnf("bay %s: redrive failed: %s", bay.uuid, e.getMessage()))
                                    .onFailure().recoverWithNull())
                            .collect().last();
                })
                .map(List::size);
    }

    private static String operation(Bay bay) {
        if (bay.pendingOp == null) {
            return HandOff.CREATE;
        }
        return bay.pendingOp == io.baystack.bay.PendingOp.DELETE ? HandOff.DELETE : HandOff.UPDATE;
    }

    private Uni<Round> sync() {
        // reads of progress and events beyond the bays whose status changes: a bounded number per round
        AtomicInteger lookBudget =
                new AtomicInteger(config.reconciler().activityBatch());
        return syncInProgress(lookBudget).call(() -> catchUp(lookBudget));
    }

    private Uni<Round> syncInProgress(AtomicInteger lookBudget) {
        return Panache.withSession(() -> bays.inProgressWithStack(config.reconciler().batchSize())).chain(list -> {
            if (list.isEmpty()) {
                return Uni.createFrom().item(new Round(0, 0, 0));
            }
            return heat.listByIds(list.stream().map(b -> b.stackId).toList()).chain(stacks -> {
                Map<String, StackSummary> byId = stacks.stream()
                        .collect(Collectors.toMap(StackSummary::id, Function.identity(), (a, b) -> a));
                List<Uni<Boolean>> updates = new ArrayList<>();
                for (Bay bay : list) {
                    // one bay's trouble (its trust revoked, its outputs unreadable) must not stall the others
                    // each bay on its own context, subscribed only when its turn comes: its sessions are its own
                    StackSummary stack = byId.get(bay.stackId);
                    // progress and Heat's events first, outside the bay's trace: a look every round is no part of it
                    boolean changing = stack == null || !bay.status.name().equals(stack.stackStatus());
                    updates.add(fresh.run(() -> activity.look(bay, changing, lookBudget).chain(() -> traced(bay, stack)))
                            // changed meanwhile (a delete accepted, say): the next round reads it afresh
                            .onFailure(BayRepository::isStale).recoverWithItem(false)
                            .onFailure().invoke(e -> LOG.warnf("bay %s: could not sync with Heat: %s", bay.uuid,
                                    e.getMessage()))
                            .onFailure().recoverWithItem(false));
                }
                // a few bays at once: most of a bay's sync is waiting on Heat (its outputs take a second or
                // more to resolve), so one after the other a round with dozens of stacks finishing took minutes
                return Multi.createFrom().iterable(updates).onItem().transformToUni(u -> u)
                        .merge(config.reconciler().concurrency())
                        .collect().asList()
                        .map(changed -> new Round(0, list.size(), (int) changed.stream().filter(c -> c).count()));
            });
        });
    }

    /**
     * The last look at a bay that the round which saw it finish could not take (Heat or Keystone failed
     * it; the status went through regardless): bays that ended within {@link #CATCH_UP_WINDOW} and whose
     * last stored stack event from Heat is not their status are looked at again, one after the other,
     * with what is left of the round's look budget. Best effort, as every look.
     */
    private Uni<Void> catchUp(AtomicInteger lookBudget) {
        int left = Math.max(0, lookBudget.get());
        if (left == 0) {
            return Uni.createFrom().voidItem();
        }
        return Panache.withSession(() -> bays.endedWithoutLastLook(Instant.now().minus(CATCH_UP_WINDOW), left))
                .chain(ended -> ended.isEmpty() ? Uni.createFrom().voidItem()
                        : Multi.createFrom().iterable(ended).onItem()
                                .transformToUniAndConcatenate(bay -> fresh.run(() -> activity.lookAgain(bay)))
                                .collect().last().replaceWithVoid())
                .onFailure().invoke(e -> LOG.warnf("the catch-up looks at bays just ended failed: %s", e.getMessage()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** How long after a bay ended its missed last look is still caught up. */
    static final Duration CATCH_UP_WINDOW = Duration.ofHours(1);

    /** In the trace of the bay's operation: what this look at Heat changes is part of it. */
    private Uni<Boolean> traced(Bay bay, StackSummary stack) {
        tracing.join(bay.traceParent);
        Instant start = Instant.now();
        return apply(bay, stack).invoke(changed -> {
            if (changed) {
                tracing.record("reconciler sync", start, bay.uuid, Map.of("baystack.status.before", bay.status.name(),
                        "heat.stack.status", stack == null ? "GONE" : String.valueOf(stack.stackStatus())));
            }
        });
    }

    private Uni<Boolean> apply(Bay bay, StackSummary stack) {
        if (bay.status == BayStatus.DELETE_IN_PROGRESS) {
            return applyDelete(bay, stack);
        }
        if (stack == null) {
            return lost(bay, "Stack with id " + bay.stackId + " not found in Heat.");
        }
        BayStatus heatStatus = BayStatus.fromHeat(stack.stackStatus()).orElse(null);
        if (heatStatus != null && heatStatus.name().startsWith("DELETE_")) {
            // nobody asked baystack to delete this bay: its stack is going away behind its back
            return lost(bay, "Stack with id " + bay.stackId + " is being deleted outside baystack (Heat: "
                    + stack.stackStatus() + ").");
        }
        if (heatStatus == null || (heatStatus == bay.status && equalsReason(bay, stack))) {
            return Uni.createFrom().item(false);
        }
        if (bay.status == BayStatus.UPDATE_IN_PROGRESS && !updateStarted(bay, stack, heatStatus)) {
            // Heat still shows the stack as it was before our update began
            return Uni.createFrom().item(false);
        }
        if (heatStatus.complete()) {
            return completed(bay, heatStatus, stack.stackStatusReason());
        }
        LOG.debugf("bay %s: %s -> %s (%s)", bay.uuid, bay.status, heatStatus, stack.stackStatusReason());
        if (heatStatus.name().endsWith("_FAILED")) {
            return failed(bay, heatStatus, stack.stackStatusReason());
        }
        return bays.mirror(bay.id, bay.status, heatStatus, stack.stackStatusReason());
    }

    /**
     * The bay's stack is gone (or going) though the bay was not deleted: the operation in progress
     * failed, as Magnum does; the bay stays, for its owner to see and delete.
     */
    private Uni<Boolean> lost(Bay bay, String reason) {
        BayStatus failed = bay.status == BayStatus.CREATE_IN_PROGRESS ? BayStatus.CREATE_FAILED : BayStatus.UPDATE_FAILED;
        LOG.debugf("bay %s: %s -> %s (%s)", bay.uuid, bay.status, failed, reason);
        return bays.mirror(bay.id, bay.status, failed, reason);
    }

    /** A failure keeps Heat's reason and the failed resources (best effort: Heat may not answer). */
    private Uni<Boolean> failed(Bay bay, BayStatus status, String reason) {
        return trusts.token(bay.trustId)
                .chain(token -> heat.failedResources(bay.projectId, token, bay.stackName, bay.stackId))
                .onFailure().invoke(e -> LOG.warnf("bay %s: could not read its failed resources: %s", bay.uuid, e.getMessage()))
                .onFailure().recoverWithItem(Map.of())
                .chain(faults -> bays.fail(bay.id, bay.status, status, reason, faults));
    }

    /** An update's result is an UPDATE_* (or ROLLBACK_*) status stamped after the update was sent. */
    private static boolean updateStarted(Bay bay, StackSummary stack, BayStatus heatStatus) {
        boolean updateAction = heatStatus.name().startsWith("UPDATE_") || heatStatus.name().startsWith("ROLLBACK_");
        String mark = stack.updatedTime() == null ? "-" : stack.updatedTime();
        return updateAction && !mark.equals(bay.stackMark);
    }

    /** A stack gone from Heat, or DELETE_COMPLETE, ends the bay; DELETE_FAILED keeps it with Heat's reason. */
    private Uni<Boolean> applyDelete(Bay bay, StackSummary stack) {
        BayStatus heatStatus = stack == null ? BayStatus.DELETE_COMPLETE
                : BayStatus.fromHeat(stack.stackStatus()).orElse(null);
        if (heatStatus == BayStatus.DELETE_COMPLETE) {
            return bays.removeDeleted(bay.id, false).call(removed -> {
                if (!removed) {
                    return Uni.createFrom().voidItem();
                }
                LOG.infof("bay %s: stack %s deleted; bay removed", bay.uuid, bay.stackId);
                return bay.trustId == null ? Uni.createFrom().voidItem() : trusts.delete(bay.trustId);
            });
        }
        if (heatStatus == BayStatus.DELETE_FAILED) {
            LOG.debugf("bay %s: DELETE_IN_PROGRESS -> DELETE_FAILED (%s)", bay.uuid, stack.stackStatusReason());
            return bays.mirror(bay.id, bay.status, BayStatus.DELETE_FAILED, stack.stackStatusReason());
        }
        // DELETE_IN_PROGRESS, or a status from before the delete began
        return Uni.createFrom().item(false);
    }

    private Uni<Boolean> completed(Bay bay, BayStatus status, String reason) {
        return trusts.token(bay.trustId)
                .chain(token -> heat.get(bay.projectId, token, bay.stackName, bay.stackId)).chain(detail -> {
            if (detail.isEmpty()) {
                return Uni.createFrom().item(false);
            }
            StackDetail d = detail.get();
            return Panache.withSession(() -> models.findByUuid(bay.baymodelId)).chain(model -> {
                boolean tls = model == null || !model.tlsDisabled;
                String ip = asString(d.output("api_address"));
                String api = ip == null ? null : (tls ? "https://" + ip + ":6443" : "http://" + ip + ":8080");
                LOG.debugf("bay %s: %s -> %s, api %s", bay.uuid, bay.status, status, api);
                return bays.complete(bay.id, bay.status, status, reason, api, asList(d.output("kube_masters")),
                        asList(d.output("kube_minions")));
            });
        });
    }

    private static boolean equalsReason(Bay bay, StackSummary stack) {
        return stack.stackStatusReason() == null ? bay.statusReason == null
                : stack.stackStatusReason().equals(bay.statusReason);
    }

    private static String asString(Object value) {
        return value == null ? null : value.toString();
    }

    private static List<String> asList(Object value) {
        if (value instanceof List<?> l) {
            return l.stream().filter(v -> v != null).map(Object::toString).toList();
        }
        return value == null ? List.of() : List.of(value.toString());
    }
}
