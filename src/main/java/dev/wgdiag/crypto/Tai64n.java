package dev.wgdiag.crypto;

import java.time.Clock;
import java.time.Instant;

/**
 * A TAI64N label (https://cr.yp.to/libtai/tai64.html): 8 bytes 2^62 + 10 + unix seconds, then
 * 4 bytes nanoseconds, both big-endian (whitepaper section 5.4, TAI64N). WireGuard senders round
 * nanoseconds down to a multiple of 2^24 (wireguard-go tai64n.go, whitenerMask) so timing is not
 * leaked; a responder accepts an initiation only with a timestamp greater than the last one.
 */
public record Tai64n(long seconds, int nanos) implements Comparable<Tai64n> {
    /** Bytes in the encoded label. */
    public static final int LENGTH = 12;
    /** TAI64 label of the unix epoch 1970-01-01T00:00:00 (2^62 + 10 leap-second offset). */
    static final long BASE = 0x400000000000000aL;
    /** Nanoseconds are rounded down to this granularity (2^24 ns, wireguard-go tai64n.go). */
    static final int WHITENER_MASK = 0x1000000 - 1;

    public Tai64n {
        if (nanos < 0 || nanos > 999_999_999) {
            throw new IllegalArgumentException("nanoseconds out of range: " + nanos);
        }
    }

    /** The label WireGuard would send at this instant (nanoseconds rounded down to 2^24 ns). */
    public static Tai64n whitened(Instant t) {
        return new Tai64n(t.getEpochSecond(), t.getNano() & ~WHITENER_MASK);
    }

    public static Tai64n now(Clock clock) {
        return whitened(clock.instant());
    }

    public static Tai64n of(Instant t) {
        return new Tai64n(t.getEpochSecond(), t.getNano());
    }

    public Instant toInstant() {
        return Instant.ofEpochSecond(seconds, nanos);
    }

    public void encode(byte[] out, int off) {
        long label = BASE + seconds;
        for (int i = 0; i < 8; i++) {
            out[off + i] = (byte) (label >>> (56 - 8 * i));
        }
        for (int i = 0; i < 4; i++) {
            out[off + 8 + i] = (byte) (nanos >>> (24 - 8 * i));
        }
    }

    public byte[] encode() {
        byte[] b = new byte[LENGTH];
        encode(b, 0);
        return b;
    }

    /** Decodes 12 bytes; rejects nanoseconds of 10^9 or more. */
    public static Tai64n decode(byte[] b, int off) {
        long label = 0;
        for (int i = 0; i < 8; i++) {
            label = (label << 8) | (b[off + i] & 0xff);
        }
        long nanos = 0;
        for (int i = 0; i < 4; i++) {
            nanos = (nanos << 8) | (b[off + 8 + i] & 0xff);
        }
        if (nanos > 999_999_999) {
            throw new IllegalArgumentException("TAI64N nanoseconds out of range: " + nanos);
        }
        return new Tai64n(label - BASE, (int) nanos);
    }

    @Override
    public int compareTo(Tai64n o) {
        int c = Long.compare(seconds, o.seconds);
        return c != 0 ? c : Integer.compare(nanos, o.nanos);
    }

    @Override
    public String toString() {
        return toInstant().toString();
    }
}
