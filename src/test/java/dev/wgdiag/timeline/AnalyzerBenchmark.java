package dev.wgdiag.timeline;

import dev.wgdiag.pcap.CaptureReader;
import dev.wgdiag.wire.WireGuardDecoder;

import java.util.Locale;

/**
 * In-process benchmark (not a test): reads one capture from the page cache with the decoder alone
 * (a handler that only counts messages) and with decoder + {@link Analyzer}, alternating, best of N
 * runs each, and prints packets/s and the ratio. The analysis target is within 2x of decode-only.
 *
 * <pre>
 *   java -Xmx256m -XX:+UseSerialGC -cp target/classes:target/test-classes:DEPS \
 *       dev.wgdiag.timeline.AnalyzerBenchmark /tmp/wgdiag-bench/scaled-5000000.pcap [RUNS]
 * </pre>
 */
public final class AnalyzerBenchmark {
    private AnalyzerBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String file = args[0];
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        long[] count = new long[1];
        double bestDecode = Double.MAX_VALUE, bestAnalyze = Double.MAX_VALUE;
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long self = Thread.currentThread().getId();
        long allocDecode = 0, allocAnalyze = 0;
        for (int i = 0; i < runs; i++) {
            count[0] = 0;
            long b0 = mx.getThreadAllocatedBytes(self);
            long t0 = System.nanoTime();
            CaptureReader.read(file, new WireGuardDecoder((d, m) -> count[0]++), null);
            allocDecode = mx.getThreadAllocatedBytes(self) - b0;
            bestDecode = Math.min(bestDecode, (System.nanoTime() - t0) / 1e9);

            long b1 = mx.getThreadAllocatedBytes(self);
            long t1 = System.nanoTime();
            Analyzer a = new Analyzer();
            CaptureReader.read(file, new WireGuardDecoder(a), null);
            Analysis result = a.finish();
            allocAnalyze = mx.getThreadAllocatedBytes(self) - b1;
            bestAnalyze = Math.min(bestAnalyze, (System.nanoTime() - t1) / 1e9);
            if (result.tunnels().isEmpty()) throw new IllegalStateException("no tunnel found in " + file);
        }
        System.out.printf(Locale.ROOT, "%d WireGuard messages%n", count[0]);
        System.out.printf(Locale.ROOT, "decode only      %7.3f s  %,12.0f packets/s%n", bestDecode, count[0] / bestDecode);
        System.out.printf(Locale.ROOT, "decode + analyze %7.3f s  %,12.0f packets/s%n", bestAnalyze, count[0] / bestAnalyze);
        System.out.printf(Locale.ROOT, "allocated: decode only %,d bytes, decode + analyze %,d bytes (%.4f bytes/packet more)%n",
                allocDecode, allocAnalyze, (allocAnalyze - allocDecode) / (double) count[0]);
        System.out.printf(Locale.ROOT, "analysis / decode-only time: %.2fx (target <= 2x)%n", bestAnalyze / bestDecode);
    }
}
