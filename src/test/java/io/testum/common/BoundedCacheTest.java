package io.testum.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class BoundedCacheTest {

    @Test
    void neverHoldsMoreThanItsMaximumSize() {
        BoundedCache<Integer, String> cache = BoundedCache.of(10);
        for (int i = 0; i < 1_000; i++) {
            cache.put(i, "v" + i);
        }
        assertTrue(cache.size() <= 10, "holds " + cache.size());
    }

    @Test
    void computesAMissingValueOnceAndServesItAfterwards() {
        BoundedCache<String, Integer> cache = BoundedCache.of(10);
        AtomicInteger computed = new AtomicInteger();
        assertEquals(3, cache.get("abc", k -> computed.incrementAndGet() + 2));
        assertEquals(3, cache.get("abc", k -> computed.incrementAndGet() + 2));
        assertEquals(1, computed.get());
        assertEquals(3, cache.get("abc"));
    }

    @Test
    void cachesNothingWhenTheComputationFails() {
        BoundedCache<String, Integer> cache = BoundedCache.of(10);
        assertThrows(IllegalArgumentException.class, () -> cache.get("bad", k -> {
            throw new IllegalArgumentException("refused");
        }));
        assertNull(cache.get("bad"));
    }

    @Test
    void aCacheBoundedByWeightAndExpiringAfterWriteUsesTheCaffeineClassesRegisteredForNativeImages() throws Exception {
        BoundedCache<String, String> weighing = BoundedCache.weighing(1000, (key, value) -> value.length(),
                java.time.Duration.ofMinutes(1));
        weighing.put("key", "value");
        org.junit.jupiter.api.Assertions.assertEquals(BoundedCache.WEIGHED_WRITE_EXPIRING_CACHE, weighing.implementation());
        java.lang.reflect.Field data = Class.forName("com.github.benmanes.caffeine.cache.BoundedLocalCache").getDeclaredField("data");
        data.setAccessible(true);
        Object node = ((java.util.Map<?, ?>) data.get(Class.forName(BoundedCache.WEIGHED_WRITE_EXPIRING_CACHE)
                .cast(weighing.cacheMap()))).values().iterator().next();
        org.junit.jupiter.api.Assertions.assertEquals(BoundedCache.WEIGHED_WRITE_EXPIRING_NODE, node.getClass().getName());
    }
}
