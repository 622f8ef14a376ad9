package dev.wgdiag.timeline;

import dev.wgdiag.net.Endpoint;

import java.util.ArrayList;
import java.util.List;

/**
 * What a join reads of one capture's analysis, read only: its handshake messages, session directions
 * and their counters, endpoints and their history, and the span it covered. Reading a view changes
 * nothing in the analyzer behind it.
 */
final class CaptureView {
    /** One direction of one session: receiver index, the endpoints last used, and its counters. */
    record DirectionView(long receiverIndex, Endpoint src, Endpoint dst, String senderPeer, long first, long last,
                         long lowest, long highest, long received) {
    }

    private final CaptureTotals totals;
    private final EndpointTable endpoints;
    private final PeerTable peers;
    private final IndexTable index;
    private final HandshakeLog handshakes;

    CaptureView(CaptureTotals totals, EndpointTable endpoints, PeerTable peers, IndexTable index, HandshakeLog handshakes) {
        this.totals = totals;
        this.endpoints = endpoints;
        this.peers = peers;
        this.index = index;
        this.handshakes = handshakes;
    }

    List<HandshakeLog.Message> handshakeMessages() {
        return handshakes.named(peers, endpoints);
    }

    /** Every session direction that carried transport, with its counters. */
    List<DirectionView> directions() {
        List<DirectionView> out = new ArrayList<>();
        for (TunnelState tn : peers.tunnels) {
            for (Session s : tn.allSessions) {
                for (SessionDirection d : s.bySender) {
                    if (d == null || !d.window.any()) continue;
                    SideTimers snd = tn.sides[d.senderSide];
                    out.add(new DirectionView(d.receiverIndex, endpoints.get(snd.peer.currentEid),
                            endpoints.get(tn.sides[1 - d.senderSide].peer.currentEid), snd.peer.id, d.first, d.last,
                            d.window.lowest(), d.window.highest(), d.window.received()));
                }
            }
        }
        return out;
    }

    /** The session direction this receiver index keys here, or null. */
    SessionDirection directionOf(long receiverIndex) {
        return index.direction(receiverIndex);
    }

    /** Whether an endpoint was seen in this capture. */
    boolean hasEndpoint(Endpoint endpoint) {
        for (int i = 0; i < endpoints.size(); i++) {
            if (endpoints.get(i).equals(endpoint)) return true;
        }
        return false;
    }

    /**
     * The endpoint used at {@code time} (this capture's clock) by the peer that also used {@code endpoint};
     * null when no peer used it.
     */
    Endpoint endpointAt(Endpoint endpoint, long time) {
        for (PeerState p : peers.peers) {
            boolean mine = false;
            for (int e : p.endpointIds()) mine |= endpoints.get(e).equals(endpoint);
            if (mine) return endpoints.get(p.endpointAt(time));
        }
        return null;
    }

    /** Endpoint changes of every tunnel, in capture order (for the join's NAT translations). */
    List<EndpointChange> endpointChanges() {
        List<EndpointChange> out = new ArrayList<>();
        for (TunnelState tn : peers.tunnels) out.addAll(tn.changes);
        out.sort((x, y) -> x.time().compareTo(y.time()));
        return out;
    }

    /** Whether this capture ran over the whole of [from, to] (its own clock). */
    boolean covers(long from, long to) {
        return totals.covers(from, to);
    }

    int timeDigits() {
        return totals.digits;
    }
}
