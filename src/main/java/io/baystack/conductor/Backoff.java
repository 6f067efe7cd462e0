package io.baystack.conductor;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * When to try a failed Heat call again: capped exponential backoff with jitter. The n-th failure in
 * a row waits {@code min(max, initial * 2^(n-1))}, less a random share of up to {@code jitter} so
 * that bays which failed together (Heat went away under all of them) do not come back together.
 */
public final class Backoff {

    private final Duration initial;
    private final Duration max;
    private final double jitter;
    private final DoubleSupplier random;

    public Backoff(Duration initial, Duration max, double jitter) {
        this(initial, max, jitter, () -> ThreadLocalRandom.current().nextDouble());
    }

    Backoff(Duration initial, Duration max, double jitter, DoubleSupplier random) {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0 || jitter < 0 || jitter >= 1) {
            throw new IllegalArgumentException("backoff needs 0 < initial <= max and 0 <= jitter < 1");
        }
        this.initial = initial;
        this.max = max;
        this.jitter = jitter;
        this.random = random;
    }

    /** The wait after the {@code failures}-th failure in a row (1 for the first). */
    public Duration after(int failures) {
        int doublings = Math.max(0, Math.min(failures - 1, 30));
        long ceiling = Math.min(max.toMillis(), initial.toMillis() << doublings);
        if (ceiling <= 0) {
            ceiling = max.toMillis();
        }
        long wait = Math.round(ceiling * (1 - jitter * random.getAsDouble()));
        return Duration.ofMillis(Math.max(1, wait));
    }
}
