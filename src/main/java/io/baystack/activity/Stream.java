package io.baystack.activity;

import java.time.Duration;
import java.util.List;

import io.baystack.activity.ActivityService.Watch;
import io.baystack.bay.BayEvent;
import io.smallrye.mutiny.subscription.MultiEmitter;

/**
 * One open watch stream: where it is in its bay's events, and its pace (a heartbeat when quiet, the
 * end after watch-max with the marker to watch again from). Fed by {@link WatchHub}'s looks, one at a
 * time.
 */
final class Stream {

    private final long bayId;
    private final MultiEmitter<? super Watch> emitter;
    private final Duration watchMax;
    private final Duration heartbeat;
    private final long started = System.nanoTime();
    private volatile long after;
    private volatile long lastSent = started;
    private volatile String lastUuid;

    Stream(long bayId, long after, String marker, MultiEmitter<? super Watch> emitter, Duration watchMax,
            Duration heartbeat) {
        this.bayId = bayId;
        this.after = after;
        this.lastUuid = marker;
        this.emitter = emitter;
        this.watchMax = watchMax;
        this.heartbeat = heartbeat;
    }

    long bayId() {
        return bayId;
    }

    /** The last event id of its bay this stream has seen (sent, or known to be none of its bay's). */
    long after() {
        return after;
    }

    /** The events of one look; {@code scanned}: every event up to this id was looked at (0: none beyond the events). */
    void deliver(List<BayEvent> events, boolean finished, long scanned) {
        if (emitter.isCancelled()) {
            return;
        }
        long now = System.nanoTime();
        for (BayEvent e : events) {
            emitter.emit(new Watch(e, null));
        }
        if (!events.isEmpty()) {
            BayEvent last = events.get(events.size() - 1);
            after = last.id;
            lastUuid = last.uuid;
            lastSent = now;
        }
        after = Math.max(after, scanned);
        if (finished) {
            emitter.complete();
        } else if (now - started >= watchMax.toNanos()) {
            emitter.emit(new Watch(null, "the watch ends after " + watchMax.toSeconds() + " s; watch again with ?marker="
                    + (lastUuid == null ? "" : lastUuid)));
            emitter.complete();
        } else if (events.isEmpty() && now - lastSent >= heartbeat.toNanos()) {
            lastSent = now;
            emitter.emit(new Watch(null, "watching"));
        }
    }
}
