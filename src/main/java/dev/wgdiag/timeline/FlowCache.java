package dev.wgdiag.timeline;

import dev.wgdiag.wire.Datagram;

/**
 * The endpoint ids of the last flow seen, either way. Consecutive packets nearly always belong to the
 * flow of the last one (a transfer, its acknowledgements): a one-flow cache saves the two
 * {@link EndpointTable} look-ups per packet on the hot path. Primitive fields only.
 */
final class FlowCache {
    private int version = -1;
    private long aHi, aLo, bHi, bLo;
    private int aPort, bPort, aEid, bEid;
    /** After a {@link #matches} hit: the datagram's source and destination endpoint ids. */
    int src, dst;

    /** Whether the datagram belongs to the cached flow, in either direction (then {@link #src} and {@link #dst} are set). */
    boolean matches(Datagram d) {
        if (d.ipVersion() != version) return false;
        if (d.srcHi() == aHi && d.srcLo() == aLo && d.srcPort() == aPort && d.dstHi() == bHi && d.dstLo() == bLo && d.dstPort() == bPort) {
            src = aEid;
            dst = bEid;
            return true;
        }
        if (d.srcHi() == bHi && d.srcLo() == bLo && d.srcPort() == bPort && d.dstHi() == aHi && d.dstLo() == aLo && d.dstPort() == aPort) {
            src = bEid;
            dst = aEid;
            return true;
        }
        return false;
    }

    /** The datagram's flow, with its endpoint ids, is the cached one now. */
    void remember(Datagram d, int srcEid, int dstEid) {
        version = d.ipVersion();
        aHi = d.srcHi();
        aLo = d.srcLo();
        aPort = d.srcPort();
        bHi = d.dstHi();
        bLo = d.dstLo();
        bPort = d.dstPort();
        aEid = srcEid;
        bEid = dstEid;
    }
}
