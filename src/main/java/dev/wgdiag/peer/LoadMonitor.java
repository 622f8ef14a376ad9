package dev.wgdiag.peer;

import dev.wgdiag.wire.Protocol;

/**
 * "Under load" for the responder (whitepaper 5.3, wireguard-go {@code device/device.go} IsUnderLoad).
 * wireguard-go is under load while its handshake queue holds at least QueueHandshakeSize / 8 = 128
 * messages, and stays so for UNDER_LOAD_AFTER_TIME (1 s) after. The sans-IO core has no queue (the
 * driver's socket buffer is one), so it counts handshake messages instead: under load when at least
 * {@link Protocol#UNDER_LOAD_QUEUE_LENGTH} (128) arrive within one {@link #WINDOW} (125 ms, i.e. more
 * than about 1,000 per second, far above what any set of honest peers sends: one initiation per
 * REKEY_TIMEOUT each), and for 1 s after the last such window.
 */
final class LoadMonitor {
    /** Our counting window (no wireguard-go equivalent: its queue length plays this part). */
    static final long WINDOW = 125_000_000L;

    private long windowStart = Long.MIN_VALUE;
    private int count;
    private long underLoadUntil = Long.MIN_VALUE;

    /** Counts one handshake message (initiation, response or cookie reply) arriving at {@code now}. */
    void record(long now) {
        if (windowStart == Long.MIN_VALUE || now - windowStart >= WINDOW) {
            windowStart = now;
            count = 0;
        }
        count++;
        if (count >= Protocol.UNDER_LOAD_QUEUE_LENGTH) {
            underLoadUntil = now + Protocol.UNDER_LOAD_AFTER_TIME;
        }
    }

    boolean isUnderLoad(long now) {
        return underLoadUntil != Long.MIN_VALUE && now < underLoadUntil;
    }
}
