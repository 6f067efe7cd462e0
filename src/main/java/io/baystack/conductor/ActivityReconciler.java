package io.baystack.conductor;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.time.format.DateTimeParseException;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.baystack.bay.Bay;
import io.baystack.bay.BayProgress;
import io.baystack.bay.BayEvent;
import io.baystack.bay.BayEventRepository;
import io.baystack.bay.BayProgressRepository;
import io.baystack.bay.BayStatus;
import io.baystack.heat.HeatPayloads;
import io.baystack.heat.HeatStacks;
import io.baystack.keystone.Trusts;
import io.smallrye.mutiny.Uni;

/**
 * The reconciler's look at what a bay in progress is doing in Heat: one nested resource list (its
 * progress) and the stack's events since the last look, both stored in PostgreSQL so that the API
 * and the watch streams never call Heat. Called once per bay per round, before the bay's status is
 * mirrored, so the round that sees a stack finish also stores its final progress and events. A worker
 * (conductor), since the domain never talks to Heat.
 */
@ApplicationScoped
public class ActivityReconciler {

    private static final Logger LOG = Logger.getLogger(ActivityReconciler.class);

    private final Trusts trusts;
    private final HeatStacks heat;
    private final BayProgressRepository progress;
    private final BayEventRepository events;

    private final java.time.Duration interval;

    ActivityReconciler(Trusts trusts, HeatStacks heat, BayProgressRepository progress, BayEventRepository events,
            io.baystack.config.BaystackConfig config) {
        this.interval = config.reconciler().activityInterval();
        this.trusts = trusts;
        this.heat = heat;
        this.progress = progress;
        this.events = events;
    }

    /**
     * Looks ({@code measuredAt}: when its progress was last stored, read with the bay) when the bay's status is about to change ({@code changing}: its stack's status differs, so
     * the final figures and events are stored in this round) or its figures are older than
     * {@code baystack.reconciler.activity-interval}; otherwise the stored ones stand, and Heat is spared
     * two reads per bay per round. Best effort: a failure is logged and the next round looks again;
     * it never stops the status sync.
     */
    public Uni<Void> look(Bay bay, Instant measuredAt, Instant now, boolean changing,
            java.util.concurrent.atomic.AtomicInteger budget) {
        if (changing) {
            return look(bay);
        }
        // both on the database's clock (BayProgressRepository stores it so)
        Instant due = now.minus(interval);
        // a bay not changing is looked at only while the round's budget lasts (baystack.reconciler.activity-batch):
        // a hundred bays in progress must not turn into two hundred Heat reads a round
        return (measuredAt == null || measuredAt.isBefore(due)) && budget.getAndDecrement() > 0
                ? look(bay) : Uni.createFrom().voidItem();
    }

    /** The look the round that saw the bay end missed: its final progress and Heat's last events. */
    public Uni<Void> lookAgain(Bay bay) {
        LOG.debugf("bay %s: %s without its last look at Heat, looking again", bay.uuid, bay.status);
        return look(bay);
    }

    private Uni<Void> look(Bay bay) {
        boolean deleting = bay.status == BayStatus.DELETE_IN_PROGRESS;
        // Heat's two reads side by side (a bay's freshness waits on Heat's API), then the two writes
        return trusts.token(bay.trustId).chain(token -> events.lastFromHeat(bay.id)
                .chain(marker -> Uni.combine().all().unis(heat.resources(bay.projectId, token, bay.stackName, bay.stackId),
                        heat.events(bay.projectId, token, bay.stackName, bay.stackId, marker)).asTuple())
                .chain(read -> (read.getItem1().isEmpty() ? Uni.createFrom().voidItem()
                        : progress.store(measure(bay.id, read.getItem1(), deleting)))
                        .chain(() -> read.getItem2().isEmpty() ? Uni.createFrom().voidItem()
                                : events.copyFromHeat(bay.id, read.getItem2().stream().map(e -> toEvent(bay, e)).toList()))))
                .onFailure().invoke(e -> LOG.warnf("bay %s: could not read its progress and events from Heat: %s",
                        bay.uuid, e.getMessage()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    private static BayEvent toEvent(Bay bay, HeatPayloads.Event e) {
        BayEvent event = new BayEvent();
        event.uuid = e.id();
        event.kind = bay.stackId.equals(e.physicalResourceId()) ? BayEvent.STACK : BayEvent.RESOURCE;
        event.stackName = e.stackName();
        event.resourceName = e.resourceName();
        event.status = e.status();
        event.reason = e.statusReason();
        event.time = time(e.eventTime());
        return event;
    }

    private static Instant time(String heatTime) {
        try {
            return heatTime == null ? Instant.now() : Instant.parse(heatTime);
        } catch (DateTimeParseException e) {
            return Instant.now();
        }
    }

    /**
     * Counts Heat's resources: *_FAILED failed, *_IN_PROGRESS in progress, INIT_COMPLETE (not started)
     * pending, any other *_COMPLETE complete. While the bay is deleted, only DELETE_COMPLETE is done:
     * what Heat has not begun to delete is pending.
     */
    static BayProgress measure(long bayId, List<HeatPayloads.Resource> resources, boolean deleting) {
        BayProgress p = new BayProgress();
        p.bayId = bayId;
        List<String> pending = new ArrayList<>();
        for (HeatPayloads.Resource r : resources) {
            String status = r.status() == null ? "INIT_COMPLETE" : r.status();
            p.total++;
            if (status.endsWith("_FAILED")) {
                p.failed++;
            } else if (status.endsWith("_IN_PROGRESS")) {
                p.inProgress++;
            } else if (status.equals("INIT_COMPLETE") || (deleting && !status.equals("DELETE_COMPLETE"))) {
                pending.add(r.path());
            } else {
                p.complete++;
            }
        }
        p.pending = pending;
        return p;
    }
}
