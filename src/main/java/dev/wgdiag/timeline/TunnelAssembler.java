package dev.wgdiag.timeline;

import dev.wgdiag.time.Timestamp;
import dev.wgdiag.net.Endpoint;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds the immutable result from the state of the pass, asking the parts in turn: roles and NAT clues
 * ({@link NatTopology}), the mapping timeout ({@link MappingTimeoutEstimator}) from the gaps
 * ({@link GapTracker}), loss ({@link LossAccounting}) and, on a join, what the other capture corrects
 * ({@link JoinEvidence}). {@link #assemble} reads the state and changes nothing: called twice it gives
 * equal results. {@link #assembleReleasing} is the one exception, for a capture analysed alone: it lets
 * each tunnel's state go as its result is made, so that the state and the result are not held at once.
 */
final class TunnelAssembler {
    private final AnalyzerOptions options;
    private final CaptureTotals totals;
    private final EndpointTable endpoints;
    private final PeerTable peers;
    private final NatTopology topology;

    TunnelAssembler(AnalyzerOptions options, CaptureTotals totals, EndpointTable endpoints, PeerTable peers, NatTopology topology) {
        this.options = options;
        this.totals = totals;
        this.endpoints = endpoints;
        this.peers = peers;
        this.topology = topology;
    }

    /** The result, with a join's corrections applied ({@code join} null: a capture on its own). */
    Analysis assemble(String captureName, int episode, JoinCorrections join) {
        return build(captureName, episode, join, null);
    }

    /** As {@link #assemble} without a join, as the last use of the state: {@code release} runs first, and each tunnel is dropped once built. */
    Analysis assembleReleasing(String captureName, int episode, Runnable release) {
        return build(captureName, episode, null, release);
    }

    private Analysis build(String captureName, int episode, JoinCorrections join, Runnable release) {
        List<Endpoint> eps = new ArrayList<>();
        for (int i = 0; i < endpoints.size(); i++) {
            if (peers.ownerOf(i) != null) eps.add(endpoints.get(i));  // the table's one instance however many tunnels name it
        }
        if (release != null) release.run();
        JoinEvidence evidence = join == null ? null : new JoinEvidence(join, totals);
        List<TunnelState> tunnels = peers.tunnels;
        List<Tunnel> out = new ArrayList<>(tunnels.size());
        for (int i = 0; i < tunnels.size(); i++) {
            out.add(tunnel(tunnels.get(i), episode, join, evidence));
            if (release != null) tunnels.set(i, null);
        }
        Map<String, Long> counts = new LinkedHashMap<>();
        long[] m = totals.messageCounts;
        counts.put("initiation", m[0]);
        counts.put("response", m[1]);
        counts.put("cookieReply", m[2]);
        counts.put("data", m[3]);
        counts.put("keepalive", m[4]);
        boolean any = totals.any();
        CaptureSummary summary = new CaptureSummary(List.of(captureName), any ? totals.ts(totals.firstTime) : null,
                any ? totals.ts(totals.lastTime) : null, any ? Timestamp.seconds(totals.lastTime - totals.firstTime) : 0, counts, eps);
        List<AnalysisWarning> warnings = new ArrayList<>();
        if (!any) warnings.add(new AnalysisWarning.NoMessages(captureName));
        if (totals.overLimit > 0) warnings.add(new AnalysisWarning.OverLimit(captureName, totals.overLimit, options.maxPeers()));
        SharedNats.Result pooled = SharedNats.pool(out);
        return new Analysis(Analysis.SCHEMA_VERSION, summary, pooled.tunnels(), null, warnings, pooled.nats());
    }

    private Tunnel tunnel(TunnelState tn, int episode, JoinCorrections join, JoinEvidence evidence) {
        RoleInference.Assessment roles = topology.roles(tn, join);
        int nat = roles.client();
        Mapping mapping = mappingTimeout(tn, nat, evidence);
        List<Peer> ps = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            PeerState p = tn.sides[i].peer;
            List<Endpoint> eps = new ArrayList<>();
            String name = null;
            for (int e : p.endpointIds()) {
                eps.add(endpoints.get(e));
                if (name == null) name = options.names().apply(endpoints.get(e));
            }
            List<NatClue> behind = topology.clues(tn, i, nat, mapping.timeout(), evidence);
            Role role = nat < 0 ? Role.UNKNOWN : nat != i ? Role.SERVER : behind.isEmpty() ? Role.CLIENT : Role.NAT_CLIENT;
            ps.add(new Peer(p.id, name, eps, role, roles.confidence(), nat == i ? roles.clues() : List.of(), behind));
        }
        List<Handshake> hs = new ArrayList<>();
        for (HandshakeSeries s : tn.handshakes) {
            hs.add(new Handshake(totals.ts(s.first), tn.sides[s.initiatorSide].peer.id, tn.sides[1 - s.initiatorSide].peer.id,
                    s.responded, Math.max(0, s.attempts - 1), s.rtt >= 0 ? Timestamp.seconds(s.rtt) : null, s.gaveUp(),
                    s.cookies, s.mac2, JoinCorrections.trigger(s, join)));
        }
        Map<String, Double> persistent = new LinkedHashMap<>(4);
        List<KeepaliveStats> ks = new ArrayList<>();
        for (SideTimers side : tn.sides) {
            Double interval = side.persistentInterval();
            if (interval != null) persistent.put(side.peer.id, interval);
            ks.add(new KeepaliveStats(side.peer.id, side.confirmKeepalives, side.passiveKeepalives, side.persistentKeepalives, interval));
        }
        LossAccounting.Result loss = LossAccounting.of(tn, nat, evidence, totals);
        // compact immutable copies: with many tunnels the results are held together, so every list costs
        return new Tunnel(tn.id, List.copyOf(ps), tn.sessions, List.copyOf(hs), swaps(tn, join),
                persistent.isEmpty() ? Map.of() : persistent, List.copyOf(ks), List.copyOf(tn.changes),
                gaps(tn, mapping.expiredGaps()), mapping.timeout(), List.copyOf(loss.directions()), List.copyOf(loss.totals()), episode);
    }

    /** The initiator swaps, each with its handshake's cause as a join corrected it. */
    private static List<InitiatorSwap> swaps(TunnelState tn, JoinCorrections join) {
        if (join == null || join.causes().isEmpty()) return List.copyOf(tn.swaps);
        List<InitiatorSwap> out = new ArrayList<>(tn.swaps.size());
        for (int i = 0; i < tn.swaps.size(); i++) {
            InitiatorSwap w = tn.swaps.get(i);
            JoinCorrections.Cause c = JoinCorrections.cause(tn.swapSeries.get(i), join);
            out.add(new InitiatorSwap(w.time(), w.previousInitiator(), w.newInitiator(), c.cause(), c.detail()));
        }
        return List.copyOf(out);
    }

    /** The idle gaps, those a join showed expired marked so. */
    private static List<IdleGap> gaps(TunnelState tn, Set<Integer> expired) {
        if (expired.isEmpty()) return List.copyOf(tn.gaps);
        List<IdleGap> out = new ArrayList<>(tn.gaps);
        for (int gi : expired) {
            IdleGap old = out.get(gi);
            out.set(gi, new IdleGap(old.start(), old.end(), old.peer(), old.idleOutboundSeconds(), old.idleAnySeconds(),
                    GapOutcome.EXPIRED, old.packetsIntoGap(), old.initiationsIntoGap()));
        }
        return List.copyOf(out);
    }

    /** The mapping timeout, and the gaps a join showed expired. */
    private record Mapping(MappingTimeout timeout, Set<Integer> expiredGaps) {
    }

    /**
     * The evidence for the NAT-side peer's mapping timeout as this capture point can read it: seen from
     * inside the NAT only survivals (inbound packets delivered after its silence), expiries are invisible;
     * outside, returns from the same endpoint (not on a port-preserving NAT, where a new mapping looks the
     * same) and from a new port, with what a join with the inside capture proves.
     */
    private Mapping mappingTimeout(TunnelState tn, int nat, JoinEvidence join) {
        if (nat < 0) return new Mapping(MappingTimeoutEstimator.notObserved(), Set.of());
        SideTimers side = tn.sides[nat];
        Viewpoint vp = topology.viewpoint(tn, nat, join != null);
        List<Evidence> expired = vp == Viewpoint.INSIDE ? List.of() : side.gaps.expired;
        Set<Integer> expiredGaps = Set.of();
        if (join != null && vp != Viewpoint.INSIDE) {
            JoinEvidence.Expiries found = join.expiries(tn, nat);
            expiredGaps = found.expiredGaps();
            if (!found.expiries().isEmpty()) {
                expired = new ArrayList<>(expired);
                for (JoinEvidence.Expiry j : found.expiries()) {
                    // One gap, one observation: the delivery seen inside bounds a rebinding gap at least as well as its return.
                    expired.removeIf(e -> e.time().nanos() == j.replaces() && e.idleOutboundSeconds() >= j.evidence().idleOutboundSeconds());
                    expired.add(j.evidence());
                }
            }
        }
        boolean preserved = vp != Viewpoint.INSIDE && topology.portPreserved(tn, nat, join);
        List<Evidence> survived;
        if (vp == Viewpoint.INSIDE) {
            survived = side.gaps.inboundSurvived;
        } else {
            survived = new ArrayList<>();
            if (!preserved) survived.addAll(side.gaps.survived);
            if (join != null) survived.addAll(join.survivals(tn, nat));
        }
        String who = side.peer.id;
        if (survived.isEmpty() && expired.isEmpty()) {
            MappingNote.Context why = preserved && !side.gaps.survived.isEmpty()
                    ? new MappingNote.PortKeptNoSurvival(who, endpoints.get(side.peer.currentEid).port())
                    : new MappingNote.NoIdleGap(who, Timestamp.seconds(options.idleGapNanos()));
            return new Mapping(MappingTimeoutEstimator.estimate(who, vp, survived, expired, List.of(why)), expiredGaps);
        }
        List<MappingNote.Context> context = new ArrayList<>(2);
        if (preserved && !side.gaps.survived.isEmpty()) context.add(new MappingNote.PortKept());
        if (vp == Viewpoint.INSIDE) {
            context.add(new MappingNote.InsideCapture());
        } else if (join != null) {
            context.add(new MappingNote.Joined());
        }
        return new Mapping(MappingTimeoutEstimator.estimate(who, vp, survived, expired, context), expiredGaps);
    }
}
