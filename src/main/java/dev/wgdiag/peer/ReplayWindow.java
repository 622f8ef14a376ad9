package dev.wgdiag.peer;

import dev.wgdiag.wire.Protocol;

/**
 * The receive-side anti-replay filter of one session: RFC 6479's ring of bitmap blocks with the size
 * wireguard-go uses ({@code replay/replay.go}): 128 blocks of 64 bits, one block of slack, so the
 * window accepts counters up to {@link Protocol#REPLAY_WINDOW_SIZE} (8128) behind the highest seen.
 * Counters are unsigned 64-bit values held in longs. Not thread-safe.
 */
final class ReplayWindow {
    private static final int BLOCK_BIT_LOG = 6; // 1 << 6 = 64 bits per block
    private static final int BLOCK_MASK = Protocol.REPLAY_RING_BLOCKS - 1;
    private static final int BIT_MASK = Protocol.REPLAY_BLOCK_BITS - 1;

    private final long[] ring = new long[Protocol.REPLAY_RING_BLOCKS];
    private long last;

    /** Forgets every counter seen. */
    void reset() {
        last = 0;
        java.util.Arrays.fill(ring, 0);
    }

    /**
     * True when {@code counter} is new and inside the window, and marks it seen (RFC 6479 section 3).
     * Counters at or above {@code limit} (unsigned) are always rejected (REJECT_AFTER_MESSAGES).
     */
    boolean validate(long counter, long limit) {
        if (Long.compareUnsigned(counter, limit) >= 0) {
            return false;
        }
        long indexBlock = counter >>> BLOCK_BIT_LOG;
        if (Long.compareUnsigned(counter, last) > 0) {
            // Slide forward: clear the blocks between the old head and the new one (all of them at most).
            long current = last >>> BLOCK_BIT_LOG;
            long diff = Math.min(indexBlock - current, Protocol.REPLAY_RING_BLOCKS);
            for (long i = current + 1; i <= current + diff; i++) {
                ring[(int) (i & BLOCK_MASK)] = 0;
            }
            last = counter;
        } else if (Long.compareUnsigned(last - counter, Protocol.REPLAY_WINDOW_SIZE) > 0) {
            return false; // behind the window
        }
        int block = (int) (indexBlock & BLOCK_MASK);
        long bit = 1L << (counter & BIT_MASK);
        long old = ring[block];
        ring[block] = old | bit;
        return (old & bit) == 0;
    }
}
