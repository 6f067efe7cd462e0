package io.baystack.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.baystack.support.FastTier;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/** The gate the creates' stores pass: how many run at once, in which order the others follow, and what frees a place. */
@FastTier
class GateTest {

    /** Work number {@code i}: records that it started, ends when its future does. */
    private final List<Integer> started = new CopyOnWriteArrayList<>();
    private final List<CompletableFuture<String>> ends = new ArrayList<>();
    private final List<Object> outcomes = new CopyOnWriteArrayList<>();

    private Cancellable submit(Gate gate, int i) {
        CompletableFuture<String> end = new CompletableFuture<>();
        ends.add(end);
        return gate.through(() -> {
            started.add(i);
            return Uni.createFrom().completionStage(end);
        }).subscribe().with(outcomes::add, outcomes::add);
    }

    @Test
    void atMostItsPlacesRunAndTheOthersFollowInArrivalOrder() {
        Gate gate = new Gate(2);
        for (int i = 0; i < 5; i++) {
            submit(gate, i);
        }
        assertThat(started).containsExactly(0, 1);
        assertThat(gate.running()).isEqualTo(2);
        assertThat(gate.waiting()).isEqualTo(3);

        ends.get(1).complete("one");
        assertThat(started).containsExactly(0, 1, 2);
        assertThat(outcomes).containsExactly("one");
        ends.get(0).complete("zero");
        ends.get(2).complete("two");
        assertThat(started).containsExactly(0, 1, 2, 3, 4);
        assertThat(gate.running()).isEqualTo(2);
        ends.get(3).complete("three");
        ends.get(4).complete("four");
        assertThat(outcomes).containsExactly("one", "zero", "two", "three", "four");
        assertThat(gate.running()).isZero();
        assertThat(gate.waiting()).isZero();
    }

    @Test
    void aFailureReachesItsCallerAndFreesItsPlace() {
        Gate gate = new Gate(1);
        submit(gate, 0);
        submit(gate, 1);
        IllegalStateException failure = new IllegalStateException("the store failed");
        ends.get(0).completeExceptionally(failure);
        assertThat(outcomes).containsExactly(failure);
        assertThat(started).containsExactly(0, 1);
        ends.get(1).complete("one");
        assertThat(gate.running()).isZero();
    }

    @Test
    void workThatThrowsBeforeItStartsFreesItsPlace() {
        Gate gate = new Gate(1);
        List<Object> seen = new ArrayList<>();
        gate.through(() -> {
            throw new IllegalArgumentException("no statement");
        }).subscribe().with(seen::add, seen::add);
        assertThat(seen).singleElement().isInstanceOf(IllegalArgumentException.class);
        assertThat(gate.running()).isZero();
        submit(gate, 1);
        assertThat(started).containsExactly(1);
    }

    @Test
    void aCallerGoneWhileWaitingLeavesTheQueueAndOneGoneWhileRunningHoldsItsPlaceUntilItsWorkEnds() {
        Gate gate = new Gate(1);
        Cancellable first = submit(gate, 0);
        Cancellable second = submit(gate, 1);
        submit(gate, 2);
        second.cancel();
        assertThat(gate.waiting()).isEqualTo(1);

        first.cancel();
        // the first's work (a transaction under way) is not abandoned: its place is still taken
        assertThat(gate.running()).isEqualTo(1);
        assertThat(started).containsExactly(0);
        ends.get(0).complete("zero");
        assertThat(started).containsExactly(0, 2);
        assertThat(outcomes).isEmpty();
        ends.get(2).complete("two");
        assertThat(outcomes).containsExactly("two");
        assertThat(gate.running()).isZero();
    }

    @Test
    void aWaiterResumesOnItsOwnVertxContext() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            Gate gate = new Gate(1);
            Context first = vertx.getOrCreateContext();
            Context second = vertx.getOrCreateContext();
            CompletableFuture<String> firstEnd = new CompletableFuture<>();
            CompletableFuture<Context> secondRanOn = new CompletableFuture<>();
            CompletableFuture<Void> bothQueued = new CompletableFuture<>();
            first.runOnContext(v -> gate.through(() -> Uni.createFrom().completionStage(firstEnd)).subscribe().with(x -> {
            }));
            second.runOnContext(v -> {
                gate.through(() -> {
                    secondRanOn.complete(Vertx.currentContext());
                    return Uni.createFrom().item("second");
                }).subscribe().with(x -> {
                });
                bothQueued.complete(null);
            });
            bothQueued.get(10, TimeUnit.SECONDS);
            assertThat(secondRanOn).isNotDone();
            // the first's work ends on its own context; the second must not run there
            first.runOnContext(v -> firstEnd.complete("first"));
            assertThat(secondRanOn.get(10, TimeUnit.SECONDS)).isSameAs(second);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void keysOnDifferentStripesDoNotWaitOnEachOther() {
        Gate.Striped gates = new Gate.Striped(64, 1);
        String key = "project-a";
        String other = "project-b";
        assertThat(gates.of(other)).isNotSameAs(gates.of(key));
        submit(gates.of(key), 0);
        submit(gates.of(key), 1);
        submit(gates.of(other), 2);
        assertThat(started).containsExactly(0, 2);
        assertThat(gates.of(key).waiting()).isEqualTo(1);
    }

    @Test
    void aGateNeedsAPlace() {
        assertThatThrownBy(() -> new Gate(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
