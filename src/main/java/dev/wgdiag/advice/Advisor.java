package dev.wgdiag.advice;

import dev.wgdiag.config.Attribute;
import dev.wgdiag.net.Endpoint;
import dev.wgdiag.timeline.Analysis;
import dev.wgdiag.timeline.CaptureJoin;
import dev.wgdiag.timeline.ChangeKind;
import dev.wgdiag.timeline.EndpointChange;
import dev.wgdiag.timeline.Evidence;
import dev.wgdiag.timeline.GapOutcome;
import dev.wgdiag.timeline.Handshake;
import dev.wgdiag.timeline.IdleGap;
import dev.wgdiag.timeline.Loss;
import dev.wgdiag.timeline.MappingTimeout;
import dev.wgdiag.timeline.Peer;
import dev.wgdiag.timeline.RefreshModel;
import dev.wgdiag.timeline.SharedNat;
import dev.wgdiag.timeline.SwapCause;
import dev.wgdiag.time.Timestamp;
import dev.wgdiag.timeline.Tunnel;
import dev.wgdiag.timeline.Viewpoint;
import dev.wgdiag.wire.Protocol;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns an {@link Analysis} into a verdict and config changes, each citing its evidence. The rules
 * (documented with their sources in docs/report.md):
 * <ul>
 * <li>PersistentKeepalive, for the peer behind a NAT, in its [Peer] section of the other peer, only
 * when something shows a NAT or stateful firewall. From the mapping-timeout bracket (L, U]:
 * K = min(25, floor(0.8 L), floor(0.8 U)) over the bounds known; 0.8 leaves a 20 % margin for timer
 * jitter and for lifetimes that vary under load (RFC 5780 section 4.6); 25 s is wg(8)'s interval
 * "that works with a wide variety of firewalls". With no bound measured, 25 s with LOW confidence.</li>
 * <li>ListenPort, in the NAT-side peer's [Interface], when its own (inside) source port changed:
 * seen in a two-capture join's NAT translations or in an inside capture's endpoint changes.</li>
 * <li>MTU, in both peers' [Interface], when WireGuard datagrams arrived as IP fragments.</li>
 * <li>Endpoint over IPv6, when the peer's IPv4 mapping rebinds and the other peer's port is seen
 * on an IPv6 address in the same capture.</li>
 * </ul>
 */
public final class Advisor {
    /**
     * Above this many tunnels (a VPN provider's server, a busy gateway) the advice is computed when a report
     * asks for it, the verdict names each kind of problem once with how often it recurs, and the text and
     * HTML reports show a table of tunnels ranked by {@link #severity} with the details of the worst.
     */
    public static final int MANY_TUNNELS = 50;
    /** wg(8): "a sensible interval that works with a wide variety of firewalls is 25 seconds". */
    public static final int FIELD_KEEPALIVE_SECONDS = 25;
    /** Margin below a measured mapping lifetime (20 %): lifetimes vary under load (RFC 5780 4.6). */
    public static final double MARGIN = 0.8;
    /** IPv6 minimum link MTU (RFC 8200 section 5): a tunnel MTU that carries inner IPv6 everywhere. */
    public static final int MIN_IPV6_MTU = 1280;
    /** Loss above this (percent, one direction) makes a tunnel unstable. */
    static final double LOSS_UNSTABLE_PERCENT = 2.0;
    /** How far a persistent keepalive interval may exceed the longest proven survival and still count as proven (timer jitter). */
    static final double PROVEN_SLACK = 0.1;
    /** An idle period this long (2 minutes, RFC 4787 REQ-5's minimum) that a flow lived through tests what lies between the peers. */
    static final double LONG_IDLE_SECONDS = 120;

    private Advisor() {
    }

    /** Advice from the analysis alone (no MTU advice: that needs the messages' fragmentation). */
    public static Advice advise(Analysis a) {
        return advise(a, List.of());
    }

    /**
     * @param traffic per capture read (same order as the captures), from a {@link TrafficTap}; may be empty
     */
    public static Advice advise(Analysis a, List<Traffic> traffic) {
        return advise(a, traffic, Line.NONE);
    }

    /**
     * @param line what the user told about the line (its port set) and the configs' ListenPorts
     */
    public static Advice advise(Analysis a, List<Traffic> traffic, Line line) {
        Index index = Index.of(a);
        if (a.tunnels().size() > MANY_TUNNELS) {
            // computed when a report asks for it, never all kept: memory stays linear in tunnels, small per tunnel
            AdviceList lazy = new AdviceList(a, i -> tunnel(a, index, a.tunnels().get(i), traffic, line));
            // the verdict reads only the MTU recommendations: made alone (mtu() depends on nothing else), once per tunnel
            AdviceList mtuOnly = new AdviceList(a, i -> {
                Tunnel t = a.tunnels().get(i);
                List<Recommendation> recs = new ArrayList<>(0);
                mtu(a, index, t, traffic, recs);
                return new TunnelAdvice(t.id(), recs, List.of());
            });
            return new Advice(verdict(a, mtuOnly), lazy);
        }
        List<TunnelAdvice> out = new ArrayList<>();
        for (Tunnel t : a.tunnels()) out.add(tunnel(a, index, t, traffic, line));
        return new Advice(verdict(a, out), out);
    }

    // ---------------------------------------------------------------- verdict

    static Verdict verdict(Analysis a) {
        return verdict(a, List.of());
    }

    /**
     * The verdict: the most important problem first ({@link Problem} order; packets too big for the path
     * explain the loss they cause), each with its counts and figures; with no problem, what was tested.
     */
    static Verdict verdict(Analysis a, List<TunnelAdvice> advice) {
        if (a.tunnels().isEmpty()) {
            return new Verdict(false, new Verdict.NoTunnel());
        }
        List<Finding> problems = new ArrayList<>();
        advice.stream().flatMap(t -> t.recommendations().stream()).filter(r -> r.setting() == Attribute.MTU).findFirst()
                .ifPresent(r -> problems.add(new Finding.PacketsTooBig(r.confidence() == Confidence.HIGH, r.value())));
        int handshakes = 0;
        // One NAT shared by several clients is one problem: counted once, with its pooled bracket.
        Map<SharedNat, long[]> sharedExpiries = new LinkedHashMap<>();
        Index index = Index.of(a);
        for (Tunnel t : a.tunnels()) {
            handshakes += t.handshakes().size();
            long unanswered = t.handshakes().stream().filter(h -> !h.responded()).count();
            long given = t.handshakes().stream().filter(Handshake::gaveUp).count();
            long rebind = t.endpointChanges().stream().filter(c -> c.kind() == ChangeKind.NAT_REBINDING).count();
            long expired = t.idleGaps().stream().filter(g -> g.outcome() == GapOutcome.EXPIRED).count();
            long swaps = t.initiatorSwaps().stream().filter(w -> w.cause() == SwapCause.NO_REPLY_AFTER_DATA).count();
            long dead = a.join() == null ? 0 : a.join().deadMappings().size();
            SharedNat shared = index.nats().get(t.id());
            if ((expired > 0 || rebind > 0 || dead > 0) && shared != null) {
                sharedExpiries.computeIfAbsent(shared, x -> new long[1])[0] += Math.max(Math.max(rebind, expired), dead);
            } else if (expired > 0 || rebind > 0 || dead > 0) {
                problems.add(new Finding.MappingExpired(ref(t, natPeer(t)), silence(t.natMappingTimeout(), minExpiredIdle(t)),
                        Math.max(Math.max(rebind, expired), dead)));
            }
            if (given > 0) {
                problems.add(new Finding.HandshakesGivenUp(given));
            } else if (unanswered > 0) {
                problems.add(new Finding.HandshakesUnanswered(unanswered));
            }
            if (swaps > 0) {
                PeerRef who = ref(t, t.initiatorSwaps().stream().filter(w -> w.cause() == SwapCause.NO_REPLY_AFTER_DATA)
                        .findFirst().orElseThrow().newInitiator());
                problems.add(new Finding.InitiatorSwapped(who, swaps));
            }
            for (Loss l : t.lossTotals()) {
                if (l.percent() > LOSS_UNSTABLE_PERCENT) {
                    problems.add(new Finding.Loss(l.percent(), ref(t, l.from()), ref(t, l.to())));
                }
            }
        }
        sharedExpiries.forEach((n, times) -> problems.add(new Finding.SharedMappingExpired(refs(index, n), n.address(),
                silence(n.mappingTimeout(), 0), times[0])));
        Verdict.Holes holes = holes(a);
        if (!problems.isEmpty()) {
            List<Finding> sorted = new ArrayList<>(problems);
            sorted.sort(java.util.Comparator.comparing(Finding::problem)); // stable: tunnels keep their order within a kind
            List<Verdict.Item> items = a.tunnels().size() > MANY_TUNNELS ? firstOfEachKind(sorted)
                    : sorted.stream().map(f -> new Verdict.Item(f, 0)).toList();
            return new Verdict(false, new Verdict.Unstable(items, holes), items.stream().map(i -> i.finding().problem()).toList());
        }
        boolean tested = a.tunnels().stream().anyMatch(t -> t.natMappingTimeout().observed());
        return new Verdict(true, new Verdict.Stable(handshakes, a.summary().observedSeconds(), holes, tested));
    }

    /** Many tunnels: each kind of problem once (its first finding), with how many more of the kind there are. */
    private static List<Verdict.Item> firstOfEachKind(List<Finding> sorted) {
        List<Verdict.Item> out = new ArrayList<>();
        for (int i = 0; i < sorted.size(); ) {
            int j = i;
            while (j < sorted.size() && sorted.get(j).problem() == sorted.get(i).problem()) j++;
            out.add(new Verdict.Item(sorted.get(i), j - i - 1));
            i = j;
        }
        return out;
    }

    /**
     * How bad one tunnel is, for ranking many tunnels: its problems (the verdict's rules, most important first),
     * how many findings, and its worst one-way loss.
     */
    public record Severity(List<Problem> problems, long findings, double worstLossPercent) implements Comparable<Severity> {
        /** Worse first: the most important problem, then more findings, then more loss; none last. */
        @Override
        public int compareTo(Severity o) {
            if (problems.isEmpty() != o.problems.isEmpty()) return problems.isEmpty() ? 1 : -1;
            if (!problems.isEmpty() && problems.get(0) != o.problems.get(0)) return problems.get(0).compareTo(o.problems.get(0));
            if (findings != o.findings) return Long.compare(o.findings, findings);
            return Double.compare(o.worstLossPercent, worstLossPercent);
        }
    }

    /** The severity of one tunnel of an analysis (per-tunnel rules of {@link #verdict}; MTU needs the traffic, not counted). */
    public static Severity severity(Analysis a, Tunnel t) {
        java.util.EnumMap<Problem, Long> found = new java.util.EnumMap<>(Problem.class);
        long rebind = t.endpointChanges().stream().filter(c -> c.kind() == ChangeKind.NAT_REBINDING).count();
        long expired = t.idleGaps().stream().filter(g -> g.outcome() == GapOutcome.EXPIRED).count();
        long dead = a.join() == null ? 0 : a.join().deadMappings().size();
        long mapping = Math.max(Math.max(rebind, expired), dead);
        if (mapping > 0) found.put(Problem.MAPPING_EXPIRED, mapping);
        long unanswered = t.handshakes().stream().filter(h -> !h.responded()).count();
        if (unanswered > 0) found.put(Problem.HANDSHAKES_UNANSWERED, unanswered);
        long swaps = t.initiatorSwaps().stream().filter(w -> w.cause() == SwapCause.NO_REPLY_AFTER_DATA).count();
        if (swaps > 0) found.put(Problem.INITIATOR_SWAPPED, swaps);
        double worst = 0;
        for (Loss l : t.lossTotals()) {
            worst = Math.max(worst, l.percent());
            if (l.percent() > LOSS_UNSTABLE_PERCENT) found.merge(Problem.LOSS, 1L, Long::sum);
        }
        long findings = 0;
        for (long n : found.values()) findings += n;
        return new Severity(List.copyOf(found.keySet()), findings, worst);
    }

    /** The clients behind a shared NAT, named as their tunnels name them. */
    private static List<PeerRef> refs(Index index, SharedNat n) {
        List<PeerRef> out = new ArrayList<>();
        for (int i = 0; i < n.peers().size(); i++) {
            String tunnel = n.tunnels().get(i), peer = n.peers().get(i);
            Tunnel t = index.tunnels().get(tunnel);
            out.add(t == null ? new PeerRef(peer, null) : ref(t, peer));
        }
        return out;
    }

    /** The capture's holes: how many, and the longest. */
    private static Verdict.Holes holes(Analysis a) {
        List<dev.wgdiag.timeline.Hole> holes = a.summary().holes();
        double longest = holes.stream().mapToDouble(dev.wgdiag.timeline.Hole::seconds).max().orElse(0);
        return new Verdict.Holes(holes.size(), longest);
    }

    /** When the NAT forgot: its bracket when an expiry bounds it, else the shortest expired idle gap ({@code idle}). */
    private static Finding.Silence silence(MappingTimeout m, double idle) {
        if (m != null && m.observed() && m.upperSeconds() != null) {
            return new Finding.Silence(m.lowerSeconds() != null && m.lowerSeconds() > 0 ? m.lowerSeconds() : null, m.upperSeconds(), idle);
        }
        return new Finding.Silence(null, null, idle);
    }

    private static double minExpiredIdle(Tunnel t) {
        return t.idleGaps().stream().filter(g -> g.outcome() == GapOutcome.EXPIRED)
                .mapToDouble(IdleGap::idleOutboundSeconds).min().orElse(0);
    }

    // ---------------------------------------------------------------- per tunnel

    /** Tunnels by id and the shared NAT of each, looked up once per analysis: linear in tunnels, not quadratic. */
    private record Index(Map<String, Tunnel> tunnels, Map<String, SharedNat> nats, Map<Traffic, java.util.Set<Endpoint>> flowEndpoints) {
        /** Whether a flow the traffic counted has one of these endpoints (flows are bounded; tunnels are not). */
        boolean counted(Traffic tr, List<Endpoint> endpoints) {
            java.util.Set<Endpoint> seen = flowEndpoints.computeIfAbsent(tr, x -> {
                java.util.Set<Endpoint> all = new java.util.HashSet<>();
                for (Traffic.Flow f : x.flows()) {
                    all.add(f.a());
                    all.add(f.b());
                }
                return all;
            });
            for (Endpoint e : endpoints) {
                if (seen.contains(e)) return true;
            }
            return false;
        }

        static Index of(Analysis a) {
            Map<String, Tunnel> tunnels = new java.util.HashMap<>();
            for (Tunnel t : a.tunnels()) tunnels.putIfAbsent(t.id(), t);
            Map<String, SharedNat> nats = new java.util.HashMap<>();
            for (SharedNat n : a.sharedNats()) {
                for (String id : n.tunnels()) nats.putIfAbsent(id, n);   // the first that names it, as Analysis.sharedNatOf
            }
            return new Index(tunnels, nats, java.util.Collections.synchronizedMap(new java.util.IdentityHashMap<>()));   // report threads share it
        }
    }

    private static TunnelAdvice tunnel(Analysis a, Index index, Tunnel t, List<Traffic> traffic, Line line) {
        List<Recommendation> recs = new ArrayList<>();
        List<Note> notes = new ArrayList<>();
        String nat = natPeer(t);
        String other = nat == null ? null : otherPeer(t, nat);
        List<Cited> natEvidence = natEvidence(a, t, nat);
        SharedNat shared = index.nats().get(t.id());
        if (shared != null) natEvidence.addAll(neighbourEvidence(index, t, shared));
        keepalive(a, t, nat, other, natEvidence, shared, recs, notes);
        listenPort(a, t, nat, line, recs);
        listenPortOutsideSet(t, line, recs);
        mtu(a, index, t, traffic, recs);
        ipv6(a, t, nat, other, recs);
        return new TunnelAdvice(t.id(), recs, notes);
    }

    /** The peer behind the NAT: the one the mapping-timeout analysis names, else the one with role NAT_CLIENT. */
    static String natPeer(Tunnel t) {
        if (t.natMappingTimeout() != null && t.natMappingTimeout().peer() != null) return t.natMappingTimeout().peer();
        for (Peer p : t.peers()) {
            if (p.role() == dev.wgdiag.timeline.Role.NAT_CLIENT) return p.id();
        }
        return null;
    }

    private static String otherPeer(Tunnel t, String id) {
        for (Peer p : t.peers()) {
            if (!p.id().equals(id)) return p.id();
        }
        return null;
    }

    private static Peer peer(Tunnel t, String id) {
        for (Peer p : t.peers()) {
            if (p.id().equals(id)) return p;
        }
        return null;
    }

    /** The peer {@code id} of a tunnel, with the name the keys gave it (none when the tunnel has no such peer). */
    static PeerRef ref(Tunnel t, String id) {
        Peer p = id == null ? null : peer(t, id);
        return new PeerRef(id, p == null ? null : p.name());
    }

    /** What in the capture shows a NAT or stateful firewall in front of {@code nat}. */
    static List<Cited> natEvidence(Analysis a, Tunnel t, String nat) {
        List<Cited> ev = new ArrayList<>();
        if (nat == null) return ev;
        PeerRef who = ref(t, nat);
        for (EndpointChange c : t.endpointChanges()) {
            if (c.kind() == ChangeKind.NAT_REBINDING) {
                ev.add(new Cited(c.time(), new Fact.Rebound(who, c.from(), c.to(), c.idleSeconds())));
            }
        }
        for (IdleGap g : t.idleGaps()) {
            if (g.outcome() == GapOutcome.EXPIRED && g.peer().equals(nat)) {
                ev.add(new Cited(g.end(), new Fact.MappingLost(who, g.idleOutboundSeconds(), g.packetsIntoGap())));
            }
        }
        MappingTimeout m = t.natMappingTimeout();
        if (ev.isEmpty() && m != null && m.observed()) {
            for (Evidence e : m.evidence()) {
                if (e.outcome() == GapOutcome.EXPIRED) ev.add(new Cited(e.time(), new Fact.MappingExpired(who, e.detail())));
            }
        }
        Peer p = peer(t, nat);
        Set<Endpoint> mine = p == null ? Set.of() : new LinkedHashSet<>(p.endpoints());
        if (a.join() != null) {
            for (CaptureJoin.Translation tr : a.join().translations()) {
                if (mine.contains(tr.outside()) || mine.contains(tr.inside())) ev.add(cited(tr));
            }
            for (CaptureJoin.DeadMapping d : a.join().deadMappings()) {
                if (mine.contains(d.to())) ev.add(new Cited(d.time(), new Fact.DeadMapping(d.detail())));
            }
        }
        if (ev.isEmpty() && p != null) {
            Peer o = peer(t, otherPeer(t, nat));
            for (Endpoint e : p.endpoints()) {
                if (e.isPrivate() && o != null && o.endpoints().stream().anyMatch(x -> !x.isPrivate())) {
                    ev.add(new Cited(null, new Fact.PrivateAddress(who, e)));
                    break;
                }
            }
        }
        return ev;
    }

    /** What the other clients on the same public address show of the NAT they share with this tunnel's client. */
    private static List<Cited> neighbourEvidence(Index index, Tunnel t, SharedNat shared) {
        List<Cited> ev = new ArrayList<>();
        for (String id : shared.tunnels()) {                   // in the NAT's order, which is the analysis' order
            Tunnel o = index.tunnels().get(id);
            if (o == null || o.id().equals(t.id())) continue;
            PeerRef who = ref(o, o.natMappingTimeout().peer());
            for (EndpointChange c : o.endpointChanges()) {
                if (c.kind() == ChangeKind.NAT_REBINDING && c.peer().equals(o.natMappingTimeout().peer())) {
                    ev.add(new Cited(c.time(), new Fact.NeighbourRebound(who, shared.address(), c.from(), c.to(), c.idleSeconds())));
                }
            }
        }
        return ev;
    }

    private static void keepalive(Analysis a, Tunnel t, String nat, String other, List<Cited> natEvidence, SharedNat shared,
                                  List<Recommendation> recs, List<Note> notes) {
        Double sending = nat == null ? null : t.persistentKeepaliveSeconds().get(nat);
        if (nat != null && natEvidence.isEmpty() && sending != null) {
            MappingTimeout m = t.natMappingTimeout();
            notes.add(new Note.KeepaliveKept(ref(t, nat), sending,
                    m != null && m.observed() && m.lowerSeconds() != null && m.lowerSeconds() > 0 ? m.lowerSeconds() : null));
            return;
        }
        if (nat == null || natEvidence.isEmpty()) {
            MappingTimeout own = t.natMappingTimeout();
            boolean testedLong = own != null && own.observed() && own.lowerSeconds() != null && own.lowerSeconds() >= LONG_IDLE_SECONDS;
            notes.add(new Note.KeepaliveNotNeeded(testedLong ? own.lowerSeconds() : null));
            return;
        }
        // One NAT applies one timer to all its mappings (RFC 4787 REQ-1/REQ-5): a shared NAT's pooled bracket bounds it best.
        boolean pooled = shared != null && shared.mappingTimeout().observed();
        MappingTimeout m = pooled ? shared.mappingTimeout() : t.natMappingTimeout();
        boolean bracketUsable = m != null && m.observed() && m.refreshModel() != RefreshModel.CONTRADICTORY;
        // nat-behaviour.md pitfall: a port-preserving NAT hands back the same port after expiry, which looks
        // like survival; when the join shows the NAT keeping the inside port, survivals prove nothing.
        CaptureJoin.Translation preserving = portPreservation(a, t, nat);
        Double lower = bracketUsable && preserving == null && m.lowerSeconds() != null && m.lowerSeconds() > 0 ? m.lowerSeconds() : null;
        Double upper = bracketUsable ? m.upperSeconds() : null;
        int k = FIELD_KEEPALIVE_SECONDS;
        // Below a proven lifetime L, K = 80 % of L is safe whatever the upper bound. With only an upper
        // bound U the timeout may lie anywhere in (0, U]: half of U, with low confidence (a lab NAT of 15 s
        // found dead within 20 s shows why 80 % of U is not safe).
        // A short survival alone bounds nothing useful: with no expiry anywhere the timeout may be minutes, and
        // 80 % of a 5 s pause would be a wasteful keepalive. It sets K only once an expiry shows the NAT forgets.
        boolean expirySeen = upper != null || expirySeen(a, t, nat, shared);
        boolean shortSurvivalOnly = lower != null && !expirySeen && MARGIN * lower < FIELD_KEEPALIVE_SECONDS;
        if (lower != null && !shortSurvivalOnly) k = Math.min(k, (int) Math.floor(MARGIN * lower));
        else if (upper != null) k = Math.min(k, (int) Math.floor(upper / 2));
        k = Math.max(1, k);
        Confidence c;
        if (lower != null && upper != null && upper <= 2 * lower
                && (m.refreshModel() == RefreshModel.OUTBOUND_ONLY || m.refreshModel() == RefreshModel.EITHER)) {
            c = Confidence.HIGH;
        } else if (lower != null && !shortSurvivalOnly) {
            c = Confidence.MEDIUM;
        } else {
            c = Confidence.LOW;
        }
        Double inUse = t.persistentKeepaliveSeconds().get(nat);
        List<Cited> ev = new ArrayList<>(natEvidence);
        if (bracketUsable) {
            for (Evidence e : m.evidence()) ev.add(new Cited(e.time(), new Fact.Seen(e.detail())));
        }
        PeerRef who = ref(t, nat);
        Lifetime bracket = m == null || (lower == null && upper == null) ? null : new Lifetime(m.refreshModel(), lower, upper);
        NatOf natOf = pooled ? new NatOf(who, neighbours(t, shared), shared.address()) : new NatOf(who, List.of(), null);
        if (inUse != null && inUse <= k + 0.5) {
            notes.add(new Note.KeepaliveWithin(who, inUse, k, natOf, bracket));
            return;
        }
        if (inUse != null && lower != null && inUse <= lower + PROVEN_SLACK) {
            // The mapping lived through pauses as long as the interval in use: that interval is proven, not guessed.
            notes.add(new Note.KeepaliveProven(who, inUse, natOf, bracket));
            return;
        }
        Why why;
        if (lower == null && upper == null && preserving != null) {
            why = new Why.PortKept(who, translated(preserving), k, inUse);
        } else if (lower == null && upper == null) {
            why = new Why.NoBound(who, m != null && m.refreshModel() == RefreshModel.CONTRADICTORY, k, inUse);
        } else if (shortSurvivalOnly) {
            why = new Why.ShortSurvivalOnly(natOf, bracket, k, inUse);
        } else if (lower == null) {
            why = new Why.UpperOnly(natOf, bracket, k, inUse);
        } else {
            why = new Why.Bracketed(natOf, bracket, k, inUse);
        }
        boolean v6 = peer(t, nat) != null && peer(t, nat).endpoints().stream().anyMatch(e -> e.version() == 6);
        Cost cost = new Cost(k, v6 ? 6 : 4);
        recs.add(new Recommendation(Attribute.PERSISTENT_KEEPALIVE, nat, Integer.toString(k), why, c, ev,
                ConfigPlace.peerSection(who, ref(t, other)), cost));
    }

    /** A NAT forgetting a mapping somewhere: an expired gap or a rebinding of the peer, a dead mapping, or its shared NAT's. */
    private static boolean expirySeen(Analysis a, Tunnel t, String nat, SharedNat shared) {
        if (t.natMappingTimeout() != null && t.natMappingTimeout().expiredGaps() > 0) return true;
        if (shared != null && shared.mappingTimeout().expiredGaps() > 0) return true;
        for (EndpointChange c : t.endpointChanges()) {
            if (c.kind() == ChangeKind.NAT_REBINDING && c.peer().equals(nat)) return true;
        }
        Peer p = peer(t, nat);
        if (a.join() != null && p != null) {
            for (CaptureJoin.DeadMapping d : a.join().deadMappings()) if (p.endpoints().contains(d.to())) return true;
        }
        return false;
    }

    /** The other clients behind a shared NAT, as their ids. */
    private static List<String> neighbours(Tunnel t, SharedNat shared) {
        List<String> out = new ArrayList<>();
        for (String p : shared.peers()) {
            if (!p.equals(t.natMappingTimeout().peer())) out.add(p);
        }
        return out;
    }

    /** A join's translation of the NAT-side peer's endpoint that kept the port (inside port = outside port), or null. */
    private static CaptureJoin.Translation portPreservation(Analysis a, Tunnel t, String nat) {
        Peer p = nat == null ? null : peer(t, nat);
        if (a.join() == null || p == null) return null;
        for (CaptureJoin.Translation tr : a.join().translations()) {
            boolean mine = p.endpoints().contains(tr.outside()) || p.endpoints().contains(tr.inside());
            if (mine && tr.inside().port() == tr.outside().port()) return tr;
        }
        return null;
    }

    private static Fact.Translated translated(CaptureJoin.Translation tr) {
        return new Fact.Translated(tr.inside(), tr.outside());
    }

    private static Cited cited(CaptureJoin.Translation tr) {
        return new Cited(tr.time(), translated(tr));
    }

    /** The NAT-side peer's own source port changed: from the join's translations or an inside capture. */
    private static void listenPort(Analysis a, Tunnel t, String nat, Line line, List<Recommendation> recs) {
        if (nat == null) return;
        List<Cited> ev = new ArrayList<>();
        PeerRef who = ref(t, nat);
        Peer p = peer(t, nat);
        if (a.join() != null) {
            Map<String, List<CaptureJoin.Translation>> byAddress = new LinkedHashMap<>();
            for (CaptureJoin.Translation tr : a.join().translations()) {
                if (p != null && !p.endpoints().contains(tr.outside()) && !p.endpoints().contains(tr.inside())) continue;
                byAddress.computeIfAbsent(tr.inside().address(), x -> new ArrayList<>()).add(tr);
            }
            for (List<CaptureJoin.Translation> trs : byAddress.values()) {
                Set<Endpoint> ports = new LinkedHashSet<>();
                for (CaptureJoin.Translation tr : trs) ports.add(tr.inside());
                if (ports.size() > 1) {
                    for (CaptureJoin.Translation tr : trs) {
                        ev.add(new Cited(tr.time(), new Fact.InsidePort(who, tr.inside(), tr.outside())));
                    }
                }
            }
            if (a.tunnels().size() == 1) {
                for (Analysis pc : a.join().perCapture()) insideChanges(pc, ev);
            }
        }
        if (t.natMappingTimeout() != null && t.natMappingTimeout().viewpoint() == Viewpoint.INSIDE) {
            for (EndpointChange c : t.endpointChanges()) {
                if (c.kind() == ChangeKind.NAT_REBINDING && c.peer().equals(nat)) {
                    ev.add(new Cited(c.time(), new Fact.OwnPortChanged(who, c.from(), c.to())));
                }
            }
        }
        if (ev.isEmpty()) return;
        int port;
        String portsFrom;
        if (line.ports() != null) {
            port = line.ports().preferred(Protocol.CONVENTIONAL_PORT);
            portsFrom = line.portsFrom();
            ev.add(new Cited(null, new Fact.LinePorts(line.ports(), line.portsFrom())));
        } else {
            port = Protocol.CONVENTIONAL_PORT;
            portsFrom = null;
        }
        recs.add(new Recommendation(Attribute.LISTEN_PORT, nat, Integer.toString(port), new Why.NewSourcePort(who, port, line.ports() != null, portsFrom),
                Confidence.MEDIUM, ev, ConfigPlace.iface(who), null));
    }

    /**
     * A configured ListenPort outside the line's port set, of a peer the capture shows behind a NAT (the
     * line's): a MAP-E or MAP-T CE (RFC 7597 section 5.1) only
     * translates the ports of its set, and a port-block CGNAT only forwards its block, so nothing from
     * outside reaches that port. One ListenPort recommendation per peer: an earlier one is replaced.
     */
    private static void listenPortOutsideSet(Tunnel t, Line line, List<Recommendation> recs) {
        if (line.ports() == null) return;
        for (Line.ConfiguredPort c : line.configured()) {
            if (line.ports().contains(c.port())) continue;
            // The line's NAT is in front of a peer the capture shows behind a NAT (a MAP CE translates); a
            // counterpart on a public address (a VPS) is on another line.
            Peer p = t.peers().stream().filter(x -> c.peerName().equals(x.name()) && !x.natEvidence().isEmpty()).findFirst().orElse(null);
            if (p == null) continue;
            int port = line.ports().preferred(Protocol.CONVENTIONAL_PORT);
            PeerRef who = ref(t, p.id());
            List<Cited> ev = List.of(new Cited(null, new Fact.ConfiguredPort(c.where(), c.port())),
                    new Cited(null, new Fact.LinePorts(line.ports(), line.portsFrom())));
            recs.removeIf(r -> r.setting() == Attribute.LISTEN_PORT && r.peer().equals(p.id()));
            recs.add(new Recommendation(Attribute.LISTEN_PORT, p.id(), Integer.toString(port),
                    new Why.OutsidePortSet(who, c.port(), line.portsFrom(), port), Confidence.HIGH, ev,
                    ConfigPlace.ifaceOf(c.where(), who), null));
        }
    }

    private static void insideChanges(Analysis pc, List<Cited> ev) {
        for (Tunnel t : pc.tunnels()) {
            if (t.natMappingTimeout() == null || t.natMappingTimeout().viewpoint() != Viewpoint.INSIDE) continue;
            for (EndpointChange c : t.endpointChanges()) {
                if (c.kind() == ChangeKind.NAT_REBINDING && c.peer().equals(t.natMappingTimeout().peer())) {
                    Fact cited = new Fact.InsideCapturePort(c.from(), c.to(), pc.summary().captures());
                    if (ev.stream().noneMatch(x -> x.what().equals(cited))) ev.add(new Cited(c.time(), cited));
                }
            }
        }
    }

    /**
     * The tunnel MTU is too large for the path. Best evidence: ICMP "fragmentation needed" / ICMPv6
     * "packet too big" (RFC 1191, RFC 8201) names the path MTU, and the tunnel MTU that fits is that
     * minus the outer headers: 20 IPv4 (40 IPv6) + 8 UDP + 32 WireGuard (16 header, 16 tag; whitepaper
     * 5.4.6). Without it, WireGuard datagrams that arrived as IP fragments show the problem but not
     * the size: then the largest size seen crossing whole bounds it.
     */
    private static void mtu(Analysis a, Index index, Tunnel t, List<Traffic> traffic, List<Recommendation> recs) {
        if (t.peers().size() < 2 || traffic.isEmpty()) return;
        // A capture inside the NAT sees the client's inside endpoint: the join's translations say whose it is.
        List<Endpoint> first = new ArrayList<>(t.peers().get(0).endpoints());
        List<Endpoint> second = new ArrayList<>(t.peers().get(1).endpoints());
        if (a.join() != null) {
            for (CaptureJoin.Translation tr : a.join().translations()) {
                if (first.contains(tr.outside()) && !first.contains(tr.inside())) first.add(tr.inside());
                if (second.contains(tr.outside()) && !second.contains(tr.inside())) second.add(tr.inside());
            }
        }
        List<Cited> ev = new ArrayList<>();
        int largestOk = 0, smallestFrag = Integer.MAX_VALUE, fitting = Integer.MAX_VALUE;
        for (Traffic tr : traffic) {
            if (!index.counted(tr, first) || !index.counted(tr, second)) continue;   // no flow of this tunnel counted
            for (Traffic.Flow f : tr.between(first, second)) {
                Traffic.TooBig tb = f.tooBig();
                if (tb != null && tb.count() > 0 && tb.pathMtu() > 0) {
                    int overhead = (f.ipVersion() == 4 ? 20 : 40) + 8 + Protocol.MESSAGE_TRANSPORT_SIZE;
                    fitting = Math.min(fitting, tb.pathMtu() - overhead);
                    ev.add(new Cited(Timestamp.of(tb.firstNanos(), 6), new Fact.TooBig(tb.count(), f.ipVersion(), tb.reporter(),
                            tb.datagram(), f.a(), f.b(), tb.pathMtu())));
                }
                if (f.reassembled() == 0) continue;
                ev.add(new Cited(null, new Fact.Fragmented(f.reassembled(), f.a(), f.b(), f.largestReassembled(), f.largestUnfragmented())));
                largestOk = Math.max(largestOk, f.largestUnfragmented());
                smallestFrag = Math.min(smallestFrag, f.largestReassembled());
            }
        }
        if (ev.isEmpty()) return;
        int mtu;
        Confidence confidence;
        Why why;
        if (fitting != Integer.MAX_VALUE) {
            mtu = fitting;
            confidence = Confidence.HIGH;
            why = new Why.PathMtuReported(mtu);
        } else {
            // Inner packet n becomes a UDP payload of pad16(n) + 32 (whitepaper 5.4.6): the largest inner size that
            // passed whole is (largest unfragmented payload - 32) rounded down to 16; never below IPv6's 1280.
            mtu = Math.max(MIN_IPV6_MTU, ((largestOk - Protocol.MESSAGE_TRANSPORT_SIZE) / 16) * 16);
            if (mtu + Protocol.MESSAGE_TRANSPORT_SIZE >= smallestFrag) mtu = MIN_IPV6_MTU;
            confidence = Confidence.MEDIUM;
            why = new Why.Fragmented(mtu);
        }
        for (Peer p : t.peers()) {
            recs.add(new Recommendation(Attribute.MTU, p.id(), Integer.toString(mtu), why, confidence, ev, ConfigPlace.iface(ref(t, p.id())), null));
        }
    }

    /** IPv4 mapping rebinds and the other peer's port answers on IPv6 too: prefer IPv6 (no NAT there, usually). */
    private static void ipv6(Analysis a, Tunnel t, String nat, String other, List<Recommendation> recs) {
        if (nat == null || other == null) return;
        List<Cited> rebinds = new ArrayList<>();
        for (EndpointChange c : t.endpointChanges()) {
            if (c.kind() == ChangeKind.NAT_REBINDING && c.peer().equals(nat) && c.to().version() == 4) {
                rebinds.add(new Cited(c.time(), new Fact.RebindsOverIpv4(ref(t, nat), c.from(), c.to())));
            }
        }
        Peer o = peer(t, other);
        if (rebinds.isEmpty() || o == null) return;
        Set<Integer> ports = new LinkedHashSet<>();
        for (Endpoint e : o.endpoints()) {
            if (e.version() == 4) ports.add(e.port());
        }
        Endpoint v6 = null;
        for (Endpoint e : a.summary().endpoints()) {
            if (e.version() == 6 && ports.contains(e.port()) && !e.isPrivate()) {
                v6 = e;
                break;
            }
        }
        if (v6 == null) return;
        List<Cited> ev = new ArrayList<>(rebinds);
        ev.add(new Cited(null, new Fact.AlsoOverIpv6(v6, ref(t, other))));
        recs.add(new Recommendation(Attribute.ENDPOINT, nat, v6.toString(), new Why.OverIpv6(v6, ref(t, other)), Confidence.LOW, ev,
                ConfigPlace.peerSection(ref(t, nat), ref(t, other)), null));
    }
}
