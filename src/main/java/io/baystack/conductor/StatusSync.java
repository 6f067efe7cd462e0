package io.baystack.conductor;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.baystack.runtime.FreshContext;
import io.baystack.bay.Bay;
import io.baystack.bay.BayRepository;
import io.baystack.bay.BayRepository.InProgress;
import io.baystack.bay.BayStatus;
import io.baystack.config.BaystackConfig;
import io.baystack.heat.HeatPayloads.StackDetail;
import io.baystack.heat.HeatPayloads.StackSummary;
import io.baystack.heat.HeatStacks;
import io.baystack.keystone.Trusts;
import io.baystack.observability.BayMetrics;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Keeps bays true to Heat: each round reads the status of a batch of in-progress bays' stacks (those
 * looked at longest ago first) with Heat list calls, and mirrors it ({@link StackMirror}); then the
 * last looks the rounds before missed; then the gauges. One bay's trouble, or Heat's, fails that bay's
 * look or this batch, never the rest of the round. Every round starts from the database, so a round
 * may run anywhere, any number of times.
 */
@ApplicationScoped
public class StatusSync {

    private static final Logger LOG = Logger.getLogger(StatusSync.class);
    /** How long after a bay ended its missed last look is still caught up. */
    static final Duration CATCH_UP_WINDOW = Duration.ofHours(1);

    /** What one round did. */
    public record Round(int checked, int changed) {
        static final Round NONE = new Round(0, 0);
    }

    private final BayRepository bays;
    private final HeatStacks heat;
    private final StackMirror mirror;
    private final ActivityReconciler activity;
    private final FreshContext fresh;
    private final BayMetrics metrics;
    private final BaystackConfig config;
    private final Trusts trusts;

    StatusSync(BayRepository bays, HeatStacks heat, StackMirror mirror, ActivityReconciler activity, FreshContext fresh,
            BayMetrics metrics, Trusts trusts, BaystackConfig config) {
        this.trusts = trusts;
        this.bays = bays;
        this.heat = heat;
        this.mirror = mirror;
        this.activity = activity;
        this.fresh = fresh;
        this.metrics = metrics;
        this.config = config;
    }

    /**
     * The gauges exist from the start, at 0 until the first count, in every process (one that runs no
     * round, such as the Knative API service, shows them at 0).
     */
    void gaugesAtStart(@Observes StartupEvent start) {
        Map<String, Long> none = new TreeMap<>();
        for (BayStatus status : BayStatus.values()) {
            none.put(status.name(), 0L);
        }
        metrics.countsAre(none, 0);
    }

    @Scheduled(identity = "status-sync", every = "${baystack.reconciler.interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> onTimer() {
        return run().replaceWithVoid();
    }

    /**
     * One round: the sync, the catch-up and the gauges, each going on whatever the one before did.
     */
    public Uni<Round> run() {
        // reads of progress and events beyond the bays whose status changes: a bounded number per round
        AtomicInteger lookBudget = new AtomicInteger(config.reconciler().activityBatch());
        return fresh.run(() -> metrics.round("sync", syncInProgress(lookBudget), Round::checked))
                .onFailure().invoke(e -> LOG.warnf("status sync failed: %s", e.getMessage()))
                .onFailure().recoverWithItem(Round.NONE)
                .call(() -> catchUp(lookBudget))
                .call(this::countBays);
    }

    /**
     * The bay of one stack, at once (a Heat notification named it): Heat's status of that stack read
     * and mirrored as a round does. Nothing, and no Heat call, when no bay in progress has that stack
     * (another's, a nested one, a bay already final), so a duplicated or foreign notification changes
     * nothing. True when the bay changed.
     */
    public Uni<Boolean> syncStack(String stackId) {
        return syncStack(stackId, null, null);
    }

    /**
     * As {@link #syncStack(String)}, for a notification of the stack named {@code stackName} reaching
     * {@code state} (either may be null). When its bay has not stored Heat's answer to its create yet
     * (a small stack can finish first), it is looked at again a few times, half a second apart, rather
     * than left to the next round. When the notification says the stack ended but Heat's API still
     * lists it in progress (Heat notifies from memory, before what it stored can be read), Heat is
     * asked again shortly.
     */
    public Uni<Boolean> syncStack(String stackId, String stackName, String state) {
        return syncStack(stackId, stackName, state, RECORD_WAITS);
    }

    private static final int RECORD_WAITS = 10;
    private static final Duration RECORD_WAIT = Duration.ofMillis(500);
    private static final int CATCH_UP_READS = 12;
    private static final Duration CATCH_UP_READ = Duration.ofMillis(250);

    private Uni<Boolean> syncStack(String stackId, String stackName, String state, int waitsLeft) {
        return fresh.run(() -> Panache.withSession(() -> bays.inProgressOnStack(stackId))).chain(entry -> {
            if (entry != null && ended(state)) {
                // the stack's detail holds both its status and its outputs: one read of Heat where a list, then a
                // read of the outputs were two (Heat's API is what a bay's freshness waits on)
                return detailed(entry.bay(), CATCH_UP_READS).chain(detail -> mirrorAll(List.of(entry),
                        detail.map(d -> Map.of(d.id(), d.summary())).orElse(Map.of()),
                        detail.map(d -> Map.of(d.id(), d)).orElse(Map.of()), new AtomicInteger(1)))
                        .map(round -> round.changed() > 0);
            }
            if (entry != null) {
                // a stack still under way: its listing is enough (a stack notified as ended is read in detail, above)
                return heat.listByIds(List.of(stackId)).chain(stacks -> mirrorAll(List.of(entry), stacks.stream()
                        .collect(Collectors.toMap(StackSummary::id, Function.identity(), (a, b) -> a)), Map.of(),
                        new AtomicInteger(1))).map(round -> round.changed() > 0);
            }
            if (stackName == null || waitsLeft == 0) {
                return Uni.createFrom().item(false);
            }
            return fresh.run(() -> Panache.withSession(() -> bays.awaitsStackNamed(stackName))).chain(awaited -> awaited
                    ? Uni.createFrom().voidItem().onItem().delayIt().by(RECORD_WAIT)
                            .chain(() -> syncStack(stackId, stackName, state, waitsLeft - 1))
                    : Uni.createFrom().item(false));
        });
    }

    private static boolean ended(String state) {
        return state != null && (state.endsWith("_COMPLETE") || state.endsWith("_FAILED"));
    }

    /** The bay's stack in detail, for a notification that it ended: read again while Heat still shows it in progress. */
    private Uni<Optional<StackDetail>> detailed(Bay bay, int readsLeft) {
        return trusts.token(bay.trustId).chain(token -> heat.get(bay.projectId, token, bay.stackName, bay.stackId))
                .chain(detail -> {
                    boolean behind = readsLeft > 1 && detail.isPresent() && detail.get().stackStatus() != null
                            && detail.get().stackStatus().endsWith("_IN_PROGRESS");
                    return behind ? Uni.createFrom().voidItem().onItem().delayIt().by(CATCH_UP_READ)
                            .chain(() -> detailed(bay, readsLeft - 1)) : Uni.createFrom().item(detail);
                });
    }

    private Uni<Round> syncInProgress(AtomicInteger lookBudget) {
        return Panache.withSession(() -> bays.inProgressWithStack(config.reconciler().batchSize())).chain(list -> {
            if (list.isEmpty()) {
                return Uni.createFrom().item(Round.NONE);
            }
            // looked at now, whatever Heat answers: the next round takes the next ones (no head-of-line starvation)
            return bays.markSynced(list.stream().map(b -> b.bay().id).toList())
                    .chain(() -> heat.listByIds(list.stream().map(b -> b.bay().stackId).toList()))
                    .chain(stacks -> mirrorAll(list, stacks.stream()
                            .collect(Collectors.toMap(StackSummary::id, Function.identity(), (a, b) -> a)), Map.of(), lookBudget));
        });
    }

    /** {@code details}: stacks already read in detail, by id (their outputs need no second read). */
    private Uni<Round> mirrorAll(List<InProgress> list, Map<String, StackSummary> byId, Map<String, StackDetail> details,
            AtomicInteger lookBudget) {
        List<Uni<Boolean>> updates = list.stream().map(entry -> {
            var bay = entry.bay();
            StackSummary stack = byId.get(bay.stackId);
            boolean changing = stack == null || !bay.status.name().equals(stack.stackStatus());
            // each bay on its own context, subscribed only when its turn comes: its sessions are its own;
            // progress and Heat's events first, outside the bay's trace: a look every round is no part of it
            return fresh.run(() -> activity.look(bay, entry.measuredAt(), entry.now(), changing, lookBudget)
                    .chain(() -> mirror.mirror(bay, stack, details.get(bay.stackId))))
                    .onFailure().invoke(e -> LOG.warnf("bay %s: could not sync with Heat: %s", bay.uuid, e.getMessage()))
                    .onFailure().recoverWithItem(false);
        }).toList();
        // a few bays at once: most of a bay's sync is waiting on Heat (its outputs take a second or more)
        return Multi.createFrom().iterable(updates).onItem().transformToUni(u -> u)
                .merge(config.reconciler().concurrency())
                .collect().asList()
                .map(changed -> new Round(list.size(), (int) changed.stream().filter(c -> c).count()));
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
        return fresh.run(() -> Panache.withSession(() -> bays.endedWithoutLastLook(CATCH_UP_WINDOW, left)))
                .chain(ended -> ended.isEmpty() ? Uni.createFrom().voidItem()
                        : Multi.createFrom().iterable(ended).onItem()
                                .transformToUniAndConcatenate(bay -> fresh.run(() -> activity.lookAgain(bay)))
                                .collect().last().replaceWithVoid())
                .onFailure().invoke(e -> LOG.warnf("the catch-up looks at bays just ended failed: %s", e.getMessage()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** The gauges: one grouped count, told to the metrics. */
    private Uni<Void> countBays() {
        return fresh.run(() -> Panache.withSession(bays::countByStatus)).invoke(counts -> {
            Map<String, Long> byStatus = new TreeMap<>();
            long waiting = 0;
            for (BayStatus status : BayStatus.values()) {
                BayRepository.StatusCount c = counts.get(status);
                byStatus.put(status.name(), c == null ? 0 : c.bays());
                waiting += c == null ? 0 : c.awaitingHeat();
            }
            metrics.countsAre(byStatus, waiting);
        }).onFailure().invoke(e -> LOG.debugf("bay gauges not refreshed: %s", e.getMessage()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }
}
