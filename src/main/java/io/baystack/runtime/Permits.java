package io.baystack.runtime;

import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicBoolean;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;

/**
 * A non-blocking semaphore: at most {@code max} holders, the rest wait in arrival order without a
 * thread. The Heat function takes one per hand-off so that a slow Heat call does not hold up the
 * hand-offs queued behind it, while a backlog cannot start thousands of Heat calls at once; {@link Gate}
 * runs work under one.
 */
public final class Permits {

    private final int max;
    private final ArrayDeque<Waiter> waiting = new ArrayDeque<>();
    private int held;

    public Permits(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("at least one permit: " + max);
        }
        this.max = max;
    }

    /**
     * Completes when a permit is held by the caller, who must {@link #release()} it once. A waiter
     * that is cancelled (the consumer shutting down) leaves the line and is never handed a permit.
     */
    public Uni<Void> acquire() {
        return Uni.createFrom().emitter(emitter -> {
            Waiter waiter = new Waiter(emitter);
            boolean now;
            synchronized (this) {
                now = held < max;
                if (now) {
                    held++;
                } else {
                    waiting.add(waiter);
                }
            }
            if (now) {
                emitter.complete(null);
            } else {
                // also run after the grant completes it: then the waiter has already left the line
                emitter.onTermination(() -> {
                    if (waiter.settled.compareAndSet(false, true)) {
                        synchronized (this) {
                            waiting.remove(waiter);
                        }
                    }
                });
            }
        });
    }

    public void release() {
        while (true) {
            Waiter next;
            synchronized (this) {
                next = waiting.poll();
                if (next == null) {
                    held--;
                    return;
                }
            }
            if (next.settled.compareAndSet(false, true)) {
                next.emitter.complete(null); // the permit passes straight to the next in line
                return;
            }
            // cancelled while being handed the permit: the next one in line gets it
        }
    }

    /** One in line; settled once, either granted the permit or cancelled, never both. */
    private record Waiter(UniEmitter<? super Void> emitter, AtomicBoolean settled) {
        Waiter(UniEmitter<? super Void> emitter) {
            this(emitter, new AtomicBoolean());
        }
    }

    public synchronized int held() {
        return held;
    }

    public synchronized int waiting() {
        return waiting.size();
    }
}
