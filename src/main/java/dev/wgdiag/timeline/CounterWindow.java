package dev.wgdiag.timeline;

/**
 * Transport counters of one direction of one session as seen at the capture point, kept like
 * WireGuard's replay window (RFC 6479 style bitmap, wireguard-go device/replay... is the model; no
 * code taken): the highest counter, the lowest, how many distinct counters arrived, and a sliding
 * bitmap of the last {@link #WINDOW} counters to tell reordering from duplicates.
 *
 * <p>Counters start at 0 per session and increase by one per message, keepalives included
 * (whitepaper 5.4.6), so {@code missing = highest - lowest + 1 - received} is the loss between the
 * sender and the capture point (minus any trailing loss after the last packet seen).
 */
final class CounterWindow {
    static final int WINDOW = 2048;
    private static final int WORDS = WINDOW / 64;

    /** The bitmap, allocated with the second counter: a direction that saw one message keeps only its fields. */
    private long[] bits;
    private boolean any;
    private long lowest;
    private long highest;
    private long received;
    private long reordered;
    private long duplicates;
    private long tooOld;

    /** Records one counter. Returns true when it arrived below the highest seen so far (reordered or duplicate). */
    boolean add(long counter) {
        if (!any) {
            any = true;
            lowest = counter;
            highest = counter;
            received = 1;
            return false;
        }
        if (bits == null) {
            bits = new long[WORDS];
            set(highest);                                // the first counter, held in its fields until now
        }
        // Counters are unsigned 64-bit: every distance is compared unsigned, so that a forged counter
        // near 2^64 is one jump past the window, not a loop over 2^63 slots.
        if (Long.compareUnsigned(counter, highest) > 0) {
            long step = counter - highest;
            if (Long.compareUnsigned(step, WINDOW) >= 0) {
                java.util.Arrays.fill(bits, 0L);
            } else {
                for (long c = highest + 1; c != counter; c++) clear(c);
            }
            clear(counter);
            highest = counter;
            set(counter);
            received++;
            return false;
        }
        if (Long.compareUnsigned(highest - counter, WINDOW) >= 0) {
            tooOld++;
            return true;
        }
        if (isSet(counter)) {
            duplicates++;
            return true;
        }
        set(counter);
        received++;
        reordered++;
        if (Long.compareUnsigned(counter, lowest) < 0) lowest = counter;
        return true;
    }

    private void set(long c) {
        int b = (int) (c & (WINDOW - 1));
        bits[b >>> 6] |= 1L << (b & 63);
    }

    private void clear(long c) {
        int b = (int) (c & (WINDOW - 1));
        bits[b >>> 6] &= ~(1L << (b & 63));
    }

    private boolean isSet(long c) {
        int b = (int) (c & (WINDOW - 1));
        return (bits[b >>> 6] & (1L << (b & 63))) != 0;
    }

    boolean any() { return any; }
    long lowest() { return lowest; }
    long highest() { return highest; }
    long received() { return received; }
    long reordered() { return reordered; }
    long duplicates() { return duplicates; }
    long tooOld() { return tooOld; }

    /** Counters the sender used between the lowest and highest seen. */
    long sent() {
        return any ? highest - lowest + 1 : 0;
    }

    long missing() {
        return any ? Math.max(0, sent() - received) : 0;
    }
}
