package io.baystack.conductor;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.baystack.runtime.FreshContext;
import io.baystack.bay.Bay;
import io.baystack.bay.BayRepository;
import io.baystack.bay.PendingOp;
import io.baystack.config.BaystackConfig;
import io.baystack.observability.BayMetrics;
import io.baystack.trace.BayTracing;
import io.opentelemetry.api.trace.SpanKind;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Hands over again what is still to be sent to Heat (a hand-off lost in a crash, a try waiting out its
 * backoff): a bounded batch per round, each marked as handed over so that a hand-off still queued is
 * not sent again every round and a backlog cannot flood the Heat function (nor, through it, Keystone).
 * Its own schedule: a failing status sync or notification flush does not stop it.
 */
@ApplicationScoped
public class Redrive {

    private static final Logger LOG = Logger.getLogger(Redrive.class);

    private final BayRepository bays;
    private final BayHandOff handOff;
    private final BayConverger converger;
    private final FreshContext fresh;
    private final BayTracing tracing;
    private final BayMetrics metrics;
    private final BaystackConfig config;

    Redrive(BayRepository bays, BayHandOff handOff, BayConverger converger, FreshContext fresh, BayTracing tracing,
            BayMetrics metrics, BaystackConfig config) {
        this.bays = bays;
        this.handOff = handOff;
        this.converger = converger;
        this.fresh = fresh;
        this.tracing = tracing;
        this.metrics = metrics;
        this.config = config;
    }

    @Scheduled(identity = "redrive", every = "${baystack.reconciler.interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> onTimer() {
        return run().replaceWithVoid();
    }

    /** One round; how many bays it handed over. A failure is logged and counts as none. */
    public Uni<Integer> run() {
        return fresh.run(() -> metrics.round("redrive", redrive(), n -> n))
                .onFailure().invoke(e -> LOG.warnf("redrive round failed: %s", e.getMessage()))
                .onFailure().recoverWithItem(0);
    }

    private Uni<Integer> redrive() {
        return Panache.withSession(() -> bays.awaitingHeat(config.conductor().redriveAfter(), config.conductor().redriveBatch()))
                .call(waiting -> bays.markRedriven(waiting.stream().map(b -> b.id).toList(), config.conductor().redriveAfter()))
                .call(waiting -> {
                    waiting.forEach(bay -> LOG.infof("bay %s: %s still to be sent to Heat, handing it to the Heat function again",
                            bay.uuid, bay.pendingOp == null ? "its stack" : bay.pendingOp));
                    if (handOff.delivers()) {
                        waiting.forEach(bay -> handOff.publish(new HandOff(bay.uuid, operation(bay), null, bay.traceParent)));
                        return Uni.createFrom().voidItem();
                    }
                    // hand-offs are off (the reconciler is the only function that runs on its own): this
                    // round does the work itself, one bay after the other, so its caller sees it done
                    return convergeHere(waiting);
                })
                .map(List::size);
    }

    private Uni<Void> convergeHere(List<Bay> waiting) {
        return Multi.createFrom().iterable(waiting).onItem()
                .transformToUniAndConcatenate(bay -> fresh.run(() -> tracing.inSpan("heat-function redrive",
                        SpanKind.INTERNAL, bay.traceParent, bay.uuid, () -> converger.converge(bay.uuid)))
                        .onFailure().invoke(e -> LOG.warnf("bay %s: redrive failed: %s", bay.uuid, e.getMessage()))
                        .onFailure().recoverWithNull())
                .collect().last().replaceWithVoid();
    }

    private static String operation(Bay bay) {
        if (bay.pendingOp == null) {
            return HandOff.CREATE;
        }
        return bay.pendingOp == PendingOp.DELETE ? HandOff.DELETE : HandOff.UPDATE;
    }
}
