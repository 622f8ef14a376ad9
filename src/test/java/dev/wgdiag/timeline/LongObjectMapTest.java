package dev.wgdiag.timeline;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The open-addressing map against java.util.HashMap under random puts and removes (backward-shift deletion). */
class LongObjectMapTest {
    @Test
    void shouldAgreeWithHashMapUnderRandomPutsAndRemovesOfCollidingKeys() {
        Random random = new Random(51820);
        LongObjectMap<Long> map = new LongObjectMap<>(4);
        Map<Long, Long> truth = new HashMap<>();
        for (int step = 0; step < 200_000; step++) {
            long key = random.nextInt(2_000) * (random.nextBoolean() ? 1L : 1L << 40);   // few keys: many collisions and removals
            if (random.nextInt(3) == 0) {
                map.remove(key);
                truth.remove(key);
            } else {
                map.put(key, (long) step);
                truth.put(key, (long) step);
            }
            if (step % 1000 == 0) {
                for (long k = 0; k < 2_000; k++) {
                    assertEquals(truth.get(k), map.get(k), "key " + k + " at step " + step);
                    assertEquals(truth.get(k << 40), map.get(k << 40), "key " + (k << 40) + " at step " + step);
                }
            }
            assertEquals(truth.size(), map.size(), "size at step " + step);
        }
        map.clear();
        assertEquals(0, map.size());
        assertEquals(null, map.get(1));
    }
}
