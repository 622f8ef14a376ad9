package dev.wgdiag.timeline;

import dev.wgdiag.time.Timestamp;
/**
 * What the whole capture showed, whatever the tunnels: its time span, the clock's digits, messages by
 * type, and messages not followed because of {@link AnalyzerOptions#maxPeers()}. Primitive fields only.
 */
final class CaptureTotals {
    long firstTime = Long.MAX_VALUE;
    long lastTime = Long.MIN_VALUE;
    /** Fraction digits of the capture's clock (6: microseconds, 9: nanoseconds), as the latest packet gave them. */
    int digits = 6;
    /** initiation, response, cookie reply, data, keepalive. */
    final long[] messageCounts = new long[5];
    /** Messages skipped because following them would exceed {@link AnalyzerOptions#maxPeers()}. */
    long overLimit;

    /** A message at {@code t}: type 1-4 (keepalives counted apart from data). */
    void message(long t, int timeDigits, int type, boolean keepalive) {
        if (t < firstTime) firstTime = t;
        if (t > lastTime) lastTime = t;
        digits = timeDigits;
        messageCounts[keepalive ? 4 : type - 1]++;
    }

    boolean any() {
        return firstTime != Long.MAX_VALUE;
    }

    /** Whether this capture ran over the whole of [from, to] (its own clock). */
    boolean covers(long from, long to) {
        return firstTime <= from && to <= lastTime;
    }

    Timestamp ts(long nanos) {
        return Timestamp.of(nanos, digits);
    }
}
