package io.baystack.bay;

import io.smallrye.mutiny.Uni;

/**
 * The domain's port to the Heat function: a change stored for a bay is handed over after its commit.
 * How (a channel, RabbitMQ, a CloudEvent, nothing) is the implementation's business. A hand-off that
 * is lost is made good by the redrive, so the stored row is the promise, not the hand-off.
 */
public interface HandOffs {

    String CREATE = "create";
    String UPDATE = "update";
    String DELETE = "delete";

    /** Hands over bay {@code bayUuid}'s stored {@code operation}, caused by request {@code requestId}. */
    Uni<Void> handOver(String bayUuid, String operation, String requestId);
}
