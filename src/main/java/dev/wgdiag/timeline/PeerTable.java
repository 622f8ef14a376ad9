package dev.wgdiag.timeline;

import dev.wgdiag.time.Timestamp;
import dev.wgdiag.net.Endpoint;
import dev.wgdiag.wire.Datagram;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static dev.wgdiag.timeline.TunnelState.mutable;

/**
 * Peers and tunnels: which peer owns an endpoint, the tunnel between the peers at two endpoints (made
 * when new), and peers moving between endpoints. Peers are tied across sessions by endpoints: an
 * authenticated packet of a known session from a new endpoint is that peer moving (whitepaper 6.5
 * roaming); an initiation from an unknown endpoint whose address is that of a known peer talking to the
 * same counterpart is that peer after a NAT rebinding (see {@link #findOrCreate}). Look-ups are constant
 * time ({@link TunnelIndex}); at most {@link AnalyzerOptions#maxPeers()} peers and tunnels are followed.
 */
final class PeerTable {
    private static final long NANOS = 1_000_000_000L;
    /** A peer that sent within this long is alive at its endpoint: a new endpoint at its address is someone else. */
    private static final long STILL_TALKING = 2 * NANOS;

    private final EndpointTable endpoints;
    private final CaptureTotals totals;
    private final EventSink events;
    private final int maxPeers;
    private final long idleGapNanos;
    private PeerState[] owner = new PeerState[64];
    final List<PeerState> peers = new ArrayList<>();
    final List<TunnelState> tunnels = new ArrayList<>();
    private final TunnelIndex tunnelIndex = new TunnelIndex();
    /** Peers and tunnels numbered by earlier episodes of the same capture ({@link Episodes}). */
    int peerBase;
    int tunnelBase;

    PeerTable(EndpointTable endpoints, CaptureTotals totals, EventSink events, AnalyzerOptions options) {
        this.endpoints = endpoints;
        this.totals = totals;
        this.events = events;
        this.maxPeers = options.maxPeers();
        this.idleGapNanos = options.idleGapNanos();
    }

    /**
     * Whether a datagram of a flow not met just before may be followed: always while under the peer
     * limit, else only when both its endpoints belong to peers already (looked up without adding them).
     * A refused message is counted ({@link CaptureTotals#overLimit}; the result warns).
     */
    boolean admits(Datagram d) {
        if (peers.size() < maxPeers) return true;
        int a = endpoints.find(d.ipVersion(), d.srcHi(), d.srcLo(), d.srcPort());
        int b = endpoints.find(d.ipVersion(), d.dstHi(), d.dstLo(), d.dstPort());
        if (a >= 0 && b >= 0 && ownerOf(a) != null && ownerOf(b) != null) return true;
        totals.overLimit++;
        return false;
    }

    PeerState ownerOf(int eid) {
        return eid >= 0 && eid < owner.length ? owner[eid] : null;
    }

    private void own(int eid, PeerState p) {
        if (eid >= owner.length) owner = Arrays.copyOf(owner, Math.max(owner.length * 2, eid + 1));
        if (owner[eid] == null) owner[eid] = p;
        p.addEndpoint(eid);
    }

    private PeerState newPeer(int eid) {
        PeerState p = new PeerState("peer" + (peerBase + peers.size() + 1), peers.size());
        p.currentEid = eid;
        peers.add(p);
        own(eid, p);
        return p;
    }

    /**
     * A peer at an endpoint never seen: a known peer of the counterpart at the same address (rebinding),
     * unless that peer is still talking from its own endpoint, or its session is younger than
     * REKEY_AFTER_TIME: a peer that comes back through a new mapping with a young session sends transport
     * under its known indices (linked by index, whitepaper 6.5), it has no reason to start a handshake, so
     * a handshake from a new port then is another client behind the same NAT address (a CGNAT, a home
     * router with several phones); else new.
     */
    private PeerState findOrCreate(int eid, PeerState counterpart, long t) {
        PeerState p = ownerOf(eid);
        if (p != null) return p;
        if (counterpart != null) {
            // The counterpart's tunnels whose other side is now at this address, in creation order.
            Endpoint e = endpoints.get(eid);
            for (TunnelState tn = tunnelIndex.first(counterpart, e); tn != null; tn = TunnelIndex.next(tn, counterpart)) {
                SideTimers os = tn.sides[1 - tn.sideOf(counterpart)];
                PeerState o = os.peer;
                boolean stillTalking = os.lastOut >= 0 && t - os.lastOut < STILL_TALKING;
                boolean youngSession = tn.current != null && t - tn.current.established < TriggerRules.REKEY_MIN;
                if (endpoints.get(o.currentEid).sameAddress(e) && !stillTalking && !youngSession) return o;
            }
        }
        return newPeer(eid);
    }

    /**
     * The tunnel between the peers at two endpoints (both made when new), or null when a new tunnel
     * would exceed the limit (counted). The source endpoint is owned afterwards.
     */
    TunnelState resolve(int srcEid, int dstEid, long t) {
        if (srcEid >= owner.length || dstEid >= owner.length) {
            owner = Arrays.copyOf(owner, Math.max(owner.length * 2, Math.max(srcEid, dstEid) + 1));
        }
        PeerState src = owner[srcEid];
        PeerState dst = owner[dstEid];
        if (src == null && dst == null) {
            dst = newPeer(dstEid);
            src = newPeer(srcEid);
        } else if (src == null) {
            src = findOrCreate(srcEid, dst, t);
        } else if (dst == null) {
            dst = findOrCreate(dstEid, src, t);
        }
        if (owner[srcEid] == null) owner[srcEid] = src;
        if (owner[dstEid] == null) owner[dstEid] = dst;
        TunnelState known = tunnelIndex.between(src, dst);
        if (known != null) return known;
        if (tunnels.size() >= maxPeers) {
            totals.overLimit++;                           // would make a tunnel: not analysed (the result warns)
            return null;
        }
        TunnelState tn = new TunnelState("tunnel" + (tunnelBase + tunnels.size() + 1), tunnels.size(), src, dst);
        tunnels.add(tn);
        src.tunnels.add(tn);
        dst.tunnels.add(tn);
        tunnelIndex.added(tn, endpoints.get(src.currentEid), endpoints.get(dst.currentEid));
        return tn;
    }

    /**
     * Side {@code me} of a tunnel sent from {@code srcEid}, not its current endpoint: on the same address
     * a NAT rebinding (one under traffic, not after an idle gap, counts as a rebinding of its own), else
     * roaming (whitepaper 6.5).
     */
    void endpointChange(TunnelState tn, SideTimers me, long t, int srcEid, long idleOut) {
        PeerState p = me.peer;
        Endpoint from = endpoints.get(p.currentEid);
        Endpoint to = endpoints.get(srcEid);
        ChangeKind kind = from.sameAddress(to) ? ChangeKind.NAT_REBINDING : ChangeKind.ROAMING;
        if (kind == ChangeKind.NAT_REBINDING && idleOut < idleGapNanos) me.gaps.rebindings++;
        (tn.changes = mutable(tn.changes)).add(new EndpointChange(totals.ts(t), p.id, from, to, kind,
                Math.max(0, Timestamp.seconds(idleOut))));
        if (!from.sameAddress(to)) {
            // a tunnel of a peer with itself is indexed by its side 1 (as the scan it replaces read it)
            for (TunnelState other : p.tunnels) tunnelIndex.moved(other, other.sides[1].peer == p ? 1 : 0, from, to);
        }
        p.currentEid = srcEid;
        p.moved(t, srcEid);
        own(srcEid, p);
        events.emit(Event.Kind.ENDPOINT_CHANGE, t, tn, p, new Event.Moved(p.id, kind, from, to));
    }

    /** The peer's endpoint {@code eid}, read as an {@link Endpoint}. */
    Endpoint endpoint(int eid) {
        return endpoints.get(eid);
    }

    /** Drops what ties the tunnels together (peers' owners and tunnel lists, address chains): only results are built after. */
    void release() {
        tunnelIndex.clear();
        for (PeerState p : peers) p.tunnels.clear();
        for (TunnelState tn : tunnels) {
            if (tn == null) continue;
            tn.nextAt[0] = null;
            tn.nextAt[1] = null;
        }
        Arrays.fill(owner, null);
    }
}
