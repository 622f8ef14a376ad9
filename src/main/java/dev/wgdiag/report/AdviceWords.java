package dev.wgdiag.report;

import dev.wgdiag.advice.Advisor;
import dev.wgdiag.advice.Lifetime;
import dev.wgdiag.advice.ConfigPlace;
import dev.wgdiag.advice.Cost;
import dev.wgdiag.advice.Fact;
import dev.wgdiag.advice.Finding;
import dev.wgdiag.advice.NatOf;
import dev.wgdiag.advice.Note;
import dev.wgdiag.advice.PeerRef;
import dev.wgdiag.advice.Recommendation;
import dev.wgdiag.advice.Verdict;
import dev.wgdiag.advice.Why;

import java.util.List;
import java.util.Locale;

/**
 * The words of the advice: the verdict's sentence, each recommendation's reason, place, config lines
 * and cost, the evidence it cites and the notes. The {@code advice} package holds the values (records,
 * one per kind); this class alone turns them into the sentences the text, JSON and HTML reports write.
 */
public final class AdviceWords {
    private AdviceWords() {
    }

    // ---------------------------------------------------------------- verdict

    /** The verdict in words a phone user reads: counts in agreement with their nouns, and no "0 of 0". */
    public static String verdict(Verdict v) {
        Verdict.Reading r = v.reading();
        // Java 17 has no pattern switch: one test per permitted type (Reading is sealed).
        if (r instanceof Verdict.NoTunnel) return "No WireGuard tunnel in the capture, so nothing to judge.";
        if (r instanceof Verdict.NoConnect n) return NoConnectWords.verdict(n.findings());
        if (r instanceof Verdict.Unstable u) {
            List<String> words = u.findings().stream().map(AdviceWords::item).toList();
            String first = words.get(0);
            String rest = words.size() == 1 ? "" : words.size() == 2 ? "; also " + words.get(1)
                    : "; also " + String.join(", ", words.subList(1, words.size() - 1)) + " and " + words.get(words.size() - 1);
            return "Unstable: " + first + rest + "." + holeNote(u.holes());
        }
        if (r instanceof Verdict.Stable s) {
            int handshakes = s.handshakes();
            String hs = handshakes == 0 ? "no handshake in the capture (it began after the tunnel was up)"
                    : handshakes == 1 ? "the handshake was answered" : "all " + handshakes + " handshakes were answered";
            int holes = s.holes().count();
            return "Stable: " + hs + "; no endpoint change, no expired mapping and no loss over " + fmt(s.seconds()) + " s"
                    + (holes == 0 ? "" : " of capture (not counting " + (holes == 1 ? "its hole" : "its " + holes + " holes") + ")")
                    + (s.tested() ? "." : ", but the tunnel was never idle long enough to test the NAT.") + holeNote(s.holes());
        }
        throw new IllegalArgumentException("no words for " + r);
    }

    private static String item(Verdict.Item i) {
        String words = finding(i.finding());
        int more = i.more();
        return more == 0 ? words : words + " (and " + more + " more " + (more == 1 ? "finding" : "findings") + " of this kind in other tunnels)";
    }

    /** One problem of an unstable verdict. */
    public static String finding(Finding f) {
        if (f instanceof Finding.PacketsTooBig p) {
            return "full-size tunnel packets do not fit the path (they were "
                    + (p.refused() ? "refused by a router and fragmented" : "fragmented") + "; MTU " + p.mtu() + " fits)";
        }
        if (f instanceof Finding.MappingExpired m) {
            return "the NAT in front of " + peer(m.who()) + " forgot the tunnel " + silence(m.when()) + " (" + times(m.times()) + ")";
        }
        if (f instanceof Finding.SharedMappingExpired m) {
            return "the NAT that " + and(m.peers().stream().map(AdviceWords::peer).toList()) + " share at " + m.address()
                    + " forgot their tunnels " + silence(m.when()) + " (" + times(m.times()) + ")";
        }
        if (f instanceof Finding.HandshakesGivenUp g) {
            return Words.count(g.count(), "handshake") + " got no answer and " + (g.count() == 1 ? "was" : "were") + " given up";
        }
        if (f instanceof Finding.HandshakesUnanswered u) return Words.count(u.count(), "handshake") + " got no answer";
        if (f instanceof Finding.InitiatorSwapped s) {
            return peer(s.who()) + " heard nothing back and had to start a new handshake (" + times(s.times()) + ")";
        }
        if (f instanceof Finding.Loss l) {
            return fmt(l.percent()) + " % of the packets from " + peer(l.from()) + " to " + peer(l.to()) + " were lost";
        }
        throw new IllegalArgumentException("no words for " + f);
    }

    /** "after 10 to 20 s of silence", "within 20 s of silence", or "during 48 s of silence". */
    static String silence(Finding.Silence s) {
        if (s.upper() != null) {
            return s.lower() != null ? "after " + fmt(s.lower()) + " to " + fmt(s.upper()) + " s of silence"
                    : "within " + fmt(s.upper()) + " s of silence";
        }
        return s.idle() > 0 ? "during " + fmt(s.idle()) + " s of silence" : "while it was idle";
    }

    /** " The capture has a hole ...", or "" without holes. */
    private static String holeNote(Verdict.Holes h) {
        if (h.count() == 0) return "";
        return " The capture has " + (h.count() == 1 ? "a hole" : h.count() + " holes") + " (nothing for "
                + (h.count() == 1 ? "" : "up to ") + duration(h.longestSeconds()) + "): the parts around "
                + (h.count() == 1 ? "it" : "them") + " are judged separately.";
    }

    // ---------------------------------------------------------------- recommendations

    /** Why a recommendation has its value. */
    public static String why(Why w) {
        if (w instanceof Why.PortKept p) {
            return tooLong(peer(p.who()) + "'s NAT keeps the inside port (" + fact(p.kept()) + "), so an expired mapping comes back"
                    + " with the same port and looks alive: the idle gaps here bound nothing. " + p.seconds() + " s is wg(8)'s interval"
                    + " that works with a wide variety of firewalls; if the tunnel still drops after idle periods, use 15.", p.inUse());
        }
        if (w instanceof Why.NoBound n) {
            return tooLong(peer(n.who()) + " is behind a NAT but this capture holds no idle gap that bounds its mapping timeout"
                    + (n.contradictory() ? " (the gaps contradict each other)" : "")
                    + "; " + n.seconds() + " s is wg(8)'s interval that works with a wide variety of firewalls and stays under the"
                    + " 30 s UDP timeouts common in home routers, Linux conntrack and cloud NATs.", n.inUse());
        }
        if (w instanceof Why.ShortSurvivalOnly s) {
            return tooLong(natOf(s.nat()) + " " + bracket(s.bracket()) + ", and nothing in this capture shows it forgetting a mapping:"
                    + " so short a pause bounds nothing below wg(8)'s " + s.seconds() + " s, the interval that works with a wide variety"
                    + " of firewalls and stays under the 30 s UDP timeouts common in home routers, Linux conntrack and cloud NATs.", s.inUse());
        }
        if (w instanceof Why.UpperOnly u) {
            return tooLong(natOf(u.nat()) + " " + bracket(u.bracket()) + ", but no idle gap it survived bounds the timeout from below:"
                    + " it may be anywhere under that upper bound. A keepalive every " + u.seconds() + " s (half of it, and no more than"
                    + " wg(8)'s 25 s) leaves a margin; a capture with a longer idle period that the mapping survives would tighten this.",
                    u.inUse());
        }
        if (w instanceof Why.Bracketed b) {
            return tooLong(natOf(b.nat()) + " " + bracket(b.bracket()) + "; a keepalive every " + b.seconds() + " s (at most 80 % of the"
                    + " shortest proven lifetime, and no more than wg(8)'s 25 s) keeps the mapping open between bursts of traffic.", b.inUse());
        }
        if (w instanceof Why.NewSourcePort n) {
            String who = peer(n.who());
            String why = who + " picked a new source port between sessions; each new port needs a new NAT mapping that the other peer"
                    + " cannot reach until " + who + " speaks first. ";
            if (n.lineSet()) {
                return why + "A fixed ListenPort lets a port-preserving NAT reuse the mapping and lets you open that one port on the"
                        + " router; " + n.port() + " is inside the ports your line may use (" + n.portsFrom() + "), so the router can map it.";
            }
            return why + "A fixed ListenPort (" + n.port() + ", WireGuard's conventional port) lets a port-preserving NAT reuse the"
                    + " mapping and lets you open that one port on the router. For a port-set NAT (MAP-E, DS-Lite with port ranges) pick"
                    + " a port inside your allocated set instead (--port-set or --map-rule say which).";
        }
        if (w instanceof Why.OutsidePortSet o) {
            return peer(o.who()) + " listens on " + o.configured() + ", which is outside the ports its line may use (" + o.portsFrom()
                    + "): the line's NAT only translates ports of that set (RFC 7597 5.1 for MAP-E / MAP-T), so nothing from outside"
                    + " reaches " + o.configured() + ". " + o.port() + " is inside the set.";
        }
        if (w instanceof Why.PathMtuReported p) {
            return "A router on the path reported its MTU: WireGuard datagrams larger than it were refused or fragmented. MTU "
                    + p.mtu() + " is that path MTU minus the outer IP, UDP and WireGuard headers, so each encrypted packet fits whole."
                    + (p.mtu() < Advisor.MIN_IPV6_MTU ? " It is below 1280, IPv6's minimum (RFC 8200): Linux turns IPv6 off on such an"
                    + " interface, so a dual-stack tunnel must keep 1280 and accept fragmentation, or get a wider path." : "");
        }
        if (w instanceof Why.Fragmented f) {
            return "WireGuard datagrams were fragmented on the way: the tunnel MTU is larger than the path carries. MTU "
                    + f.mtu() + " keeps each encrypted packet in one piece (" + (f.mtu() == Advisor.MIN_IPV6_MTU
                    ? "1280, the IPv6 minimum, RFC 8200; no router said the path's size" : "the largest size that crossed unfragmented") + ").";
        }
        if (w instanceof Why.OverIpv6 o) {
            return "The IPv4 path rebinds; the same port answers over IPv6, where addresses are usually not translated. Check that "
                    + o.at() + " is " + peer(o.other()) + " before using it.";
        }
        throw new IllegalArgumentException("no words for " + w);
    }

    private static String tooLong(String why, Double inUse) {
        return inUse == null ? why : why + " It sends one every " + fmt(inUse) + " s now, which is too long.";
    }

    /** "The NAT of home (peer2)" or "The NAT home (peer2) shares with peer4 at 203.0.113.7". */
    private static String natOf(NatOf n) {
        return n.address() != null ? "The NAT " + peer(n.who()) + " shares with " + String.join(", ", n.sharedWith()) + " at " + n.address()
                : "The NAT of " + peer(n.who());
    }

    /** "kept its mapping through 10 s idle and lost it within 20 s (...)", or "" without a bracket. */
    private static String bracket(Lifetime b) {
        if (b == null) return "";
        String model = switch (b.model()) {
            case OUTBOUND_ONLY -> "idle counted from its last outbound packet";
            case ANY_DIRECTION -> "idle counted from the last packet either way";
            default -> "under either refresh model";
        };
        if (b.lower() != null && b.upper() != null) {
            return "kept its mapping through " + fmt(b.lower()) + " s idle and lost it within " + fmt(b.upper()) + " s (" + model + ")";
        }
        if (b.lower() != null) return "kept its mapping through " + fmt(b.lower()) + " s idle (" + model + "; no expiry seen)";
        return "lost its mapping within " + fmt(b.upper()) + " s idle (" + model + ")";
    }

    /** Where it goes: "wg0.conf of peer2 (NAT client), in the [Peer] section of peer1". */
    public static String place(ConfigPlace p) {
        String file = p.file() != null ? p.file() : "wg0.conf of " + peer(p.of());
        return p.peerSection() == null ? file + ", [Interface] section" : file + ", in the [Peer] section of " + peer(p.peerSection());
    }

    /** The exact config lines, section header first: "[Peer]", "# home (peer1)", "PersistentKeepalive = 25". */
    public static List<String> lines(Recommendation r) {
        String set = r.setting().spelling() + " = " + r.value();
        ConfigPlace p = r.config();
        return p.peerSection() == null ? List.of("[Interface]", set) : List.of("[Peer]", "# " + peer(p.peerSection()), set);
    }

    /** "144 keepalives per hour, 207.4 kB per day one way (86400 / 25 x 60 bytes: ...); none while traffic flows". */
    public static String cost(Cost c) {
        if (c == null) return null;
        return Decimals.of(c.perHour(), 0) + " keepalives per hour, " + bytes(c.bytesPerDay()) + " per day one way (86400 / "
                + c.intervalSeconds() + " x " + c.packetBytes() + " bytes: 32 WireGuard + 8 UDP + "
                + c.ipHeaderBytes() + " IPv" + c.ipVersion() + " header, link framing not counted); none while traffic flows";
    }

    // ---------------------------------------------------------------- evidence and notes

    /** What one cited piece of evidence shows. */
    public static String fact(Fact f) {
        if (f instanceof Fact.Rebound r) {
            return peer(r.who()) + "'s endpoint changed port " + r.from() + " -> " + r.to() + " after " + fmt(r.idleSeconds())
                    + " s idle (NAT rebinding)";
        }
        if (f instanceof Fact.MappingLost m) {
            long n = m.packetsIntoGap();
            return peer(m.who()) + "'s mapping did not survive " + fmt(m.idleSeconds()) + " s idle"
                    + (n > 0 ? "; " + Words.count(n, "packet") + (n == 1 ? " was" : " were") + " sent into it meanwhile" : "");
        }
        if (f instanceof Fact.MappingExpired m) return peer(m.who()) + "'s mapping expired: " + EvidenceWords.words(m.seen());
        if (f instanceof Fact.Translated t) {
            return "the NAT translated " + t.inside() + " to " + t.outside() + " (same handshake message seen at both capture points)";
        }
        if (f instanceof Fact.DeadMapping d) return "mapping found dead: " + EvidenceWords.words(d.detail());
        if (f instanceof Fact.PrivateAddress p) {
            return peer(p.who()) + " talks from " + p.from() + ", a private or shared (CGNAT, RFC 6598) address,"
                    + " to a public one: it sits behind a NAT";
        }
        if (f instanceof Fact.NeighbourRebound n) {
            return peer(n.who()) + " on the same public address " + n.address() + " changed port " + n.from() + " -> " + n.to()
                    + " after " + fmt(n.idleSeconds()) + " s idle: they share one NAT";
        }
        if (f instanceof Fact.Seen s) return EvidenceWords.words(s.seen());
        if (f instanceof Fact.InsidePort i) {
            return peer(i.who()) + " sent from inside port " + i.inside() + " (seen outside as " + i.outside() + ")";
        }
        if (f instanceof Fact.InsideCapturePort i) {
            return "source port changed " + i.from() + " -> " + i.to() + " in the inside capture " + String.join(", ", i.captures());
        }
        if (f instanceof Fact.OwnPortChanged o) {
            return peer(o.who()) + "'s own source port changed " + o.from() + " -> " + o.to() + " (capture inside the NAT)";
        }
        if (f instanceof Fact.LinePorts l) return "the line may only use the ports " + l.ports().describe() + " (" + l.from() + ")";
        if (f instanceof Fact.ConfiguredPort c) return c.where() + ": ListenPort = " + c.port();
        if (f instanceof Fact.TooBig t) {
            return t.count() + " ICMP " + (t.ipVersion() == 4 ? "\"fragmentation needed\"" : "\"packet too big\"") + " from "
                    + t.reporter() + " for WireGuard datagrams of up to " + t.datagram() + " bytes between " + t.a() + " and " + t.b()
                    + ": the path carries at most " + t.pathMtu() + " bytes";
        }
        if (f instanceof Fact.Fragmented g) {
            return Words.count(g.count(), "WireGuard datagram") + " between " + g.a() + " and " + g.b()
                    + " arrived as IP fragments (largest " + g.largestReassembled() + " bytes of UDP payload; largest unfragmented "
                    + g.largestUnfragmented() + ")";
        }
        if (f instanceof Fact.RebindsOverIpv4 r) return peer(r.who()) + " rebinds over IPv4: " + r.from() + " -> " + r.to();
        if (f instanceof Fact.AlsoOverIpv6 a) {
            return "WireGuard is also spoken at " + a.at() + " in this capture (same port as " + peer(a.other()) + ")";
        }
        throw new IllegalArgumentException("no words for " + f);
    }

    /** What needs no change. */
    public static String note(Note n) {
        if (n instanceof Note.KeepaliveKept k) {
            return "PersistentKeepalive: " + peer(k.who()) + " already sends one every " + fmt(k.every()) + " s"
                    + (k.livedThrough() != null ? " and the tunnel lived through every pause of up to " + fmt(k.livedThrough()) + " s" : "")
                    + "; this capture shows no NAT that would need a shorter interval, so keep it as it is.";
        }
        if (n instanceof Note.KeepaliveNotNeeded k) {
            return "PersistentKeepalive not needed: nothing in this capture shows a NAT or stateful firewall"
                    + " (no address translation, no port rebinding, no expired mapping, no private address)."
                    + (k.idleTested() != null ? " The tunnel stayed idle for " + fmt(k.idleTested()) + " s and came back on the same"
                    + " endpoints: whatever lies between the peers keeps UDP state at least that long."
                    : " A capture in which the tunnel stays idle for 2 minutes or more would test this.");
        }
        if (n instanceof Note.KeepaliveWithin k) {
            String bracket = bracket(k.bracket());
            return "PersistentKeepalive: " + peer(k.who()) + " already sends one every " + fmt(k.every()) + " s, within the "
                    + k.supported() + " s this capture supports" + (bracket.isEmpty() ? "" : " (" + natOf(k.nat()) + " " + bracket + ")")
                    + "; no change.";
        }
        if (n instanceof Note.KeepaliveProven k) {
            String natOf = natOf(k.nat());
            return "PersistentKeepalive: " + peer(k.who()) + " already sends one every " + fmt(k.every()) + " s and "
                    + natOf.substring(0, 1).toLowerCase(Locale.ROOT) + natOf.substring(1) + " " + bracket(k.bracket())
                    + ": pauses that long are proven safe; no change.";
        }
        throw new IllegalArgumentException("no words for " + n);
    }

    // ---------------------------------------------------------------- small words

    /** "home (peer1)" or "peer1". */
    public static String peer(PeerRef p) {
        return p.name() != null ? p.name() + " (" + p.id() + ")" : String.valueOf(p.id());
    }

    /** One decimal, none when it is zero: 10.0 reads "10", 15.24 reads "15.2". */
    static String fmt(double v) {
        if (v == Math.rint(v)) return Long.toString((long) v);
        String one = Decimals.of(v, 1);
        return one.endsWith(".0") ? one.substring(0, one.length() - 2) : one;
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

    /** "a", "a and b", "a, b and c". */
    private static String and(List<String> items) {
        if (items.size() <= 1) return String.join("", items);
        return String.join(", ", items.subList(0, items.size() - 1)) + " and " + items.get(items.size() - 1);
    }

    private static String bytes(long b) {
        if (b < 10_000) return b + " bytes";
        if (b < 10_000_000) return Decimals.of(b / 1000.0, 1) + " kB";
        return Decimals.of(b / 1e6, 1) + " MB";
    }
}
