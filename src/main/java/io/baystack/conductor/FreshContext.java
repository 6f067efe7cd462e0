package io.baystack.conductor;

import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;

/**
 * Runs background work (a channel message, a reconciler round) on a new, isolated Vert.x context,
 * so its Hibernate Reactive session is its own and never the one of the request that published it.
 */
@ApplicationScoped
public class FreshContext {

    private final Vertx vertx;

    FreshContext(Vertx vertx) {
        this.vertx = vertx;
    }

    public <T> Uni<T> run(Supplier<Uni<T>> work) {
        var context = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
        return Uni.createFrom().emitter(emitter -> context.runOnContext(ignored -> {
            VertxContextSafetyToggle.setCurrentContextSafe(true);
            work.get().subscribe().with(emitter::complete, emitter::fail);
        }));
    }
}
