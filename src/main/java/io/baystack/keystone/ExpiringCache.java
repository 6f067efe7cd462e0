package io.baystack.keystone;

import java.time.Duration;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;

/**
 * A cache of at most {@code maxSize} entries, each good for its own lifetime. Past the bound the
 * least useful entries are evicted one by one (never all at once: that would send a burst to
 * Keystone); an entry past its lifetime is not returned and is evicted.
 */
final class ExpiringCache<K, V> {

    private record Entry<V>(V value, Duration lifetime) {
    }

    private final Cache<K, Entry<V>> cache;

    ExpiringCache(int maxSize) {
        this(maxSize, Ticker.systemTicker());
    }

    ExpiringCache(int maxSize, Ticker ticker) {
        this.cache = Caffeine.newBuilder()
                .maximumSize(maxSize)
                .expireAfter(new Expiry<K, Entry<V>>() {
                    @Override
                    public long expireAfterCreate(K key, Entry<V> entry, long now) {
                        return entry.lifetime().toNanos();
                    }

                    @Override
                    public long expireAfterUpdate(K key, Entry<V> entry, long now, long remaining) {
                        return entry.lifetime().toNanos();
                    }

                    @Override
                    public long expireAfterRead(K key, Entry<V> entry, long now, long remaining) {
                        return remaining;
                    }
                })
                .ticker(ticker)
                // evictions on the caller's thread: no work handed to the common pool
                .executor(Runnable::run)
                .build();
    }

    /** The live value of {@code key}, or null. */
    V get(K key) {
        Entry<V> entry = cache.getIfPresent(key);
        return entry == null ? null : entry.value();
    }

    /** Keeps {@code value} for {@code lifetime}; nothing is kept for a lifetime that is already over. */
    void put(K key, V value, Duration lifetime) {
        if (lifetime.isNegative() || lifetime.isZero()) {
            cache.invalidate(key);
            return;
        }
        cache.put(key, new Entry<>(value, lifetime));
    }

    void remove(K key) {
        cache.invalidate(key);
    }

    /** Entries held, after pending evictions are done. */
    long size() {
        cache.cleanUp();
        return cache.estimatedSize();
    }
}
