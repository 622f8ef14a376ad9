package dev.wgdiag.advice;

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
import java.util.Locale;
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

    /** One problem of the verdict and its words. */
    private record Found(Problem kind, String words) {
    }

    /**
     * The verdict in words a phone user reads: the most important problem first ({@link Problem} order;
     * packets too big for the path explain the loss they cause), counts in agreement with their nouns,
     * and no "0 of 0": a capture without handshakes says so.
     */
    static Verdict verdict(Analysis a, List<TunnelAdvice> advice) {
        if (a.tunnels().isEmpty()) {
            return new Verdict(false, "No WireGuard tunnel in the capture, so nothing to judge.");
        }
        List<Found> problems = new ArrayList<>();
        advice.stream().flatMap(t -> t.recommendations().stream()).filter(r -> r.setting().equals("MTU")).findFirst()
                .ifPresent(r -> problems.add(new Found(Problem.PACKETS_TOO_BIG, "full-size tunnel packets do not fit the path (they were "
                        + (r.confidence() == Confidence.HIGH ? "refused by a router and fragmented" : "fragmented")
                        + "; MTU " + r.value() + " fits)")));
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
                problems.add(new Found(Problem.MAPPING_EXPIRED, "the NAT in front of " + label(t, natPeer(t)) + " forgot the tunnel "
                        + whenForgotten(t) + " (" + times(Math.max(Math.max(rebind, expired), dead)) + ")"));
            }
            if (given > 0) {
                problems.add(new Found(Problem.HANDSHAKES_UNANSWERED, count(given, "handshake") + " got no answer and "
                        + (given == 1 ? "was" : "were") + " given up"));
            } else if (unanswered > 0) {
                problems.add(new Found(Problem.HANDSHAKES_UNANSWERED, count(unanswered, "handshake") + " got no answer"));
            }
            if (swaps > 0) {
                String who = label(t, t.initiatorSwaps().stream().filter(w -> w.cause() == SwapCause.NO_REPLY_AFTER_DATA)
                        .findFirst().orElseThrow().newInitiator());
                problems.add(new Found(Problem.INITIATOR_SWAPPED, who + " heard nothing back and had to start a new handshake ("
                        + times(swaps) + ")"));
            }
            for (Loss l : t.lossTotals()) {
                if (l.percent() > LOSS_UNSTABLE_PERCENT) {
                    problems.add(new Found(Problem.LOSS, fmt(l.percent()) + " % of the packets from " + label(t, l.from()) + " to "
                            + label(t, l.to()) + " were lost"));
                }
            }
        }
        sharedExpiries.forEach((n, times) -> problems.add(new Found(Problem.MAPPING_EXPIRED, "the NAT that "
                + and(labels(index, n)) + " share at " + n.address() + " forgot their tunnels " + whenForgotten(n.mappingTimeout(), 0) + " (" + times(times[0]) + ")")));
        if (!problems.isEmpty()) {
            List<Found> sorted = new ArrayList<>(problems);
            sorted.sort(java.util.Comparator.comparing(Found::kind)); // stable: tunnels keep their order within a kind
            if (a.tunnels().size() > MANY_TUNNELS) sorted = firstOfEachKind(sorted);
            List<String> words = sorted.stream().map(Found::words).toList();
            String first = words.get(0);
            String rest = words.size() == 1 ? "" : words.size() == 2 ? "; also " + words.get(1)
                    : "; also " + String.join(", ", words.subList(1, words.size() - 1)) + " and " + words.get(words.size() - 1);
            return new Verdict(false, "Unstable: " + first + rest + "." + holeNote(a), sorted.stream().map(Found::kind).toList());
        }
        double d = a.summary().observedSeconds();
        boolean tested = a.tunnels().stream().anyMatch(t -> t.natMappingTimeout().observed());
        String hs = handshakes == 0 ? "no handshake in the capture (it began after the tunnel was up)"
                : handshakes == 1 ? "the handshake was answered" : "all " + handshakes + " handshakes were answered";
        int holes = a.summary().holes().size();
        return new Verdict(true, "Stable: " + hs + "; no endpoint change, no expired mapping and no loss over " + fmt(d) + " s"
                + (holes == 0 ? "" : " of capture (not counting " + (holes == 1 ? "its hole" : "its " + holes + " holes") + ")")
                + (tested ? "." : ", but the tunnel was never idle long enough to test the NAT.") + holeNote(a));
    }

    /** Many tunnels: each kind of problem once (its first finding), with how many more of the kind there are. */
    private static List<Found> firstOfEachKind(List<Found> sorted) {
        List<Found> out = new ArrayList<>();
        for (int i = 0; i < sorted.size(); ) {
            int j = i;
            while (j < sorted.size() && sorted.get(j).kind() == sorted.get(i).kind()) j++;
            int more = j - i - 1;
            out.add(more == 0 ? sorted.get(i) : new Found(sorted.get(i).kind(), sorted.get(i).words() + " (and " + more + " more "
                    + (more == 1 ? "finding" : "findings") + " of this kind in other tunnels)"));
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
    private static List<String> labels(Index index, SharedNat n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n.peers().size(); i++) {
            String tunnel = n.tunnels().get(i), peer = n.peers().get(i);
            Tunnel t = index.tunnels().get(tunnel);
            out.add(t == null ? peer : label(t, peer));
        }
        return out;
    }

    /** "a", "a and b", "a, b and c". */
    private static String and(List<String> items) {
        if (items.size() <= 1) return String.join("", items);
        return String.join(", ", items.subList(0, items.size() - 1)) + " and " + items.get(items.size() - 1);
    }

    /** " The capture has a hole ...", or "" without holes. */
    private static String holeNote(Analysis a) {
        List<dev.wgdiag.timeline.Hole> holes = a.summary().holes();
        if (holes.isEmpty()) return "";
        double longest = holes.stream().mapToDouble(dev.wgdiag.timeline.Hole::seconds).max().orElse(0);
        return " The capture has " + (holes.size() == 1 ? "a hole" : holes.size() + " holes") + " (nothing for "
                + (holes.size() == 1 ? "" : "up to ") + duration(longest) + "): the parts around "
                + (holes.size() == 1 ? "it" : "them") + " are judged separately.";
    }

    /** "after 10 to 20 s of silence", "within 20 s of silence", or "during 48 s of silence". */
    private static String whenForgotten(Tunnel t) {
        return whenForgotten(t.natMappingTimeout(), minExpiredIdle(t));
    }

    private static String whenForgotten(MappingTimeout m, double idle) {
        if (m != null && m.observed() && m.upperSeconds() != null) {
            return m.lowerSeconds() != null && m.lowerSeconds() > 0
                    ? "after " + fmt(m.lowerSeconds()) + " to " + fmt(m.upperSeconds()) + " s of silence"
                    : "within " + fmt(m.upperSeconds()) + " s of silence";
        }
        return idle > 0 ? "during " + fmt(idle) + " s of silence" : "while it was idle";
    }

    /** A long time as a person says it: "95 s", "12 min", "5 h", "368 days". */
    public static String duration(double seconds) {
        if (seconds < 120) return fmt(seconds) + " s";
        if (seconds < 7200) return Math.round(seconds / 60) + " min";
        if (seconds < 2 * 86400) return Math.round(seconds / 3600) + " h";
        return Math.round(seconds / 86400) + " days";
    }

    /** "once", "twice", "3 times". */
    static String times(long n) {
        return n == 1 ? "once" : n == 2 ? "twice" : n + " times";
    }

    /** "1 handshake", "2 handshakes". */
    static String count(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
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
        List<String> notes = new ArrayList<>();
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

    /** "home (peer1)" or "peer1". */
    static String label(Tunnel t, String id) {
        Peer p = id == null ? null : peer(t, id);
        if (p == null) return String.valueOf(id);
        return p.name() != null ? p.name() + " (" + p.id() + ")" : p.id();
    }

    /** What in the capture shows a NAT or stateful firewall in front of {@code nat}. */
    static List<Cited> natEvidence(Analysis a, Tunnel t, String nat) {
        List<Cited> ev = new ArrayList<>();
        if (nat == null) return ev;
        String who = label(t, nat);
        for (EndpointChange c : t.endpointChanges()) {
            if (c.kind() == ChangeKind.NAT_REBINDING) {
                ev.add(new Cited(c.time(), who + "'s endpoint changed port " + c.from() + " -> " + c.to() + " after "
                        + fmt(c.idleSeconds()) + " s idle (NAT rebinding)"));
            }
        }
        for (IdleGap g : t.idleGaps()) {
            if (g.outcome() == GapOutcome.EXPIRED && g.peer().equals(nat)) {
                ev.add(new Cited(g.end(), who + "'s mapping did not survive " + fmt(g.idleOutboundSeconds()) + " s idle"
                        + (g.packetsIntoGap() > 0 ? "; " + count(g.packetsIntoGap(), "packet") + (g.packetsIntoGap() == 1 ? " was" : " were")
                        + " sent into it meanwhile" : "")));
            }
        }
        MappingTimeout m = t.natMappingTimeout();
        if (ev.isEmpty() && m != null && m.observed()) {
            for (Evidence e : m.evidence()) {
                if (e.outcome() == GapOutcome.EXPIRED) ev.add(new Cited(e.time(), who + "'s mapping expired: " + EvidenceWords.words(e.detail())));
            }
        }
        Peer p = peer(t, nat);
        Set<Endpoint> mine = p == null ? Set.of() : new LinkedHashSet<>(p.endpoints());
        if (a.join() != null) {
            for (CaptureJoin.Translation tr : a.join().translations()) {
                if (mine.contains(tr.outside()) || mine.contains(tr.inside())) ev.add(cited(tr));
            }
            for (CaptureJoin.DeadMapping d : a.join().deadMappings()) {
                if (mine.contains(d.to())) ev.add(new Cited(d.time(), "mapping found dead: " + EvidenceWords.words(d.detail())));
            }
        }
        if (ev.isEmpty() && p != null) {
            Peer o = peer(t, otherPeer(t, nat));
            for (Endpoint e : p.endpoints()) {
                if (e.isPrivate() && o != null && o.endpoints().stream().anyMatch(x -> !x.isPrivate())) {
                    ev.add(new Cited(null, who + " talks from " + e + ", a private or shared (CGNAT, RFC 6598) address,"
                            + " to a public one: it sits behind a NAT"));
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
            String who = label(o, o.natMappingTimeout().peer());
            for (EndpointChange c : o.endpointChanges()) {
                if (c.kind() == ChangeKind.NAT_REBINDING && c.peer().equals(o.natMappingTimeout().peer())) {
                    ev.add(new Cited(c.time(), who + " on the same public address " + shared.address() + " changed port "
                            + c.from() + " -> " + c.to() + " after " + fmt(c.idleSeconds()) + " s idle: they share one NAT"));
                }
            }
        }
        return ev;
    }

    private static void keepalive(Analysis a, Tunnel t, String nat, String other, List<Cited> natEvidence, SharedNat shared,
                                  List<Recommendation> recs, List<String> notes) {
        Double sending = nat == null ? null : t.persistentKeepaliveSeconds().get(nat);
        if (nat != null && natEvidence.isEmpty() && sending != null) {
            MappingTimeout m = t.natMappingTimeout();
            notes.add("PersistentKeepalive: " + label(t, nat) + " already sends one every " + fmt(sending) + " s"
                    + (m != null && m.observed() && m.lowerSeconds() != null && m.lowerSeconds() > 0
                    ? " and the tunnel lived through every pause of up to " + fmt(m.lowerSeconds()) + " s" : "")
                    + "; this capture shows no NAT that would need a shorter interval, so keep it as it is.");
            return;
        }
        if (nat == null || natEvidence.isEmpty()) {
            MappingTimeout own = t.natMappingTimeout();
            boolean testedLong = own != null && own.observed() && own.lowerSeconds() != null && own.lowerSeconds() >= LONG_IDLE_SECONDS;
            notes.add("PersistentKeepalive not needed: nothing in this capture shows a NAT or stateful firewall"
                    + " (no address translation, no port rebinding, no expired mapping, no private address)."
                    + (testedLong ? " The tunnel stayed idle for " + fmt(own.lowerSeconds()) + " s and came back on the same"
                    + " endpoints: whatever lies between the peers keeps UDP state at least that long."
                    : " A capture in which the tunnel stays idle for 2 minutes or more would test this."));
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
            for (Evidence e : m.evidence()) ev.add(new Cited(e.time(), EvidenceWords.words(e.detail())));
        }
        String who = label(t, nat);
        String bracket = bracketText(m, lower, upper);
        String natOf = pooled ? "The NAT " + who + " shares with " + String.join(", ", neighbours(t, shared)) + " at " + shared.address()
                : "The NAT of " + who;
        if (inUse != null && inUse <= k + 0.5) {
            notes.add("PersistentKeepalive: " + who + " already sends one every " + fmt(inUse) + " s, within the "
                    + k + " s this capture supports" + (bracket.isEmpty() ? "" : " (" + natOf + " " + bracket + ")") + "; no change.");
            return;
        }
        if (inUse != null && lower != null && inUse <= lower + PROVEN_SLACK) {
            // The mapping lived through pauses as long as the interval in use: that interval is proven, not guessed.
            notes.add("PersistentKeepalive: " + who + " already sends one every " + fmt(inUse) + " s and " + natOf.substring(0, 1)
                    .toLowerCase(Locale.ROOT) + natOf.substring(1) + " " + bracket + ": pauses that long are proven safe; no change.");
            return;
        }
        String why;
        if (lower == null && upper == null && preserving != null) {
            why = who + "'s NAT keeps the inside port (" + cited(preserving).what() + "), so an expired mapping comes back with the"
                    + " same port and looks alive: the idle gaps here bound nothing. " + k + " s is wg(8)'s interval that works"
                    + " with a wide variety of firewalls; if the tunnel still drops after idle periods, use 15.";
        } else if (lower == null && upper == null) {
            why = who + " is behind a NAT but this capture holds no idle gap that bounds its mapping timeout"
                    + (m != null && m.refreshModel() == RefreshModel.CONTRADICTORY ? " (the gaps contradict each other)" : "")
                    + "; " + k + " s is wg(8)'s interval that works with a wide variety of firewalls and stays under the"
                    + " 30 s UDP timeouts common in home routers, Linux conntrack and cloud NATs.";
        } else if (shortSurvivalOnly) {
            why = natOf + " " + bracket + ", and nothing in this capture shows it forgetting a mapping: so short a pause bounds"
                    + " nothing below wg(8)'s " + k + " s, the interval that works with a wide variety of firewalls and stays under"
                    + " the 30 s UDP timeouts common in home routers, Linux conntrack and cloud NATs.";
        } else if (lower == null) {
            why = natOf + " " + bracket + ", but no idle gap it survived bounds the timeout from below: it may"
                    + " be anywhere under that upper bound. A keepalive every " + k + " s (half of it, and no more than wg(8)'s"
                    + " 25 s) leaves a margin; a capture with a longer idle period that the mapping survives would tighten this.";
        } else {
            why = natOf + " " + bracket + "; a keepalive every " + k + " s (at most 80 % of the shortest proven"
                    + " lifetime, and no more than wg(8)'s 25 s) keeps the mapping open between bursts of traffic.";
        }
        if (inUse != null) why += " It sends one every " + fmt(inUse) + " s now, which is too long.";
        boolean v6 = peer(t, nat) != null && peer(t, nat).endpoints().stream().anyMatch(e -> e.version() == 6);
        int perPacket = Protocol.MESSAGE_KEEPALIVE_SIZE + 8 + (v6 ? 40 : 20);
        double perHour = 3600.0 / k;
        long perDay = Math.round(86400.0 / k * perPacket);
        String cost = Decimals.of(perHour, 0) + " keepalives per hour, " + bytes(perDay) + " per day one way (86400 / " + k
                + " x " + perPacket + " bytes: 32 WireGuard + 8 UDP + " + (v6 ? 40 : 20) + " IPv" + (v6 ? 6 : 4)
                + " header, link framing not counted); none while traffic flows";
        recs.add(new Recommendation("PersistentKeepalive", nat, Integer.toString(k), why, c, ev,
                "wg0.conf of " + who + ", in the [Peer] section of " + label(t, other),
                List.of("[Peer]", "# " + label(t, other), "PersistentKeepalive = " + k), cost));
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

    /** The other clients behind a shared NAT, as labels. */
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

    private static Cited cited(CaptureJoin.Translation tr) {
        return new Cited(tr.time(), "the NAT translated " + tr.inside() + " to " + tr.outside()
                + " (same handshake message seen at both capture points)");
    }

    private static String bracketText(MappingTimeout m, Double lower, Double upper) {
        if (m == null || (lower == null && upper == null)) return "";
        String model = switch (m.refreshModel()) {
            case OUTBOUND_ONLY -> "idle counted from its last outbound packet";
            case ANY_DIRECTION -> "idle counted from the last packet either way";
            default -> "under either refresh model";
        };
        if (lower != null && upper != null) {
            return "kept its mapping through " + fmt(lower) + " s idle and lost it within " + fmt(upper) + " s (" + model + ")";
        }
        if (lower != null) return "kept its mapping through " + fmt(lower) + " s idle (" + model + "; no expiry seen)";
        return "lost its mapping within " + fmt(upper) + " s idle (" + model + ")";
    }

    /** The NAT-side peer's own source port changed: from the join's translations or an inside capture. */
    private static void listenPort(Analysis a, Tunnel t, String nat, Line line, List<Recommendation> recs) {
        if (nat == null) return;
        List<Cited> ev = new ArrayList<>();
        String who = label(t, nat);
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
                        ev.add(new Cited(tr.time(), who + " sent from inside port " + tr.inside() + " (seen outside as " + tr.outside() + ")"));
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
                    ev.add(new Cited(c.time(), who + "'s own source port changed " + c.from() + " -> " + c.to() + " (capture inside the NAT)"));
                }
            }
        }
        if (ev.isEmpty()) return;
        String why = who + " picked a new source port between sessions; each new port needs a new NAT mapping that the other peer"
                + " cannot reach until " + who + " speaks first. ";
        int port;
        if (line.ports() != null) {
            port = line.ports().preferred(Protocol.CONVENTIONAL_PORT);
            ev.add(new Cited(null, "the line may only use the ports " + line.ports().describe() + " (" + line.portsFrom() + ")"));
            why += "A fixed ListenPort lets a port-preserving NAT reuse the mapping and lets you open that one port on the router;"
                    + " " + port + " is inside the ports your line may use (" + line.portsFrom() + "), so the router can map it.";
        } else {
            port = Protocol.CONVENTIONAL_PORT;
            why += "A fixed ListenPort (" + port + ", WireGuard's conventional port) lets a port-preserving NAT reuse the mapping"
                    + " and lets you open that one port on the router. For a port-set NAT (MAP-E, DS-Lite with port ranges) pick a"
                    + " port inside your allocated set instead (--port-set or --map-rule say which).";
        }
        recs.add(new Recommendation("ListenPort", nat, Integer.toString(port), why, Confidence.MEDIUM, ev,
                "wg0.conf of " + who + ", [Interface] section", List.of("[Interface]", "ListenPort = " + port), null));
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
            String who = label(t, p.id());
            List<Cited> ev = List.of(new Cited(null, c.where() + ": ListenPort = " + c.port()),
                    new Cited(null, "the line may only use the ports " + line.ports().describe() + " (" + line.portsFrom() + ")"));
            recs.removeIf(r -> r.setting().equals("ListenPort") && r.peer().equals(p.id()));
            recs.add(new Recommendation("ListenPort", p.id(), Integer.toString(port), who + " listens on " + c.port()
                    + ", which is outside the ports its line may use (" + line.portsFrom() + "): the line's NAT only translates"
                    + " ports of that set (RFC 7597 5.1 for MAP-E / MAP-T), so nothing from outside reaches " + c.port()
                    + ". " + port + " is inside the set.", Confidence.HIGH, ev, c.where() + ", [Interface] section",
                    List.of("[Interface]", "ListenPort = " + port), null));
        }
    }

    private static void insideChanges(Analysis pc, List<Cited> ev) {
        for (Tunnel t : pc.tunnels()) {
            if (t.natMappingTimeout() == null || t.natMappingTimeout().viewpoint() != Viewpoint.INSIDE) continue;
            for (EndpointChange c : t.endpointChanges()) {
                if (c.kind() == ChangeKind.NAT_REBINDING && c.peer().equals(t.natMappingTimeout().peer())) {
                    String cited = "source port changed " + c.from() + " -> " + c.to() + " in the inside capture "
                            + String.join(", ", pc.summary().captures());
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
                    ev.add(new Cited(Timestamp.of(tb.firstNanos(), 6), tb.count() + " ICMP " + (f.ipVersion() == 4
                            ? "\"fragmentation needed\"" : "\"packet too big\"") + " from " + tb.reporter() + " for WireGuard datagrams of up to "
                            + tb.datagram() + " bytes between " + f.a() + " and " + f.b() + ": the path carries at most "
                            + tb.pathMtu() + " bytes"));
                }
                if (f.reassembled() == 0) continue;
                ev.add(new Cited(null, f.reassembled() + " WireGuard datagram" + s(f.reassembled()) + " between " + f.a() + " and "
                        + f.b() + " arrived as IP fragments (largest " + f.largestReassembled() + " bytes of UDP payload; largest"
                        + " unfragmented " + f.largestUnfragmented() + ")"));
                largestOk = Math.max(largestOk, f.largestUnfragmented());
                smallestFrag = Math.min(smallestFrag, f.largestReassembled());
            }
        }
        if (ev.isEmpty()) return;
        int mtu;
        Confidence confidence;
        String why;
        if (fitting != Integer.MAX_VALUE) {
            mtu = fitting;
            confidence = Confidence.HIGH;
            why = "A router on the path reported its MTU: WireGuard datagrams larger than it were refused or fragmented. MTU "
                    + mtu + " is that path MTU minus the outer IP, UDP and WireGuard headers, so each encrypted packet fits whole."
                    + (mtu < MIN_IPV6_MTU ? " It is below 1280, IPv6's minimum (RFC 8200): Linux turns IPv6 off on such an"
                    + " interface, so a dual-stack tunnel must keep 1280 and accept fragmentation, or get a wider path." : "");
        } else {
            // Inner packet n becomes a UDP payload of pad16(n) + 32 (whitepaper 5.4.6): the largest inner size that
            // passed whole is (largest unfragmented payload - 32) rounded down to 16; never below IPv6's 1280.
            mtu = Math.max(MIN_IPV6_MTU, ((largestOk - Protocol.MESSAGE_TRANSPORT_SIZE) / 16) * 16);
            if (mtu + Protocol.MESSAGE_TRANSPORT_SIZE >= smallestFrag) mtu = MIN_IPV6_MTU;
            confidence = Confidence.MEDIUM;
            why = "WireGuard datagrams were fragmented on the way: the tunnel MTU is larger than the path carries. MTU "
                    + mtu + " keeps each encrypted packet in one piece (" + (mtu == MIN_IPV6_MTU
                    ? "1280, the IPv6 minimum, RFC 8200; no router said the path's size" : "the largest size that crossed unfragmented") + ").";
        }
        for (Peer p : t.peers()) {
            recs.add(new Recommendation("MTU", p.id(), Integer.toString(mtu), why, confidence, ev,
                    "wg0.conf of " + label(t, p.id()) + ", [Interface] section", List.of("[Interface]", "MTU = " + mtu), null));
        }
    }

    /** IPv4 mapping rebinds and the other peer's port answers on IPv6 too: prefer IPv6 (no NAT there, usually). */
    private static void ipv6(Analysis a, Tunnel t, String nat, String other, List<Recommendation> recs) {
        if (nat == null || other == null) return;
        List<Cited> rebinds = new ArrayList<>();
        for (EndpointChange c : t.endpointChanges()) {
            if (c.kind() == ChangeKind.NAT_REBINDING && c.peer().equals(nat) && c.to().version() == 4) {
                rebinds.add(new Cited(c.time(), label(t, nat) + " rebinds over IPv4: " + c.from() + " -> " + c.to()));
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
        ev.add(new Cited(null, "WireGuard is also spoken at " + v6 + " in this capture (same port as " + label(t, other) + ")"));
        recs.add(new Recommendation("Endpoint", nat, v6.toString(), "The IPv4 path rebinds; the same port answers over IPv6, where"
                        + " addresses are usually not translated. Check that " + v6 + " is " + label(t, other) + " before using it.",
                Confidence.LOW, ev, "wg0.conf of " + label(t, nat) + ", in the [Peer] section of " + label(t, other),
                List.of("[Peer]", "# " + label(t, other), "Endpoint = " + v6), null));
    }

    // ---------------------------------------------------------------- helpers

    /** One decimal, none when it is zero: 10.0 reads "10", 15.24 reads "15.2". */
    static String fmt(double v) {
        if (v == Math.rint(v)) return Long.toString((long) v);
        String one = Decimals.of(v, 1);
        return one.endsWith(".0") ? one.substring(0, one.length() - 2) : one;
    }

    private static String bytes(long b) {
        if (b < 10_000) return b + " bytes";
        if (b < 10_000_000) return Decimals.of(b / 1000.0, 1) + " kB";
        return Decimals.of(b / 1e6, 1) + " MB";
    }

    private static String s(long n) {
        return n == 1 ? "" : "s";
    }
}
