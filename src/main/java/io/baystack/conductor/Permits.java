package io.baystack.conductor;

import java.util.ArrayDeque;

import io.smallrye.mutiny.Uni;

/**
 * A non-blocking semaphore: at most {@code max} holders, the rest wait in arrival order without a
 * thread. The Heat function takes one per hand-off so that a slow Heat call does not hold up the
 * hand-offs queued behind it, while a backlog cannot start thousands of Heat calls at once.
 */
final class Permits {

    private final int max;
    private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();
    private int held;

    Permits(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("at least one permit: " + max);
        }
        this.max = max;
    }

    /** Completes when a permit is held by the caller, who must {@link #release()} it once. */
    Uni<Void> acquire() {
        return Uni.createFrom().emitter(emitter -> {
            boolean now;
            synchronized (this) {
                now = held < max;
                if (now) {
                    held++;
                } else {
                    waiting.add(() -> emitter.complete(null));
                }
            }
            if (now) {
                emitter.complete(null);
            }
        });
    }

    void release() {
        Runnable next;
        synchronized (this) {
            next = waiting.poll();
            if (next == null) {
                held--;
            }
        }
        if (next != null) {
            next.run(); // the permit passes straight to the next in line
        }
    }

    synchronized int held() {
        return held;
    }

    synchronized int waiting() {
        return waiting.size();
    }
}
