package dev.wgdiag.timeline;

import dev.wgdiag.net.Endpoint;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Memory per tunnel, counted rather than timed: the bytes the analyzer's thread allocates while it
 * follows N more one-message flows (ThreadMXBean, exact per thread). Everything the analysis keeps was
 * allocated, so allocation bounds what it retains; hash tables that doubled meanwhile count their
 * discarded copies too, so the bound is conservative. Issue 13: at most 2 KB per tunnel that saw a
 * single message. Measured as the difference between 2N and N flows, so that fixed costs cancel.
 */
class AnalyzerMemoryTest {
    private static final int FLOWS = 20_000;
    private static final long BUDGET = 2048;
    private static final Endpoint SERVER = Endpoint.parse("198.51.100.2:51820");

    /** Feeds {@code flows} one-message flows from distinct 100.64.0.0/10 clients to one server; returns bytes allocated. */
    private static long allocatedFollowing(int flows, boolean initiations) {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Analyzer analyzer = new Analyzer(AnalyzerOptions.builder().maxPeers(10 * flows).build());
        Wire wire = new Wire(analyzer);
        long self = Thread.currentThread().getId();
        long before = mx.getThreadAllocatedBytes(self);
        for (int i = 0; i < flows; i++) {
            Endpoint client = Endpoint.parse("100." + (64 + (i >>> 16)) + "." + ((i >>> 8) & 0xff) + "." + (i & 0xff) + ":" + (1024 + i % 60_000));
            if (initiations) {
                wire.initiation(i * 1e-5, client, SERVER, i);
            } else {
                wire.transport(i * 1e-5, client, SERVER, i, 0, true);
            }
        }
        long allocated = mx.getThreadAllocatedBytes(self) - before;
        assertEquals(flows, analyzer.tunnelCount(), "each flow is a tunnel of its own");
        return allocated - endpointsParsed(flows);
    }

    /** What the test itself allocates per flow for the client's endpoint (parsed text), measured alone. */
    private static long endpointsParsed(int flows) {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long self = Thread.currentThread().getId();
        long before = mx.getThreadAllocatedBytes(self);
        long sink = 0;
        for (int i = 0; i < flows; i++) {
            sink += Endpoint.parse("100." + (64 + (i >>> 16)) + "." + ((i >>> 8) & 0xff) + "." + (i & 0xff) + ":" + (1024 + i % 60_000)).port();
        }
        assertTrue(sink > 0);
        return mx.getThreadAllocatedBytes(self) - before;
    }

    private static double perTunnel(boolean initiations) {
        allocatedFollowing(FLOWS, initiations);                      // warm-up: classes loaded, code compiled
        long one = allocatedFollowing(FLOWS, initiations);
        long two = allocatedFollowing(2 * FLOWS, initiations);
        return (two - one) / (double) FLOWS;
    }

    @Test
    void shouldKeepAtMostTwoKilobytesPerTunnelThatSawOneKeepalive() {
        double bytes = perTunnel(false);
        System.out.printf(java.util.Locale.ROOT, "one keepalive per flow: %.0f bytes allocated per tunnel%n", bytes);
        assertTrue(bytes <= BUDGET, bytes + " bytes per tunnel");
    }

    @Test
    void shouldKeepAtMostTwoKilobytesPerTunnelThatSawOneInitiation() {
        double bytes = perTunnel(true);
        System.out.printf(java.util.Locale.ROOT, "one initiation per flow: %.0f bytes allocated per tunnel%n", bytes);
        assertTrue(bytes <= BUDGET, bytes + " bytes per tunnel");
    }
}
