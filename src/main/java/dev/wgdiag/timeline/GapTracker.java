package dev.wgdiag.timeline;

import dev.wgdiag.time.Timestamp;
import dev.wgdiag.net.Endpoint;
import dev.wgdiag.wire.Protocol;


import static dev.wgdiag.timeline.TunnelState.mutable;

/**
 * Idle gaps: a peer silent (nothing sent) for at least {@link AnalyzerOptions#idleGapNanos()} that
 * speaks again tells whether its NAT mapping lived through the silence (nat-behaviour.md, "Reading a
 * capture"): from the same endpoint it survived (a lower bound of the timeout); from a new port on the
 * same address it expired (an upper bound), at the latest when the first packet it would have answered
 * was sent into it; from a new address it roamed (no evidence). Packets sent to a silent peer are kept
 * per gap ({@link SideGaps}) so that a join with a capture inside the NAT can tell which arrived.
 */
final class GapTracker {
    private static final long NANOS = 1_000_000_000L;
    /** Bounds on what one tunnel keeps, whatever the capture's length (memory grows with events, within these). */
    private static final int MAX_EVIDENCE = 10_000;
    private static final int MAX_INTO_GAPS = 10_000;
    private static final int MAX_GAPS = 100_000;

    private final EndpointTable endpoints;
    private final CaptureTotals clock;
    private final EventSink events;
    private final long idleGapNanos;

    GapTracker(EndpointTable endpoints, CaptureTotals clock, EventSink events, long idleGapNanos) {
        this.endpoints = endpoints;
        this.clock = clock;
        this.events = events;
        this.idleGapNanos = idleGapNanos;
    }

    /** Whether a silence this long is an idle gap. */
    boolean idle(long nanos) {
        return nanos >= idleGapNanos;
    }

    /**
     * A packet from {@code fromPeer} at {@code t} to the current endpoint of {@code silent}, silent for an
     * idle gap: seen from inside its NAT this proves the mapping alive. Allocates at the gap's first packet only.
     */
    void packetInto(SideTimers silent, long t, String fromPeer) {
        SideGaps g = silent.gaps;
        if (g.lateCount < SideGaps.LATE_KEPT) {
            if (g.lateTimes == null) g.lateTimes = new long[SideGaps.LATE_KEPT];
            g.lateTimes[(int) g.lateCount] = t;
        }
        g.lateLast = t;
        g.lateCount++;
        if (g.lateProbe >= 0) return;                   // not the first packet into this gap
        g.lateProbe = t;
        g.lateProbeSilent = silent.maxSilentSinceOut;
        if (g.inboundSurvived.size() < MAX_EVIDENCE) {
            (g.inboundSurvived = mutable(g.inboundSurvived)).add(new Evidence(clock.ts(t), GapOutcome.INBOUND_DELIVERED,
                    Timestamp.seconds(t - silent.lastOut), Timestamp.seconds(silent.maxSilentSinceOut),
                    new Observation.InboundDelivered(fromPeer)));
        }
    }

    /** Side {@code me} of a tunnel speaks at {@code t} from {@code srcEid} after {@code idleOut} ns of sending nothing. */
    void gapEnded(TunnelState tn, SideTimers me, long t, int srcEid, long idleOut) {
        PeerState p = me.peer;
        SideGaps g = me.gaps;
        Endpoint now = endpoints.get(srcEid);
        Endpoint before = endpoints.get(p.currentEid);
        GapOutcome outcome;
        if (srcEid == p.currentEid) {
            outcome = GapOutcome.SURVIVED;
            if (g.survived.size() < MAX_EVIDENCE) {
                (g.survived = mutable(g.survived)).add(new Evidence(clock.ts(t), outcome, Timestamp.seconds(idleOut),
                        Timestamp.seconds(me.maxSilentSinceOut), new Observation.SpokeAgain(p.id, now)));
            }
        } else if (now.sameAddress(before)) {
            outcome = GapOutcome.EXPIRED;
            // The mapping was dead when an initiation it would have answered at once, or data it would have
            // answered within KEEPALIVE_TIMEOUT, was sent into it.
            long deadAt = t;
            long silentAtDeath = me.maxSilentSinceOut;
            Timestamp initiationUnanswered = null, dataUnanswered = null;
            if (me.initProbe >= 0 && t - me.initProbe > NANOS && me.initProbe < deadAt) {
                deadAt = me.initProbe;
                silentAtDeath = me.initProbeSilent;
                initiationUnanswered = clock.ts(me.initProbe);
            }
            if (me.dataProbe >= 0 && t - me.dataProbe > Protocol.KEEPALIVE_TIMEOUT + NANOS && me.dataProbe < deadAt) {
                deadAt = me.dataProbe;
                silentAtDeath = me.dataProbeSilent;
                dataUnanswered = clock.ts(me.dataProbe);
            }
            g.rebindings++;
            (g.expired = mutable(g.expired)).add(new Evidence(clock.ts(t), outcome, Timestamp.seconds(deadAt - me.lastOut),
                    Timestamp.seconds(silentAtDeath), new Observation.NewPort(p.id, now, initiationUnanswered, dataUnanswered)));
        } else {
            outcome = GapOutcome.ROAMED;
        }
        if (g.lateProbe >= 0 && outcome != GapOutcome.ROAMED && g.intoGaps.size() < MAX_INTO_GAPS) {
            (g.intoGaps = mutable(g.intoGaps)).add(g.intoGap(me.lastOut, t, outcome, tn.gaps.size() < MAX_GAPS ? tn.gaps.size() : -1));
        }
        if (tn.gaps.size() < MAX_GAPS) {
            (tn.gaps = mutable(tn.gaps)).add(new IdleGap(clock.ts(me.lastOut), clock.ts(t), p.id, Timestamp.seconds(idleOut),
                    Timestamp.seconds(me.maxSilentSinceOut), outcome, me.packetsIn, me.initiationsIn));
        }
        if (events.on()) {
            events.emit(Event.Kind.IDLE_GAP, t, tn, p, new Event.Idle(p.id, Timestamp.seconds(idleOut), outcome));
        }
    }
}
