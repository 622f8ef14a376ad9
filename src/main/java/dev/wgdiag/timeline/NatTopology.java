package dev.wgdiag.timeline;

import dev.wgdiag.net.Endpoint;
import dev.wgdiag.wire.Protocol;

import java.util.ArrayList;
import java.util.List;

/**
 * Where the NAT is: which side of a tunnel is the client (behind a NAT, if any, {@link RoleInference}),
 * what shows a NAT in front of it, where the capture sits relative to that NAT, and whether the NAT
 * keeps ports (nat-behaviour.md). Reads the tunnels, changes nothing.
 */
final class NatTopology {
    private final EndpointTable endpoints;

    NatTopology(EndpointTable endpoints) {
        this.endpoints = endpoints;
    }

    private Endpoint current(SideTimers side) {
        return endpoints.get(side.peer.currentEid);
    }

    /** The roles of a tunnel's two sides from their clues, with a join's corrected handshake causes ({@code join} may be null). */
    RoleInference.Assessment roles(TunnelState tn, JoinCorrections join) {
        HandshakeSeries first = null;
        for (HandshakeSeries s : tn.handshakes) {
            HandshakeTrigger t = JoinCorrections.trigger(s, join);
            if (t != HandshakeTrigger.NO_REPLY_AFTER_DATA && t != HandshakeTrigger.SESSION_EXPIRED) {
                first = s;
                break;
            }
        }
        RoleInference.Facts[] f = new RoleInference.Facts[2];
        for (int i = 0; i < 2; i++) {
            SideTimers side = tn.sides[i];
            List<Endpoint> eps = new ArrayList<>();
            for (int e : side.peer.endpointIds()) eps.add(endpoints.get(e));
            boolean roamed = false;
            for (EndpointChange c : tn.changes) roamed |= c.kind() == ChangeKind.ROAMING && c.peer().equals(side.peer.id);
            boolean mine = first != null && first.initiatorSide == i;
            boolean known = first != null && JoinCorrections.trigger(first, join) != HandshakeTrigger.UNKNOWN;
            f[i] = new RoleInference.Facts(RoleInference.ports(eps), side.gaps.rebindings, roamed, mine && known, mine && !known,
                    side.persistentInterval() != null, current(side).isPrivate());
        }
        return RoleInference.assess(f[0], f[1]);
    }

    /** What shows a NAT in front of side {@code i} of a tunnel whose NAT side is {@code nat}. */
    List<NatClue> clues(TunnelState tn, int i, int nat, MappingTimeout mapping, JoinEvidence join) {
        SideTimers side = tn.sides[i];
        List<NatClue> out = new ArrayList<>();
        for (EndpointChange c : tn.changes) {
            if (c.kind() == ChangeKind.NAT_REBINDING && c.peer().equals(side.peer.id)) {
                out.add(NatClue.NAT_REBINDING);
                break;
            }
        }
        if (i == nat && mapping.expiredGaps() > 0) out.add(NatClue.MAPPING_EXPIRED);
        if (join != null) {
            for (int e : side.peer.endpointIds()) {
                if (join.translatedOutside().contains(endpoints.get(e))) {
                    out.add(NatClue.TRANSLATED);
                    break;
                }
            }
        }
        if (current(side).isPrivate() && !current(tn.sides[1 - i]).isPrivate()) out.add(NatClue.PRIVATE_ADDRESS);
        return out;
    }

    /**
     * Where this capture sits relative to the NAT-side peer's NAT: outside when joined with the capture
     * inside it or when the peer rebound; inside when its address is private and its counterpart's is not.
     */
    Viewpoint viewpoint(TunnelState tn, int nat, boolean joined) {
        if (joined) return Viewpoint.OUTSIDE;
        SideTimers s = tn.sides[nat];
        if (s.gaps.rebindings > 0) return Viewpoint.OUTSIDE;
        boolean pn = current(s).isPrivate();
        boolean po = current(tn.sides[1 - nat]).isPrivate();
        if (pn && !po) return Viewpoint.INSIDE;
        return Viewpoint.OUTSIDE;
    }

    /**
     * A port-preserving NAT gives a new mapping the old public port, so "spoke again from the same
     * endpoint" is no evidence of survival (nat-behaviour.md, pitfalls). Joined with the inside capture
     * the translation tells; alone, a public port equal to WireGuard's conventional ListenPort or to the
     * counterpart's port is taken as a fixed ListenPort kept by the NAT.
     */
    boolean portPreserved(TunnelState tn, int nat, JoinEvidence join) {
        if (join != null) return join.portPreserving();
        int port = current(tn.sides[nat]).port();
        return port == Protocol.CONVENTIONAL_PORT || port == current(tn.sides[1 - nat]).port();
    }
}
