package io.baystack.keystone;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

/**
 * The caches of validated tokens and of trust tokens: bounded, evicting entries one by one past the
 * bound (a full cache must not be emptied at once, which sends every caller back to Keystone) and
 * dropping entries whose lifetime is over (a trust token per bay must not stay forever).
 */
class ExpiringCacheTest {

    private final AtomicLong nanos = new AtomicLong();
    private final ExpiringCache<String, String> cache = new ExpiringCache<>(100, nanos::get);

    @Test
    void aFullCacheEvictsOneEntryPerNewOneAndKeepsTheRest() {
        IntStream.range(0, 100).forEach(i -> cache.put("k" + i, "v" + i, Duration.ofMinutes(1)));
        cache.put("new", "v", Duration.ofMinutes(1));

        assertThat(cache.size()).as("entries after one past the bound").isEqualTo(100);
        assertThat(cache.get("new")).isEqualTo("v");
        long kept = IntStream.range(0, 100).filter(i -> cache.get("k" + i) != null).count();
        assertThat(kept).as("earlier entries still cached").isEqualTo(99);
    }

    @Test
    void manyMoreEntriesThanTheBoundNeverGrowIt() {
        IntStream.range(0, 1050).forEach(i -> cache.put("bay" + i, "token", Duration.ofHours(1)));

        assertThat(cache.size()).isEqualTo(100);
    }

    @Test
    void anEntryIsGoneOnceItsOwnLifetimeIsOver() {
        cache.put("short", "a", Duration.ofSeconds(10));
        cache.put("long", "b", Duration.ofSeconds(60));

        nanos.addAndGet(Duration.ofSeconds(11).toNanos());

        assertThat(cache.get("short")).isNull();
        assertThat(cache.get("long")).isEqualTo("b");
        assertThat(cache.size()).as("expired entries are evicted, not kept").isEqualTo(1);
    }

    @Test
    void aLifetimeAlreadyOverKeepsNothing() {
        cache.put("k", "old", Duration.ofMinutes(1));
        cache.put("k", "new", Duration.ZERO);

        assertThat(cache.get("k")).isNull();
    }
}
