package dev.wgdiag.timeline;

import java.util.Arrays;

/**
 * Open-addressing hash map from a primitive {@code long} key to an object, with linear probing and
 * no allocation on {@link #get}. Used on the per-packet path (index to session); entries are bounded by
 * sessions, not packets. {@link #remove} shifts the entries after it back (no tombstones).
 */
final class LongObjectMap<V> {
    private long[] keys;
    private Object[] values;
    private int size;
    private int mask;

    LongObjectMap(int expected) {
        int cap = Integer.highestOneBit(Math.max(16, expected * 2) - 1) << 1;
        keys = new long[cap];
        values = new Object[cap];
        mask = cap - 1;
    }

    private static int mix(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }

    @SuppressWarnings("unchecked")
    V get(long key) {
        int i = mix(key) & mask;
        while (true) {
            Object v = values[i];
            if (v == null) return null;
            if (keys[i] == key) return (V) v;
            i = (i + 1) & mask;
        }
    }

    void put(long key, V value) {
        if (value == null) throw new IllegalArgumentException("null value");
        int i = mix(key) & mask;
        while (values[i] != null) {
            if (keys[i] == key) {
                values[i] = value;
                return;
            }
            i = (i + 1) & mask;
        }
        keys[i] = key;
        values[i] = value;
        if (++size * 2 > keys.length) grow();
    }

    /** Removes the key's entry, if any (backward-shift deletion keeps every probe chain unbroken). */
    void remove(long key) {
        int i = mix(key) & mask;
        while (true) {
            if (values[i] == null) return;
            if (keys[i] == key) break;
            i = (i + 1) & mask;
        }
        int hole = i;
        int j = i;
        while (true) {
            j = (j + 1) & mask;
            if (values[j] == null) break;
            int home = mix(keys[j]) & mask;
            // entry j may move to the hole when its home is not in (hole, j] cyclically
            boolean between = hole <= j ? hole < home && home <= j : hole < home || home <= j;
            if (!between) {
                keys[hole] = keys[j];
                values[hole] = values[j];
                hole = j;
            }
        }
        values[hole] = null;
        keys[hole] = 0;
        size--;
    }

    /** Removes every entry (the table keeps its size). */
    void clear() {
        Arrays.fill(values, null);
        size = 0;
    }

    int size() {
        return size;
    }

    private void grow() {
        long[] oldKeys = keys;
        Object[] oldValues = values;
        keys = new long[oldKeys.length * 2];
        values = new Object[oldKeys.length * 2];
        mask = keys.length - 1;
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldValues[i] != null) {
                int j = mix(oldKeys[i]) & mask;
                while (values[j] != null) j = (j + 1) & mask;
                keys[j] = oldKeys[i];
                values[j] = oldValues[i];
                size++;
            }
        }
        Arrays.fill(oldValues, null);
    }
}
