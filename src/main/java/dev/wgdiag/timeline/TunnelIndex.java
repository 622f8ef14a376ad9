package dev.wgdiag.timeline;

import dev.wgdiag.net.Endpoint;

/**
 * The two look-ups of peer resolution, each in constant time so that a capture of many flows costs
 * time linear in its tunnels: the tunnel between two peers, and the tunnels of a peer whose other side
 * is currently at a given IP address (a new endpoint at that address may be that peer after a NAT
 * rebinding). Both used to be scans of a peer's tunnel list: quadratic for a server with many clients.
 *
 * <p>Peers are keyed by {@link PeerState#ordinal}. An address bucket is keyed by a 64-bit hash of
 * (counterpart, address) and chained through the tunnels themselves ({@link TunnelState#nextAt}, one link
 * per side), in creation order: the order in which the scan it replaces met them. A hash collision only
 * puts a tunnel of another address in the chain; {@link Analyzer} compares the address itself. Memory:
 * one map slot per tunnel for the pair, one per (counterpart, address), two references in each tunnel.
 */
final class TunnelIndex {
    private final LongObjectMap<TunnelState> byPair = new LongObjectMap<>(256);
    /** Head of each (counterpart, address) chain. */
    private final LongObjectMap<TunnelState> byCounterpartAddress = new LongObjectMap<>(256);

    private static long pair(PeerState a, PeerState b) {
        int lo = Math.min(a.ordinal, b.ordinal), hi = Math.max(a.ordinal, b.ordinal);
        return ((long) hi << 32) | (lo & 0xffffffffL);
    }

    /** A 64-bit hash of (counterpart, the address of an endpoint). */
    static long key(PeerState counterpart, Endpoint e) {
        long h = counterpart.ordinal * 0x9E3779B97F4A7C15L;
        h = (h ^ e.version()) * 0xC2B2AE3D27D4EB4FL;
        h = (h ^ e.hi()) * 0x9E3779B97F4A7C15L;
        h = (h ^ e.lo()) * 0xC2B2AE3D27D4EB4FL;
        return h ^ (h >>> 31);
    }

    /** Forgets every tunnel (the analysis is done with them). */
    void clear() {
        byPair.clear();
        byCounterpartAddress.clear();
    }

    /** The tunnel between two peers, or null. */
    TunnelState between(PeerState a, PeerState b) {
        return byPair.get(pair(a, b));
    }

    /** The first tunnel of {@code counterpart} whose other side may be at the address of {@code e} (see {@link #next}), or null. */
    TunnelState first(PeerState counterpart, Endpoint e) {
        return byCounterpartAddress.get(key(counterpart, e));
    }

    /** The next tunnel in the chain of {@code counterpart} after {@code tn}, or null. */
    static TunnelState next(TunnelState tn, PeerState counterpart) {
        return tn.nextAt[1 - tn.sideOf(counterpart)];
    }

    /** A new tunnel (the newest of the analysis): side 0 at {@code e0}, side 1 at {@code e1}. */
    void added(TunnelState tn, Endpoint e0, Endpoint e1) {
        byPair.put(pair(tn.sides[0].peer, tn.sides[1].peer), tn);
        link(tn, 0, e0);
        link(tn, 1, e1);
    }

    /** Side {@code side} of a tunnel moved from one endpoint to another of a different address (again: no change). */
    void moved(TunnelState tn, int side, Endpoint from, Endpoint to) {
        if (unlink(tn, side, from)) link(tn, side, to);
    }

    /** Into the chain of (other side's peer, address of {@code e}), by creation order. */
    private void link(TunnelState tn, int side, Endpoint e) {
        if (side == 0 && tn.sides[0].peer == tn.sides[1].peer) return;   // a peer with itself: met as side 1 only
        PeerState counterpart = tn.sides[1 - side].peer;
        long k = key(counterpart, e);
        TunnelState head = byCounterpartAddress.get(k);
        if (head == null || head.ordinal > tn.ordinal) {
            tn.nextAt[side] = head;
            byCounterpartAddress.put(k, tn);
            return;
        }
        TunnelState at = head;
        while (true) {
            TunnelState n = next(at, counterpart);
            if (n == null || n.ordinal > tn.ordinal) break;
            at = n;
        }
        tn.nextAt[side] = next(at, counterpart);
        at.nextAt[1 - at.sideOf(counterpart)] = tn;
    }

    /** Out of the chain of (other side's peer, address of {@code e}); false when it was not in it. */
    private boolean unlink(TunnelState tn, int side, Endpoint e) {
        if (side == 0 && tn.sides[0].peer == tn.sides[1].peer) return false;
        PeerState counterpart = tn.sides[1 - side].peer;
        long k = key(counterpart, e);
        TunnelState head = byCounterpartAddress.get(k);
        if (head == tn) {
            TunnelState n = tn.nextAt[side];
            if (n == null) {
                byCounterpartAddress.remove(k);
            } else {
                byCounterpartAddress.put(k, n);
            }
            tn.nextAt[side] = null;
            return true;
        }
        for (TunnelState at = head; at != null; at = next(at, counterpart)) {
            if (next(at, counterpart) == tn) {
                at.nextAt[1 - at.sideOf(counterpart)] = tn.nextAt[side];
                tn.nextAt[side] = null;
                return true;
            }
        }
        return false;
    }
}
