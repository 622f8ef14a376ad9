package dev.wgdiag.bench;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Benchmark input, not a test: scales a real capture (classic pcap, Ethernet or raw IPv4, e.g. an
 * iperf3 run over a lab tunnel captured with a small snaplen) to at least N WireGuard packets. The
 * first copy is the capture itself; later copies repeat its transport records shifted in time by the
 * capture's span, with each session's counters continued, so every packet stays a distinct valid
 * message as a real long transfer would have.
 *
 * <p>Usage: {@code ScaleCapture SEED.pcap OUT.pcap MIN_PACKETS}
 */
public final class ScaleCapture {
    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            System.err.println("usage: ScaleCapture SEED.pcap OUT.pcap MIN_PACKETS");
            System.exit(2);
        }
        ByteBuffer seed = ByteBuffer.wrap(Files.readAllBytes(Path.of(args[0])));
        long target = Long.parseLong(args[2]);
        int magic = seed.order(ByteOrder.LITTLE_ENDIAN).getInt(0);
        if (magic != 0xa1b2c3d4 && magic != 0xa1b23c4d) {
            throw new IOException(args[0] + ": expected a little-endian classic pcap");
        }
        boolean nanos = magic == 0xa1b23c4d;
        int linkType = seed.getInt(20);
        int ipOffset = switch (linkType) {
            case 1 -> 14;     // Ethernet
            case 101 -> 0;    // raw IP
            case 113 -> 16;   // Linux cooked v1
            case 276 -> 20;   // Linux cooked v2
            default -> throw new IOException("unsupported link type " + linkType);
        };
        long first = -1;
        long last = 0;
        Map<Long, Long> maxCounter = new HashMap<>();
        long wgPackets = 0;
        long transport = 0;
        for (int p = 24; p + 16 <= seed.limit(); ) {
            int incl = seed.getInt(p + 8);
            long t = time(seed, p, nanos);
            if (first < 0) first = t;
            last = t;
            int payload = udpPayload(seed, p + 16 + ipOffset, incl - ipOffset);
            if (payload > 0 && seed.get(payload) >= 1 && seed.get(payload) <= 4) {
                wgPackets++;
                if (seed.get(payload) == 4 && payload + 16 <= p + 16 + incl) {
                    transport++;
                    long receiver = seed.getInt(payload + 4) & 0xffffffffL;
                    maxCounter.merge(receiver, seed.getLong(payload + 8), Math::max);
                }
            }
            p += 16 + incl;
        }
        if (transport == 0) throw new IOException(args[0] + ": no WireGuard transport packets to scale");
        long span = last - first + 1_000_000;
        long copies = Math.max(1, (target - wgPackets + transport - 1) / transport + 1);
        long written = 0;
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(Path.of(args[1])), 1 << 20)) {
            out.write(seed.array(), 0, 24);
            for (long k = 0; k < copies; k++) {
                for (int p = 24; p + 16 <= seed.limit(); ) {
                    int incl = seed.getInt(p + 8);
                    int payload = udpPayload(seed, p + 16 + ipOffset, incl - ipOffset);
                    boolean isWg = payload > 0 && seed.get(payload) >= 1 && seed.get(payload) <= 4;
                    boolean isTransport = isWg && seed.get(payload) == 4 && payload + 16 <= p + 16 + incl;
                    if (k == 0 || isTransport) {
                        byte[] rec = new byte[16 + incl];
                        System.arraycopy(seed.array(), p, rec, 0, rec.length);
                        ByteBuffer r = ByteBuffer.wrap(rec).order(ByteOrder.LITTLE_ENDIAN);
                        long t = time(seed, p, nanos) + k * span;
                        r.putInt(0, (int) (t / 1_000_000_000L));
                        r.putInt(4, (int) (nanos ? t % 1_000_000_000L : (t % 1_000_000_000L) / 1000));
                        if (isTransport && k > 0) {
                            int at = payload - p;
                            long receiver = r.getInt(at + 4) & 0xffffffffL;
                            r.putLong(at + 8, r.getLong(at + 8) + k * (maxCounter.get(receiver) + 1));
                        }
                        out.write(rec);
                        if (isWg) written++;
                    }
                    p += 16 + incl;
                }
            }
        }
        System.out.println(written);
    }

    private static long time(ByteBuffer b, int p, boolean nanos) {
        long secs = b.getInt(p) & 0xffffffffL;
        long frac = b.getInt(p + 4) & 0xffffffffL;
        return secs * 1_000_000_000L + (nanos ? frac : frac * 1000);
    }

    /** Offset of the UDP payload of an IPv4 or IPv6 packet at {@code ip}, or -1. */
    private static int udpPayload(ByteBuffer b, int ip, int captured) {
        if (captured < 28) return -1;
        int version = (b.get(ip) & 0xf0) >> 4;
        if (version == 4) {
            int ihl = (b.get(ip) & 0x0f) * 4;
            if (b.get(ip + 9) != 17 || captured < ihl + 8 + 16) return -1;
            return ip + ihl + 8;
        }
        if (version == 6 && captured >= 40 + 8 + 16 && b.get(ip + 6) == 17) {
            return ip + 48;
        }
        return -1;
    }
}
