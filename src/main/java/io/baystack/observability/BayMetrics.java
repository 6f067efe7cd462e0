package io.baystack.observability;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.ToIntFunction;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.baystack.bay.BayRepository;
import io.baystack.bay.BayStatus;
import io.baystack.conductor.FreshContext;
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
 * gauges counted in PostgreSQL after each reconciler round, so they are as fresh as the last round
 * (and stay 0 in a process that runs no rounds, such as the Knative API service);</li>
 * <li>from a bay's acceptance to Heat's stack id stored [{@code baystack_bay_accepted_to_stack_seconds}];</li>
 * <li>each Heat call by operation and outcome, retries of reads included [{@code baystack_heat_calls_seconds}];</li>
 * <li>reconciler rounds by outcome [{@code baystack_reconciler_rounds_seconds}] and the bays each round
 * handed over again or checked [{@code baystack_reconciler_round_bays}].</li>
 * </ul>
 */
@ApplicationScoped
@Startup // the gauges show from the start, also in a process that never calls Heat
public class BayMetrics {

    private static final Logger LOG = Logger.getLogger(BayMetrics.class);

    private final MeterRegistry registry;
    private final BayRepository bays;
    private final FreshContext fresh;
    private final Map<BayStatus, AtomicLong> byStatus = new EnumMap<>(BayStatus.class);
    private final AtomicLong awaitingHeat;
    private final Timer acceptedToStack;
    private final DistributionSummary roundBays;

    BayMetrics(MeterRegistry registry, BayRepository bays, FreshContext fresh) {
        this.registry = registry;
        this.bays = bays;
        this.fresh = fresh;
        for (BayStatus status : BayStatus.values()) {
            byStatus.put(status, registry.gauge("baystack.bays", Tags.of("status", status.name()), new AtomicLong()));
        }
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

    /** Times a reconciler round, records its bays, then counts the bays per status for the gauges. */
    public <T> Uni<T> reconcilerRound(Uni<T> round, ToIntFunction<T> bayCount) {
        return Uni.createFrom().deferred(() -> {
            long start = System.nanoTime();
            return round.onItemOrFailure().invoke((result, failure) -> {
                Timer.builder("baystack.reconciler.rounds").description("Reconciler rounds by outcome")
                        .tags("outcome", failure == null ? "success" : "failure")
                        .register(registry).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
                if (failure == null) {
                    roundBays.record(bayCount.applyAsInt(result));
                }
            });
        }).call(this::countBays);
    }

    /** One grouped count on its own context (the round's last bay context is done with its session). */
    private Uni<Void> countBays() {
        return fresh.run(bays::countByStatus).invoke(counts -> {
            long waiting = 0;
            for (BayStatus status : BayStatus.values()) {
                BayRepository.StatusCount c = counts.get(status);
                byStatus.get(status).set(c == null ? 0 : c.bays());
                waiting += c == null ? 0 : c.awaitingHeat();
            }
            awaitingHeat.set(waiting);
        }).onFailure().invoke(e -> LOG.debugf("bay gauges not refreshed: %s", e.getMessage()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }
}
