package dev.wgdiag.timeline;

import dev.wgdiag.time.Timestamp;
import dev.wgdiag.net.Endpoint;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What a capture inside the NAT-side peer's NAT knows better than the one outside: survivals proven by
 * inbound packets delivered inside, expiries proven by packets that never arrived inside, the loss of
 * directions toward the NAT-side peer (the inside capture is downstream of them), and handshake causes
 * read where the initiator sits. {@link #read} makes the {@link JoinCorrections}; an instance answers the
 * {@link TunnelAssembler}'s questions about one tunnel from them. Reads both captures, changes neither.
 */
final class JoinEvidence {
    private static final long NANOS = 1_000_000_000L;

    /** An expiry proven by the join; {@code replaces} is the return time of the rebinding gap it bounds better (-1: none). */
    record Expiry(long replaces, Evidence evidence) {
    }

    /** Expiries proven by the join, and the tunnel's gaps (indices in its list) that they show EXPIRED rather than SURVIVED. */
    record Expiries(List<Expiry> expiries, Set<Integer> expiredGaps) {
    }

    private final JoinCorrections join;
    private final CaptureTotals clock;

    JoinEvidence(JoinCorrections join, CaptureTotals clock) {
        this.join = join;
        this.clock = clock;
    }

    /**
     * Reads the inside capture against the outside one's tunnels. A handshake whose session the inside
     * capture also saw takes the inside capture's cause when that one is known (not unknown or initial) and
     * either its own is unknown or its initiator is the NAT-side peer (the inside capture sees its timers
     * first hand). NAT sides are those of the outside analysis alone.
     */
    static JoinCorrections read(List<TunnelState> tunnels, NatTopology topology, CaptureView inside, long offsetNanos,
                                boolean portPreserving, Set<Long> insideUpstream, Set<Endpoint> translatedOutside) {
        Map<HandshakeSeries, JoinCorrections.Cause> causes = new HashMap<>();
        JoinCorrections found = new JoinCorrections(inside, offsetNanos, portPreserving, insideUpstream, translatedOutside, causes);
        for (TunnelState tn : tunnels) {
            int nat = topology.roles(tn, null).client();
            for (Session s : tn.allSessions) {
                if (s.series == null || s.toInitiator == null) continue;
                SessionDirection o = inside.directionOf(s.toInitiator.receiverIndex);
                if (o == null || o.session.series == null) continue;
                HandshakeSeries mine = s.series, theirs = o.session.series;
                boolean theirsKnown = theirs.trigger != HandshakeTrigger.UNKNOWN && theirs.trigger != HandshakeTrigger.INITIAL;
                boolean initiatorInside = nat >= 0 && s.initiatorSide == nat;
                // one handshake may have made several sessions (each answered retry): read as corrected so far
                if (theirsKnown && (JoinCorrections.trigger(mine, found) == HandshakeTrigger.UNKNOWN || initiatorInside)) {
                    causes.put(mine, new JoinCorrections.Cause(theirs.trigger, theirs.cause,
                            new TriggerDetail.SeenInside(theirs.causeDetail)));
                }
            }
        }
        return found;
    }

    boolean portPreserving() {
        return join.portPreserving();
    }

    Set<Endpoint> translatedOutside() {
        return join.translatedOutside();
    }

    /** The same direction seen inside (shared receiver index), or null. */
    SessionDirection twin(SessionDirection d) {
        return join.inside().directionOf(d.receiverIndex);
    }

    /** Whether the direction's sender is on the inside capture's side (else by the NAT side). */
    boolean upstreamInside(SessionDirection d, int nat) {
        return join.insideUpstream().isEmpty() ? d.senderSide == nat : join.insideUpstream().contains(d.receiverIndex);
    }

    /** Whether the inside capture ran over the whole of [first, last] (this capture's clock). */
    boolean insideCovers(long first, long last) {
        return join.inside().covers(first + join.insideOffset(), last + join.insideOffset());
    }

    /** The inside capture's side that is side {@code side} of this tunnel, found through a shared receiver index; null if none. */
    private SessionDirection insideTwin(TunnelState tn, int side) {
        for (Session s : tn.allSessions) {
            for (SessionDirection d : s.bySender) {
                if (d == null) continue;
                SessionDirection o = join.inside().directionOf(d.receiverIndex);
                if (o != null && d.senderSide == side) return o;
            }
        }
        return null;
    }

    /** Inbound packets delivered inside the NAT after the NAT-side peer's outbound silence: the mapping lived. */
    List<Evidence> survivals(TunnelState tn, int nat) {
        SessionDirection twin = insideTwin(tn, nat);
        if (twin == null) return List.of();
        SideTimers in = twin.session.tunnel.sides[twin.senderSide];
        List<Evidence> out = new ArrayList<>();
        for (Evidence e : in.gaps.inboundSurvived) {
            out.add(new Evidence(clock.ts(e.time().nanos() - join.insideOffset()), e.outcome(), e.idleOutboundSeconds(),
                    e.idleAnySeconds(), new Observation.ArrivedInside(tn.sides[1 - nat].peer.id, e.idleOutboundSeconds())));
        }
        return out;
    }

    /**
     * The first packet sent into an idle gap of the NAT-side peer after the last one delivered inside the
     * NAT never arrived there: the mapping was dead when it was sent, so the timeout is at most its idle
     * time (nat-behaviour.md: "an initiation that is never answered while the client is alive was not
     * delivered"; the inside capture shows it directly). Two or more undelivered packets in a row are
     * required (one could be random loss), and the inside capture must have run past the last of them
     * (a capture file does not say how long it ran after its last packet). A same-endpoint return on a
     * NAT that does not keep ports proves survival, so such a gap's losses were loss, not expiry; on a
     * port-preserving NAT the gap is marked EXPIRED.
     */
    Expiries expiries(TunnelState tn, int nat) {
        SessionDirection twin = insideTwin(tn, nat);
        if (twin == null) return new Expiries(List.of(), Set.of());
        SideTimers me = tn.sides[nat];
        SideTimers inSide = twin.session.tunnel.sides[twin.senderSide];
        List<IntoGap> delivered = inSide.gaps.intoGaps(inSide.lastOut);
        long offset = join.insideOffset();
        List<Expiry> out = new ArrayList<>();
        Set<Integer> expiredGaps = new java.util.HashSet<>();
        for (IntoGap g : me.gaps.intoGaps(me.lastOut)) {
            if (g.outcome() == GapOutcome.SURVIVED && !join.portPreserving()) continue;
            // The same silence seen inside: it started when the peer's last packet passed the inside capture point.
            long lastDelivered = Long.MIN_VALUE;
            for (IntoGap d : delivered) {
                if (Math.abs(d.silenceStart() - (g.silenceStart() + offset)) <= NANOS) lastDelivered = d.last();
            }
            int first = -1;
            for (int i = 0; i < g.times().length && first < 0; i++) {
                if (g.times()[i] + offset > lastDelivered) first = i;
            }
            if (first < 0) continue;
            long undelivered = g.total() - first;
            long sent = g.times()[first];
            if (undelivered < 2 || !join.inside().covers(sent + offset, g.last() + offset)) continue;
            long refreshed = lastDelivered == Long.MIN_VALUE ? g.silenceStart() : Math.max(g.silenceStart(), lastDelivered - offset);
            double idle = Timestamp.seconds(sent - g.silenceStart());
            out.add(new Expiry(g.outcome() == GapOutcome.EXPIRED ? g.end() : -1, new Evidence(clock.ts(sent), GapOutcome.EXPIRED,
                    idle, Timestamp.seconds(sent - refreshed),
                    new Observation.NeverArrivedInside(me.peer.id, idle, undelivered - 1, lastDelivered != Long.MIN_VALUE))));
            int gi = g.gapIndex();
            if (gi >= 0 && gi < tn.gaps.size() && tn.gaps.get(gi).outcome() == GapOutcome.SURVIVED) expiredGaps.add(gi);
        }
        return new Expiries(out, expiredGaps);
    }
}
