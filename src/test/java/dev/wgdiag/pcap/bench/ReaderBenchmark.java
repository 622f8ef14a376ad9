package dev.wgdiag.pcap.bench;

import dev.wgdiag.pcap.CaptureException;
import dev.wgdiag.pcap.CaptureReader;
import dev.wgdiag.pcap.CaptureStats;
import dev.wgdiag.wire.Datagram;
import dev.wgdiag.wire.DatagramHandler;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whole-reader throughput, not a unit test. Writes a synthetic capture of snaplen-cut
 * Ethernet/IPv4/UDP WireGuard transport records (100 bytes captured of 190..1470 on the wire) and
 * reads it several times, printing packets/s and MB/s.
 *
 * <pre>
 * mvn -B -q test-compile
 * java -Xmx256m -cp target/classes:target/test-classes dev.wgdiag.pcap.bench.ReaderBenchmark [records] [runs] [format]
 * </pre>
 * format: pcap (default), pcapng, or the path of an existing capture to read instead (e.g. a .gz).
 * The generated file is kept in /tmp for the next run.
 */
public final class ReaderBenchmark {
    private static final int SNAPLEN = 100;

    public static void main(String[] args) throws Exception {
        int records = args.length > 0 ? Integer.parseInt(args[0]) : 5_000_000;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        boolean pcapng = args.length > 2 && args[2].equals("pcapng");
        Path file = Path.of("/tmp", "wgdiag-bench-" + records + (pcapng ? ".pcapng" : ".pcap"));
        if (args.length > 2 && Files.isRegularFile(Path.of(args[2]))) {
            file = Path.of(args[2]);
        } else if (!Files.exists(file)) {
            long t0 = System.nanoTime();
            write(file, records, pcapng);
            System.out.printf("wrote %s (%d MB) in %.1f s%n", file, Files.size(file) >> 20, (System.nanoTime() - t0) / 1e9);
        }
        long size = Files.size(file);
        for (int run = 1; run <= runs; run++) {
            Sink sink = new Sink();
            java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
            long c0 = mx.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            CaptureStats stats = read(file, sink);
            double s = (System.nanoTime() - t0) / 1e9;
            double cpu = (mx.getCurrentThreadCpuTime() - c0) / 1e9;
            System.out.printf("run %d: %d datagrams in %.3f s = %.1f M packets/s, %.0f MB/s of file"
                            + " (thread CPU %.3f s = %.1f M packets/s; check %d)%n", run,
                    stats.datagrams(), s, stats.datagrams() / s / 1e6, size / s / 1e6, cpu,
                    stats.datagrams() / cpu / 1e6, sink.check);
        }
    }

    private static CaptureStats read(Path file, Sink sink) throws CaptureException {
        return CaptureReader.read(file.toString(), sink, null);
    }

    /** Touches what an analyzer touches: ports, addresses, lengths, the WireGuard type and counter. */
    private static final class Sink implements DatagramHandler {
        long check;

        @Override
        public void onDatagram(Datagram d) {
            byte[] b = d.buffer();
            int o = d.payloadOffset();
            check += d.srcPort() + d.dstPort() + d.srcLo() + d.payloadLength() + b[o] + b[o + 8] + d.timeNanos();
        }
    }

    private static void write(Path file, int records, boolean pcapng) throws IOException {
        ByteBuffer rec = ByteBuffer.allocate(64 + SNAPLEN + 16).order(ByteOrder.LITTLE_ENDIAN);
        byte[] frame = new byte[SNAPLEN];
        ByteBuffer f = ByteBuffer.wrap(frame);                 // network order
        f.put(new byte[] {2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1}).putShort((short) 0x0800);
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            ByteBuffer h = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
            if (pcapng) {
                h.putInt(0x0a0d0d0a).putInt(28).putInt(0x1a2b3c4d).putShort((short) 1).putShort((short) 0)
                        .putLong(-1).putInt(28);
                h.putInt(1).putInt(20).putShort((short) 1).putShort((short) 0).putInt(262144).putInt(20);
            } else {
                h.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(262144).putInt(1);
            }
            out.write(h.array(), 0, h.position());
            long t = 1_700_000_000_000_000L;                  // µs
            for (int i = 0; i < records; i++) {
                int payload = 32 + 16 * (i % 90);             // WireGuard transport sizes
                int ipLen = 20 + 8 + payload;
                f.position(14);
                f.put((byte) 0x45).put((byte) 0).putShort((short) ipLen).putShort((short) i).putShort((short) 0x4000)
                        .put((byte) 64).put((byte) 17).putShort((short) 0)
                        .putInt(0x64400000 | (i & 0xff)).putInt(0xcb007107);
                f.putShort((short) (40000 + (i & 0x3ff))).putShort((short) 51820).putShort((short) (8 + payload)).putShort((short) 0);
                f.put((byte) 4).put((byte) 0).put((byte) 0).put((byte) 0).putInt(i).putLong(i);
                int wire = 14 + ipLen;
                int cap = Math.min(wire, SNAPLEN);
                t += 3;
                rec.clear();
                if (pcapng) {
                    int len = 32 + ((cap + 3) & ~3);
                    rec.putInt(6).putInt(len).putInt(0).putInt((int) (t >>> 32)).putInt((int) t).putInt(cap).putInt(wire);
                    rec.put(frame, 0, cap);
                    for (int p = cap; p < ((cap + 3) & ~3); p++) rec.put((byte) 0);
                    rec.putInt(len);
                } else {
                    rec.putInt((int) (t / 1_000_000)).putInt((int) (t % 1_000_000)).putInt(cap).putInt(wire);
                    rec.put(frame, 0, cap);
                }
                out.write(rec.array(), 0, rec.position());
            }
        }
    }
}
