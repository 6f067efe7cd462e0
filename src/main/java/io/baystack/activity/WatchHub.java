package io.baystack.activity;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.baystack.activity.ActivityService.Watch;
import io.baystack.api.BaystackException;
import io.baystack.bay.Bay;
import io.baystack.bay.BayEvent;
import io.baystack.config.BaystackConfig;
import io.baystack.runtime.FreshContext;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * The watch streams of this process. At most {@code baystack.api.watch-max-streams} are open at once
 * (one more is a 429), and all of them are fed by one look at PostgreSQL every {@link #POLL}: the
 * watched bays' states, then the new events of all of them in one query, handed out to each stream.
 * A stream per connection polling on its own took two pooled connections a second each.
 */
@ApplicationScoped
public class WatchHub {

    private static final Logger LOG = Logger.getLogger(WatchHub.class);

    /** How often the streams' bays are looked at. */
    static final Duration POLL = Duration.ofSeconds(1);
    /** At most this many events are read per look, for all streams together. */
    static final int BATCH = 500;

    private final FreshContext fresh;
    private final int maxStreams;
    private final Duration watchMax;
    private final Duration heartbeat;
    private final AtomicInteger reserved = new AtomicInteger();
    private final Set<Stream> streams = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean polling = new AtomicBoolean();

    WatchHub(FreshContext fresh, BaystackConfig config) {
        this.fresh = fresh;
        this.maxStreams = config.api().watchMaxStreams();
        this.watchMax = config.api().watchMax();
        this.heartbeat = config.api().watchHeartbeat();
    }

    /** A place among the open streams, taken before a stream's answer is committed and given back once. */
    public final class Permit {
        private final AtomicBoolean released = new AtomicBoolean();

        public void release() {
            if (released.compareAndSet(false, true)) {
                reserved.decrementAndGet();
            }
        }
    }

    /** A place for one more stream, or TOO_MANY when every place is taken. */
    public Permit reserve() {
        if (reserved.incrementAndGet() > maxStreams) {
            reserved.decrementAndGet();
            throw BaystackException.tooMany("Too many watch streams are open (at most " + maxStreams
                    + "); try again later or read the events page by page.");
        }
        return new Permit();
    }

    /** How many streams hold a place now. */
    public int open() {
        return reserved.get();
    }

    /**
     * The bay's events after {@code afterId}, as the looks find them; the stream ends when its bay is
     * final and every event went out, or after {@code watch-max}. Its place is given back when it ends,
     * however it ends (the client gone included).
     */
    Multi<Watch> stream(Permit permit, long bayId, long afterId, String marker) {
        return Multi.createFrom().<Watch>emitter(emitter -> {
            Stream stream = new Stream(bayId, afterId, marker, emitter, watchMax, heartbeat);
            emitter.onTermination(() -> {
                streams.remove(stream);
                permit.release();
            });
            streams.add(stream);
            startPolling();
        }, 4 * BATCH);
    }

    private void startPolling() {
        if (polling.compareAndSet(false, true)) {
            schedule();
        }
    }

    private void schedule() {
        Uni.createFrom().voidItem().onItem().delayIt().by(POLL)
                .chain(() -> fresh.run(() -> Panache.withSession(this::look)))
                .subscribe().with(ignored -> next(), failure -> {
                    LOG.warnf("watch streams: a look failed: %s", failure.getMessage());
                    next();
                });
    }

    private void next() {
        if (!streams.isEmpty()) {
            schedule();
            return;
        }
        polling.set(false);
        // a stream that joined between the check and the reset must not wait for the next one to join
        if (!streams.isEmpty()) {
            startPolling();
        }
    }

    /** One look for every open stream: their bays' states first (a final state read here has all its events below). */
    private Uni<Void> look() {
        List<Stream> watching = List.copyOf(streams);
        if (watching.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Set<Long> ids = watching.stream().map(Stream::bayId).collect(Collectors.toSet());
        long from = watching.stream().mapToLong(Stream::after).min().orElse(0);
        return Panache.getSession().chain(session -> session
                .createSelectionQuery("from Bay where id in :ids", Bay.class).setParameter("ids", ids).getResultList()
                .chain(bays -> session.createSelectionQuery(
                        "from BayEvent where bayId in :ids and id > :from order by id", BayEvent.class)
                        .setParameter("ids", ids).setParameter("from", from).setMaxResults(BATCH).getResultList()
                        .invoke(events -> fanOut(watching,
                                bays.stream().collect(Collectors.toMap(b -> b.id, Function.identity())), events))))
                .onFailure().invoke(e -> fanOut(watching, null, List.of()))
                .replaceWithVoid();
    }

    /**
     * Each stream gets its bay's events; with a full batch every stream has seen all events up to its
     * last, so all move on to it (a stream far behind cannot hold the others at one batch forever).
     * Without the bays' states (a failed look) streams only beat or run out their time.
     */
    private static void fanOut(List<Stream> watching, Map<Long, Bay> bays, List<BayEvent> events) {
        boolean full = events.size() >= BATCH;
        long scanned = full ? events.get(events.size() - 1).id : 0;
        Map<Long, List<BayEvent>> byBay = new LinkedHashMap<>();
        events.forEach(e -> byBay.computeIfAbsent(e.bayId, id -> new ArrayList<>()).add(e));
        for (Stream stream : watching) {
            List<BayEvent> mine = byBay.getOrDefault(stream.bayId(), List.of()).stream()
                    .filter(e -> e.id > stream.after()).toList();
            boolean finished = bays != null && !full && finished(bays.get(stream.bayId()));
            stream.deliver(mine, finished, scanned);
        }
    }

    /** Gone, or in a final state with nothing pending for Heat. */
    private static boolean finished(Bay bay) {
        return bay == null || (bay.pendingOp == null && !bay.status.inProgress());
    }
}
