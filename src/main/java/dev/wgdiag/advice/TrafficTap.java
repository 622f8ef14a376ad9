package dev.wgdiag.advice;

import dev.wgdiag.net.Endpoint;
import dev.wgdiag.pcap.IcmpError;
import dev.wgdiag.pcap.IcmpHandler;
import dev.wgdiag.wire.Datagram;
import dev.wgdiag.wire.MessageType;
import dev.wgdiag.wire.WgMessage;
import dev.wgdiag.wire.WgMessageHandler;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Counts decoded messages per flow, type and time bin, and fragmented (reassembled) WireGuard
 * datagrams, for the report's charts and the MTU advice. Chain it after the analyzer
 * ({@code (d, m) -> { analyzer.onMessage(d, m); tap.onMessage(d, m); }}). No allocation per packet:
 * flows are found by comparing primitive fields (the last flow first); bins start 1 s wide and double
 * (merging neighbours) whenever the capture outgrows {@link #MAX_BINS}.
 */
public final class TrafficTap implements WgMessageHandler, IcmpHandler {
    public static final int MAX_BINS = 480;
    /** Flows beyond this many are not counted (reports draw a handful). */
    static final int MAX_FLOWS = 256;
    private static final int TYPES = MessageType.values().length;

    private long start = Long.MIN_VALUE;
    private long binNanos = 1_000_000_000L;
    private int bins = 1;
    private final List<FlowState> flows = new ArrayList<>();
    private FlowState last;

    private static final class FlowState {
        final int version;
        final long aHi, aLo, bHi, bLo;
        final int aPort, bPort;
        final long[][] counts = new long[TYPES][MAX_BINS];
        long reassembled;
        int largestReassembled, largestUnfragmented;
        long tooBig;
        int pathMtu;
        int tooBigDatagram;
        long tooBigFirstNanos;
        String tooBigReporter;

        FlowState(int version, long aHi, long aLo, int aPort, long bHi, long bLo, int bPort) {
            this.version = version;
            this.aHi = aHi;
            this.aLo = aLo;
            this.aPort = aPort;
            this.bHi = bHi;
            this.bLo = bLo;
            this.bPort = bPort;
        }

        boolean matches(Datagram d) {
            if (d.ipVersion() != version) return false;
            return (d.srcHi() == aHi && d.srcLo() == aLo && d.srcPort() == aPort && d.dstHi() == bHi && d.dstLo() == bLo && d.dstPort() == bPort)
                    || (d.srcHi() == bHi && d.srcLo() == bLo && d.srcPort() == bPort && d.dstHi() == aHi && d.dstLo() == aLo && d.dstPort() == aPort);
        }
    }

    @Override
    public void onMessage(Datagram d, WgMessage m) {
        FlowState f = last != null && last.matches(d) ? last : find(d);
        if (f == null) return;
        last = f;
        long t = d.timeNanos();
        if (start == Long.MIN_VALUE) start = t;
        long off = Math.max(0, t - start);
        long bin = off / binNanos;
        while (bin >= MAX_BINS) {
            widen();
            bin = off / binNanos;
        }
        if (bin >= bins) bins = (int) bin + 1;
        f.counts[m.type().ordinal()][(int) bin]++;
        if (d.reassembled()) {
            f.reassembled++;
            f.largestReassembled = Math.max(f.largestReassembled, m.length());
        } else {
            f.largestUnfragmented = Math.max(f.largestUnfragmented, m.length());
        }
    }

    /**
     * An ICMP "fragmentation needed" / ICMPv6 "packet too big" about one of the flows' datagrams
     * (RFC 1191, RFC 8201): the router says the path's next hop carries at most {@code mtu} bytes.
     */
    @Override
    public void onIcmpError(IcmpError e) {
        if (e.kind() != IcmpError.PACKET_TOO_BIG) return;
        String src = e.quotedSource().toString();
        String dst = e.quotedDestination().toString();
        for (FlowState f : flows) {
            Endpoint a = Endpoint.of(f.version, f.aHi, f.aLo, f.aPort);
            Endpoint b = Endpoint.of(f.version, f.bHi, f.bLo, f.bPort);
            if ((a.toString().equals(src) && b.toString().equals(dst)) || (a.toString().equals(dst) && b.toString().equals(src))) {
                if (f.tooBig++ == 0) {
                    f.tooBigFirstNanos = e.timeNanos();
                    f.tooBigReporter = e.reporter();
                }
                if (e.mtu() > 0 && (f.pathMtu == 0 || e.mtu() < f.pathMtu)) f.pathMtu = e.mtu();
                f.tooBigDatagram = Math.max(f.tooBigDatagram, e.quotedLength());
                return;
            }
        }
    }

    private FlowState find(Datagram d) {
        for (FlowState f : flows) {
            if (f.matches(d)) return f;
        }
        if (flows.size() >= MAX_FLOWS) return null;
        FlowState f = new FlowState(d.ipVersion(), d.srcHi(), d.srcLo(), d.srcPort(), d.dstHi(), d.dstLo(), d.dstPort());
        flows.add(f);
        return f;
    }

    private void widen() {
        for (FlowState f : flows) {
            for (long[] c : f.counts) {
                for (int i = 0; i < MAX_BINS / 2; i++) c[i] = c[2 * i] + c[2 * i + 1];
                Arrays.fill(c, MAX_BINS / 2, MAX_BINS, 0);
            }
        }
        binNanos *= 2;
        bins = (bins + 1) / 2;
    }

    /** What was counted so far. */
    public Traffic result() {
        List<Traffic.Flow> out = new ArrayList<>();
        for (FlowState f : flows) {
            long[][] c = new long[TYPES][];
            for (int i = 0; i < TYPES; i++) c[i] = Arrays.copyOf(f.counts[i], bins);
            out.add(new Traffic.Flow(Endpoint.of(f.version, f.aHi, f.aLo, f.aPort),
                    Endpoint.of(f.version, f.bHi, f.bLo, f.bPort), f.version, c, f.reassembled,
                    f.largestReassembled, f.largestUnfragmented,
                    new Traffic.TooBig(f.tooBig, f.pathMtu, f.tooBigDatagram, f.tooBigFirstNanos, f.tooBigReporter)));
        }
        return new Traffic(start == Long.MIN_VALUE ? 0 : start, binNanos, out);
    }
}
