package io.baystack.conductor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import io.baystack.support.FastTier;

@FastTier
class BackoffTest {

    @Test
    void doublesPerFailureUpToTheCap() {
        Backoff noJitter = new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(30), 0.3, () -> 0.0);
        assertThat(noJitter.after(1)).isEqualTo(Duration.ofSeconds(2));
        assertThat(noJitter.after(2)).isEqualTo(Duration.ofSeconds(4));
        assertThat(noJitter.after(4)).isEqualTo(Duration.ofSeconds(16));
        assertThat(noJitter.after(5)).isEqualTo(Duration.ofSeconds(30));
        assertThat(noJitter.after(1_000)).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void jitterOnlyShortensTheWaitAndNeverBeyondItsShare() {
        Backoff fullJitter = new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(30), 0.3, () -> 1.0);
        assertThat(fullJitter.after(1)).isEqualTo(Duration.ofMillis(1400));
        assertThat(fullJitter.after(10)).isEqualTo(Duration.ofSeconds(21));
        Backoff real = new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(30), 0.3);
        for (int i = 0; i < 1_000; i++) {
            assertThat(real.after(3)).isBetween(Duration.ofMillis(5600), Duration.ofSeconds(8));
        }
    }

    @Test
    void refusesNonsense() {
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1), 0.1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), 0.1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(2), 1.0)).isInstanceOf(IllegalArgumentException.class);
    }
}
