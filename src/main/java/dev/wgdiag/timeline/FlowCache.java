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
    /** No match: {@link #lookup} found another flow. */
    static final long MISS = -1;

    /**
     * The datagram's source and destination endpoint ids when it belongs to the cached flow, in either
     * direction, packed as {@code src << 32 | dst} (ids are non-negative ints); else {@link #MISS}.
     */
    long lookup(Datagram d) {
        if (d.ipVersion() != version) return MISS;
        if (d.srcHi() == aHi && d.srcLo() == aLo && d.srcPort() == aPort && d.dstHi() == bHi && d.dstLo() == bLo && d.dstPort() == bPort) {
            return (long) aEid << 32 | bEid;
        }
        if (d.srcHi() == bHi && d.srcLo() == bLo && d.srcPort() == bPort && d.dstHi() == aHi && d.dstLo() == aLo && d.dstPort() == aPort) {
            return (long) bEid << 32 | aEid;
        }
        return MISS;
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
