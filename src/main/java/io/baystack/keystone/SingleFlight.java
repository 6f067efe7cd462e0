package io.baystack.keystone;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * Asks for the same key while one is on its way share that one: the first ask makes the call, the
 * others wait for its outcome, and the first ask after it has ended makes a new call. A burst of
 * requests with one token on a cold cache is then one Keystone call, not one per request.
 * <p>
 * Each asker gets the outcome on its own Vert.x context, as if it had made the call itself: a
 * request's reactive session must not be carried on by another request's event loop.
 */
final class SingleFlight<K, V> {

    private final ConcurrentHashMap<K, Uni<V>> inflight = new ConcurrentHashMap<>();

    Uni<V> call(K key, Supplier<Uni<V>> call) {
        return Uni.createFrom().deferred(() -> {
            Context asker = Vertx.currentContext();
            Uni<V> shared = inflight.computeIfAbsent(key, k -> share(k, call.get()));
            return asker == null ? shared : shared.emitOn(on(asker));
        });
    }

    private Uni<V> share(K key, Uni<V> call) {
        AtomicReference<Uni<V>> self = new AtomicReference<>();
        Uni<V> shared = call.onTermination().invoke(() -> inflight.remove(key, self.get()))
                .memoize().indefinitely();
        self.set(shared);
        return shared;
    }

    private static Executor on(Context context) {
        return task -> {
            if (Vertx.currentContext() == context) {
                task.run();
            } else {
                context.runOnContext(ignored -> task.run());
            }
        };
    }
}
