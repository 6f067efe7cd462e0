package io.baystack.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import io.baystack.support.FastTier;

@FastTier
class PermitsTest {

    @Test
    void holdsAtMostMaxAndHandsOverInArrivalOrder() {
        Permits permits = new Permits(2);
        List<Integer> started = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            int n = i;
            permits.acquire().subscribe().with(ignored -> started.add(n));
        }
        assertThat(started).containsExactly(0, 1);
        assertThat(permits.held()).isEqualTo(2);
        assertThat(permits.waiting()).isEqualTo(3);

        permits.release();
        assertThat(started).containsExactly(0, 1, 2);
        permits.release();
        permits.release();
        assertThat(started).containsExactly(0, 1, 2, 3, 4);
        assertThat(permits.held()).isEqualTo(2);
        assertThat(permits.waiting()).isZero();

        permits.release();
        permits.release();
        assertThat(permits.held()).isZero();
    }

    @Test
    void aCancelledWaiterLeavesTheLineAndIsHandedNoPermit() {
        Permits permits = new Permits(1);
        permits.acquire().subscribe().with(ignored -> { });
        List<String> got = new ArrayList<>();
        var cancelled = permits.acquire().subscribe().with(ignored -> got.add("cancelled"));
        permits.acquire().subscribe().with(ignored -> got.add("next"));
        assertThat(permits.waiting()).isEqualTo(2);

        cancelled.cancel();
        assertThat(permits.waiting()).isEqualTo(1);
        permits.release();
        assertThat(got).containsExactly("next");
        permits.release();
        assertThat(permits.held()).isZero();
        permits.acquire().subscribe().with(ignored -> got.add("later"));
        assertThat(got).containsExactly("next", "later");
    }

    @Test
    void refusesZeroPermits() {
        assertThatThrownBy(() -> new Permits(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
