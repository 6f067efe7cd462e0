package io.baystack.activity;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;

import io.baystack.api.Noun;
import io.baystack.api.Paging;
import io.baystack.bay.Bay;
import io.baystack.bay.BayEvent;
import io.baystack.bay.BayEventRepository;
import io.baystack.bay.BayProgressRepository;
import io.baystack.bay.BayRepository;
import io.baystack.runtime.FreshContext;
import io.baystack.keystone.Caller;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * What a bay is doing, read from PostgreSQL only: its progress and its events (baystack's and its
 * Heat stack's), a page at a time or as a stream that polls for new ones and ends with the bay's
 * operation.
 */
@ApplicationScoped
public class ActivityService {

    /** How often a watch stream looks for new events. */
    static final Duration POLL = Duration.ofSeconds(1);
    /** At most this many events go out per look. */
    static final int BATCH = 500;

    /** A bay with its progress. */
    public record Watched(Bay bay, Progress progress) {
    }

    /**
     * One item of a watch stream: an event, or a comment (a heartbeat of a quiet stream, or the word
     * that the stream ends before its bay is done, with the marker to watch again from).
     */
    public record Watch(BayEvent event, String comment) {
    }

    private record Tick(List<Watch> items, boolean last) {
    }

    private final BayRepository bays;
    private final BayProgressRepository progress;
    private final BayEventRepository events;
    private final FreshContext fresh;

    private final Duration watchMax;
    private final Duration heartbeat;

    ActivityService(BayRepository bays, BayProgressRepository progress, BayEventRepository events, FreshContext fresh,
            io.baystack.config.BaystackConfig config) {
        this.watchMax = config.api().watchMax();
        this.heartbeat = config.api().watchHeartbeat();
        this.bays = bays;
        this.progress = progress;
        this.events = events;
        this.fresh = fresh;
    }

    /** The bay the caller may see (404 / 409 as for a GET of it) with its progress. */
    public Uni<Watched> withProgress(String ident, Caller caller, Noun noun) {
        return Panache.withSession(() -> bays.findVisible(ident, caller, noun)
                .chain(bay -> progress.findById(bay.id).map(p -> new Watched(bay, Progress.of(p)))));
    }

    /** One page of the bay's events, oldest first unless the page says otherwise. */
    public Uni<List<BayEvent>> events(String ident, Caller caller, Noun noun, Paging.Page page) {
        return Panache.withSession(() -> bays.findVisible(ident, caller, noun).chain(bay -> events.page(bay.id, page)));
    }

    /**
     * The bay's events from the start (or after the event {@code marker}) as they are stored, looked
     * for every {@link #POLL}; the stream ends once the bay is in a final state (not in progress,
     * nothing pending for Heat) and every event up to it went out, or when the bay is gone, or after
     * {@code baystack.api.watch-max} (its last item then says where to watch again from). A quiet
     * stream carries a comment every {@code baystack.api.watch-heartbeat}.
     */
    public Uni<Multi<Watch>> watch(String ident, Caller caller, Noun noun, String marker) {
        if (marker != null) {
            BayEventRepository.PAGING.page(null, marker, null, null);
        }
        return Panache.withSession(() -> bays.findVisible(ident, caller, noun).chain(bay -> marker == null
                ? Uni.createFrom().item(new long[] { bay.id, 0L })
                : events.byUuid(bay.id, marker).map(e -> new long[] { bay.id, e.id })))
                .map(start -> stream(start[0], start[1], marker));
    }

    private Multi<Watch> stream(long bayId, long afterId, String marker) {
        AtomicLong after = new AtomicLong(afterId);
        long started = System.nanoTime();
        AtomicLong lastSent = new AtomicLong(started);
        AtomicReference<String> lastUuid = new AtomicReference<>(marker);
        return Multi.createBy().repeating()
                .uni(() -> fresh.run(() -> Panache.withSession(() -> tick(bayId, after)))
                        .map(t -> paced(t, started, lastSent, lastUuid)))
                .withDelay(POLL)
                .whilst(tick -> !tick.last())
                .onItem().transformToIterable(Tick::items);
    }

    /** The tick with a heartbeat when the stream has been quiet, or the end when it has run its time. */
    private Tick paced(Tick tick, long started, AtomicLong lastSent, AtomicReference<String> lastUuid) {
        long now = System.nanoTime();
        List<Watch> items = new ArrayList<>(tick.items());
        if (!items.isEmpty()) {
            lastSent.set(now);
            lastUuid.set(items.get(items.size() - 1).event().uuid);
        }
        if (!tick.last() && now - started >= watchMax.toNanos()) {
            items.add(new Watch(null, "the watch ends after " + watchMax.toSeconds() + " s; watch again with ?marker="
                    + (lastUuid.get() == null ? "" : lastUuid.get())));
            return new Tick(items, true);
        }
        if (items.isEmpty() && now - lastSent.get() >= heartbeat.toNanos()) {
            lastSent.set(now);
            items.add(new Watch(null, "watching"));
        }
        return new Tick(items, tick.last());
    }

    /** The bay's state first, then its events: a final state read here has all its events in the list. */
    private Uni<Tick> tick(long bayId, AtomicLong after) {
        return bays.findById(bayId).chain(bay -> events.after(bayId, after.get(), BATCH).map(list -> {
            if (!list.isEmpty()) {
                after.set(list.get(list.size() - 1).id);
            }
            boolean finished = bay == null || (bay.pendingOp == null && !bay.status.inProgress());
            return new Tick(list.stream().map(e -> new Watch(e, null)).toList(), finished && list.size() < BATCH);
        }));
    }
}
