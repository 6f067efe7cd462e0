package io.baystack.runtime;

import java.util.function.Supplier;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * Lets at most {@code permits} pieces of reactive work run at once in this process; the others wait
 * their turn in arrival order, without a thread. Work that ends (item, failure or thrown) frees its
 * place; a caller that goes away while waiting leaves the queue, one that goes away while its work runs
 * lets the work finish (a transaction half sent is not abandoned) and the place is freed when it ends.
 * A waiter resumes on its own Vert.x context: Hibernate Reactive binds a session to the context that
 * opened it, so the work must not run on the context of the work that made room.
 */
public final class Gate {

    private final Permits permits;

    /** {@code permits}: how many at once, at least one ({@link Permits} refuses fewer). */
    public Gate(int permits) {
        this.permits = new Permits(permits);
    }

    /** {@code work}, once a place is free; its outcome is the returned Uni's. */
    public <T> Uni<T> through(Supplier<Uni<T>> work) {
        return Uni.createFrom().emitter(emitter -> {
            Context context = Vertx.currentContext();
            // cancelled while waiting: out of the line (Permits settles a grant against a cancel); once
            // granted, the work runs to its end whatever the caller does, and frees the place
            Cancellable waiting = permits.acquire().subscribe().with(granted -> resume(context, () -> run(work, emitter)));
            emitter.onTermination(waiting::cancel);
        });
    }

    /**
     * One gate per key, as far as {@code stripes} go: keys that share a stripe share its places, others
     * do not wait on each other. Memory stays bounded however many keys come and go.
     */
    public static final class Striped {
        private final Gate[] gates;

        public Striped(int stripes, int permits) {
            gates = new Gate[stripes];
            for (int i = 0; i < stripes; i++) {
                gates[i] = new Gate(permits);
            }
        }

        public <T> Uni<T> through(String key, Supplier<Uni<T>> work) {
            return of(key).through(work);
        }

        /** The gate {@code key} goes through. */
        public Gate of(String key) {
            return gates[Math.floorMod(key == null ? 0 : key.hashCode(), gates.length)];
        }
    }

    /** Work running now (for tests and metrics). */
    public int running() {
        return permits.held();
    }

    /** Callers waiting for a place now. */
    public int waiting() {
        return permits.waiting();
    }

    /** On the caller's own context when it had one (the place may have been freed on another's). */
    private static void resume(Context context, Runnable start) {
        if (context != null && context != Vertx.currentContext()) {
            context.runOnContext(ignored -> start.run());
        } else {
            start.run();
        }
    }

    private <T> void run(Supplier<Uni<T>> work, UniEmitter<? super T> emitter) {
        Uni<T> uni;
        try {
            uni = work.get();
        } catch (RuntimeException e) {
            permits.release();
            emitter.fail(e);
            return;
        }
        uni.subscribe().with(item -> {
            permits.release();
            emitter.complete(item);
        }, failure -> {
            permits.release();
            emitter.fail(failure);
        });
    }
}
