package io.testum.common;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Predicate;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Scheduler;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * An in-memory cache with a maximum size, and optionally a time to live per entry: the one cache
 * type of testum, over Caffeine (which Quarkus ships and registers for native images). Past its
 * size it evicts the entries least likely to be used again, never everything at once.
 * <p>
 * Caffeine picks, by name and through reflection, a generated class for each combination of
 * features a cache uses. Quarkus registers those of size-bounded caches for native images, not
 * those of a cache bounded by weight and expiring after write ({@link #weighing}): its cache class
 * {@code SSMWW} and node class {@code PSWMW} are registered here, or a native executable fails
 * with {@code ClassNotFoundException} when it builds one.
 */
@RegisterForReflection(classNames = { BoundedCache.WEIGHED_WRITE_EXPIRING_CACHE, BoundedCache.WEIGHED_WRITE_EXPIRING_NODE })
public final class BoundedCache<K, V> {

    /** Caffeine's classes for strong keys and values, a maximum weight and expiry after write. */
    static final String WEIGHED_WRITE_EXPIRING_CACHE = "com.github.benmanes.caffeine.cache.SSMWW";
    static final String WEIGHED_WRITE_EXPIRING_NODE = "com.github.benmanes.caffeine.cache.PSWMW";

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

    /**
     * Entries whose {@code weigher} weights add up to at most {@code maximumWeight} (bytes, say), each
     * forgotten {@code timeToLive} after it was put.
     */
    public static <K, V> BoundedCache<K, V> weighing(long maximumWeight, java.util.function.ToIntBiFunction<K, V> weigher,
            Duration timeToLive) {
        return new BoundedCache<>(Caffeine.newBuilder().maximumWeight(maximumWeight)
                .<K, V>weigher((key, value) -> weigher.applyAsInt(key, value)).expireAfterWrite(timeToLive).build());
    }

    /**
     * At most {@code maximumSize} entries, each dropped {@code timeToLive} after it was put, on
     * time (a timer runs the expiry, not only the next access): {@code onDropped} receives each
     * entry the cache drops by itself, for a value that holds something to let go of (a socket).
     * An entry taken out with {@link #remove}, {@link #replace} or {@link #removeIf} is the
     * caller's, and {@code onDropped} does not see it.
     */
    public static <K, V> BoundedCache<K, V> dropping(long maximumSize, Duration timeToLive, BiConsumer<K, V> onDropped) {
        return new BoundedCache<>(Caffeine.newBuilder().maximumSize(maximumSize).expireAfterWrite(timeToLive)
                .scheduler(Scheduler.systemScheduler())
                .<K, V>evictionListener((key, value, cause) -> onDropped.accept(key, value)).build());
    }

    /** The name of the class Caffeine chose for this cache, and of its entries' (for the native registrations). */
    String implementation() {
        return cacheMap().getClass().getName();
    }

    /** Caffeine's map of this cache, for the test of {@link #implementation}. */
    Object cacheMap() {
        return cache.asMap();
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

    /** Puts {@code value} for {@code key}; returns the value it replaced, or null. */
    public V replace(K key, V value) {
        return cache.asMap().put(key, value);
    }

    /** Takes the value of {@code key} out; null when there was none. */
    public V remove(K key) {
        return cache.asMap().remove(key);
    }

    /** Takes out every value that {@code which} picks, and returns them. */
    public List<V> removeIf(Predicate<? super V> which) {
        List<V> removed = new ArrayList<>();
        for (var entry : List.copyOf(cache.asMap().entrySet())) {
            if (which.test(entry.getValue()) && cache.asMap().remove(entry.getKey(), entry.getValue())) {
                removed.add(entry.getValue());
            }
        }
        return removed;
    }

    /** How many entries it holds now (approximately, until pending evictions ran). */
    public long size() {
        cache.cleanUp();
        return cache.estimatedSize();
    }
}
