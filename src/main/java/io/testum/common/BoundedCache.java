package io.testum.common;

import java.time.Duration;
import java.util.function.Function;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * An in-memory cache with a maximum size, and optionally a time to live per entry: the one cache
 * type of testum, over Caffeine (which Quarkus ships and registers for native images). Past its
 * size it evicts the entries least likely to be used again, never everything at once.
 */
public final class BoundedCache<K, V> {

    private final Cache<K, V> cache;

    private BoundedCache(Cache<K, V> cache) {
        this.cache = cache;
    }

    /** At most {@code maximumSize} entries, kept until evicted. */
    public static <K, V> BoundedCache<K, V> of(long maximumSize) {
        return new BoundedCache<>(Caffeine.newBuilder().maximumSize(maximumSize).build());
    }

    /** At most {@code maximumSize} entries, each forgotten {@code timeToLive} after it was put. */
    public static <K, V> BoundedCache<K, V> of(long maximumSize, Duration timeToLive) {
        return new BoundedCache<>(Caffeine.newBuilder().maximumSize(maximumSize).expireAfterWrite(timeToLive).build());
    }

    /** The value of {@code key}, or null. */
    public V get(K key) {
        return cache.getIfPresent(key);
    }

    /**
     * The value of {@code key}, computed once by {@code compute} when absent; an exception of
     * {@code compute} reaches the caller and caches nothing.
     */
    public V get(K key, Function<? super K, ? extends V> compute) {
        return cache.get(key, compute);
    }

    public void put(K key, V value) {
        cache.put(key, value);
    }

    /** How many entries it holds now (approximately, until pending evictions ran). */
    public long size() {
        cache.cleanUp();
        return cache.estimatedSize();
    }
}
