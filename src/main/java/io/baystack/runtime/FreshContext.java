package io.baystack.runtime;

import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import io.baystack.observability.BayLog;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;

/**
 * Runs background work (a channel message, a reconciler round, one bay of a round) on a new,
 * isolated Vert.x context, so its Hibernate Reactive sessions are its own. Panache keeps the current
 * session in the context: two flows on one context share (and close) each other's sessions, which
 * under load leaked pooled connections until the pool was dry (found by ConcurrencyTest: the
 * reconciler ran every bay of a round on the round's context). The work starts at subscription.
 * The new context keeps the caller's request id (for logs), or starts one when the caller has none.
 */
@ApplicationScoped
public class FreshContext {

    private final Vertx vertx;

    FreshContext(Vertx vertx) {
        this.vertx = vertx;
    }

    public <T> Uni<T> run(Supplier<Uni<T>> work) {
        return run(BayLog.requestId(), work);
    }

    /** As {@link #run(Supplier)}, under the request id {@code requestId} (a new one when null). */
    public <T> Uni<T> run(String requestId, Supplier<Uni<T>> work) {
        String id = requestId == null ? BayLog.newRequestId() : requestId;
        var context = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
        return Uni.createFrom().emitter(emitter -> context.runOnContext(ignored -> {
            VertxContextSafetyToggle.setCurrentContextSafe(true);
            BayLog.useRequestId(id);
            Uni<T> uni;
            try {
                uni = work.get();
            } catch (RuntimeException e) {
                // thrown before any Uni exists: still a failure the caller sees (and releases on)
                emitter.fail(e);
                return;
            }
            uni.subscribe().with(emitter::complete, emitter::fail);
        }));
    }
}
