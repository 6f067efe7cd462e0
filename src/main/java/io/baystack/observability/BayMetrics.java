package io.baystack.observability;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.ToIntFunction;

import jakarta.enterprise.context.ApplicationScoped;


import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;

/**
 * Every meter of baystack's own, served at {@code /q/metrics} (Prometheus names in brackets):
 * <ul>
 * <li>bays per status [{@code baystack_bays{status}}] and bays whose change Heat has not yet taken
 * (accepted without a stack, or an update or delete still to be sent) [{@code baystack_bays_awaiting_heat}]:
 * gauges the status sync tells after each of its rounds, so they are as fresh as the last round
 * (and 0 in a process that runs no rounds, such as the Knative API service);</li>
 * <li>from a bay's acceptance to Heat's stack id stored [{@code baystack_bay_accepted_to_stack_seconds}];</li>
 * <li>each Heat call by operation and outcome, retries of reads included [{@code baystack_heat_calls_seconds}];</li>
 * <li>periodic rounds by job (redrive, sync, notify) and outcome [{@code baystack_reconciler_rounds_seconds}]
 * and the bays each round handed over again or checked [{@code baystack_reconciler_round_bays}].</li>
 * </ul>
 */
@ApplicationScoped
@Startup // the gauges show from the start, also in a process that never calls Heat
public class BayMetrics {


    private final MeterRegistry registry;
    private final Map<String, AtomicLong> byStatus = new ConcurrentHashMap<>();
    private final AtomicLong awaitingHeat;
    private final Timer acceptedToStack;
    private final DistributionSummary roundBays;

    BayMetrics(MeterRegistry registry) {
        this.registry = registry;
        awaitingHeat = registry.gauge("baystack.bays.awaiting.heat", new AtomicLong());
        acceptedToStack = Timer.builder("baystack.bay.accepted.to.stack")
                .description("From a bay's acceptance to its Heat stack id stored").register(registry);
        roundBays = DistributionSummary.builder("baystack.reconciler.round.bays")
                .description("Bays a reconciler round handed over again or checked in Heat").register(registry);
    }

    /** The Heat function stored the stack id of a bay accepted at {@code acceptedAt}. */
    public void stackCreated(Instant acceptedAt) {
        if (acceptedAt != null) {
            acceptedToStack.record(Duration.between(acceptedAt, Instant.now()));
        }
    }

    /** Times one Heat call from its subscription; {@code outcome} names a failure (null: the call succeeded). */
    public <T> Uni<T> heatCall(String operation, Uni<T> call, Function<Throwable, String> outcome) {
        return Uni.createFrom().deferred(() -> {
            long start = System.nanoTime();
            return call.onItemOrFailure().invoke((item, failure) -> Timer.builder("baystack.heat.calls")
                    .description("Heat calls by operation and outcome")
                    .tags("operation", operation, "outcome", failure == null ? "success" : outcome.apply(failure))
                    .register(registry).record(System.nanoTime() - start, TimeUnit.NANOSECONDS));
        });
    }

    /** Times one of the periodic jobs ({@code job}: redrive, sync, notify) and records the bays it handled. */
    public <T> Uni<T> round(String job, Uni<T> round, ToIntFunction<T> bayCount) {
        return Uni.createFrom().deferred(() -> {
            long start = System.nanoTime();
            return round.onItemOrFailure().invoke((result, failure) -> {
                Timer.builder("baystack.reconciler.rounds").description("Reconciler rounds by job and outcome")
                        .tags("job", job, "outcome", failure == null ? "success" : "failure")
                        .register(registry).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
                if (failure == null) {
                    roundBays.record(bayCount.applyAsInt(result));
                }
            });
        });
    }

    /**
     * The bays per status, as counted by the status sync, and how many of them wait for Heat to take a
     * change: the gauges show these until the next count.
     */
    public void countsAre(Map<String, Long> bays, long waitingForHeat) {
        bays.forEach((status, count) -> byStatus.computeIfAbsent(status,
                s -> registry.gauge("baystack.bays", Tags.of("status", s), new AtomicLong())).set(count));
        byStatus.forEach((status, gauge) -> {
            if (!bays.containsKey(status)) {
                gauge.set(0);
            }
        });
        awaitingHeat.set(waitingForHeat);
    }
}
