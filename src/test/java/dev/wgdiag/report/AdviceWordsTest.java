package dev.wgdiag.report;

import dev.wgdiag.advice.ConfigPlace;
import dev.wgdiag.advice.Confidence;
import dev.wgdiag.advice.Cited;
import dev.wgdiag.advice.Cost;
import dev.wgdiag.advice.Fact;
import dev.wgdiag.advice.Finding;
import dev.wgdiag.advice.Lifetime;
import dev.wgdiag.advice.NatOf;
import dev.wgdiag.advice.Note;
import dev.wgdiag.advice.PeerRef;
import dev.wgdiag.advice.Recommendation;
import dev.wgdiag.advice.Verdict;
import dev.wgdiag.advice.Why;
import dev.wgdiag.config.Attribute;
import dev.wgdiag.net.Endpoint;
import dev.wgdiag.net.PortSet;
import dev.wgdiag.timeline.CaptureJoin;
import dev.wgdiag.timeline.Observation;
import dev.wgdiag.timeline.RefreshModel;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The advice holds values; {@link AdviceWords} makes every sentence from them. Each kind of reason,
 * note, cited fact and finding (every permitted record of the sealed types) has words that name its
 * peers, endpoints and numbers; a kind added without words fails here, not in a user's report.
 */
class AdviceWordsTest {
    private static final PeerRef HOME = new PeerRef("peer2", "home");
    private static final PeerRef VPS = new PeerRef("peer1", null);
    private static final Endpoint INSIDE = Endpoint.parse("192.168.1.20:40001");
    private static final Endpoint OUTSIDE = Endpoint.parse("203.0.113.7:40713");
    private static final Endpoint V6 = Endpoint.parse("[2001:db8::7]:51820");
    private static final NatOf OWN = new NatOf(HOME, List.of(), null);
    private static final NatOf SHARED = new NatOf(HOME, List.of("peer4", "peer6"), "203.0.113.7");
    private static final Lifetime BOTH = new Lifetime(RefreshModel.OUTBOUND_ONLY, 40.0, 65.0);
    private static final Lifetime UPPER = new Lifetime(RefreshModel.EITHER, null, 20.0);

    /** A sample of each kind, and what its words must say (numbers, peers, endpoints). */
    private static final Map<Object, List<String>> SAMPLES = new LinkedHashMap<>();

    static {
        // reasons
        SAMPLES.put(new Why.PortKept(HOME, new Fact.Translated(INSIDE, OUTSIDE), 25, null),
                List.of("home (peer2)'s NAT keeps the inside port", "192.168.1.20:40001", "203.0.113.7:40713", "25 s is wg(8)'s"));
        SAMPLES.put(new Why.NoBound(HOME, true, 25, 60.0),
                List.of("home (peer2) is behind a NAT", "(the gaps contradict each other)", "25 s", "every 60 s now, which is too long"));
        SAMPLES.put(new Why.ShortSurvivalOnly(OWN, new Lifetime(RefreshModel.ANY_DIRECTION, 5.5, null), 25, null),
                List.of("The NAT of home (peer2) kept its mapping through 5.5 s idle", "last packet either way", "wg(8)'s 25 s"));
        SAMPLES.put(new Why.UpperOnly(SHARED, UPPER, 10, null),
                List.of("The NAT home (peer2) shares with peer4, peer6 at 203.0.113.7 lost its mapping within 20 s idle",
                        "A keepalive every 10 s (half of it"));
        SAMPLES.put(new Why.Bracketed(OWN, BOTH, 32, 45.0),
                List.of("kept its mapping through 40 s idle and lost it within 65 s", "last outbound packet", "every 32 s (at most 80 %",
                        "every 45 s now"));
        SAMPLES.put(new Why.NewSourcePort(HOME, 4096, true, "--port-set"),
                List.of("home (peer2) picked a new source port", "4096 is inside the ports your line may use (--port-set)"));
        SAMPLES.put(new Why.OutsidePortSet(HOME, 51820, "MAP rule PSID 0x34", 1232),
                List.of("home (peer2) listens on 51820", "(MAP rule PSID 0x34)", "1232 is inside the set"));
        SAMPLES.put(new Why.PathMtuReported(1228), List.of("MTU 1228 is that path MTU", "below 1280, IPv6's minimum"));
        SAMPLES.put(new Why.Fragmented(1392), List.of("MTU 1392 keeps each encrypted packet in one piece", "crossed unfragmented"));
        SAMPLES.put(new Why.OverIpv6(V6, VPS), List.of("Check that [2001:db8::7]:51820 is peer1 before using it."));
        // notes
        SAMPLES.put(new Note.KeepaliveKept(HOME, 10, 14.5),
                List.of("PersistentKeepalive: home (peer2) already sends one every 10 s", "pause of up to 14.5 s", "keep it as it is"));
        SAMPLES.put(new Note.KeepaliveNotNeeded(180.0), List.of("PersistentKeepalive not needed", "stayed idle for 180 s"));
        SAMPLES.put(new Note.KeepaliveWithin(HOME, 15, 20, OWN, BOTH),
                List.of("every 15 s, within the 20 s this capture supports", "(The NAT of home (peer2) kept its mapping through 40 s"));
        SAMPLES.put(new Note.KeepaliveProven(HOME, 40, SHARED, BOTH),
                List.of("every 40 s and the NAT home (peer2) shares with peer4, peer6 at 203.0.113.7 kept", "proven safe"));
        // cited facts
        SAMPLES.put(new Fact.Rebound(HOME, INSIDE, OUTSIDE, 65),
                List.of("home (peer2)'s endpoint changed port 192.168.1.20:40001 -> 203.0.113.7:40713 after 65 s idle"));
        SAMPLES.put(new Fact.MappingLost(HOME, 62.5, 3), List.of("did not survive 62.5 s idle; 3 packets were sent into it"));
        SAMPLES.put(new Fact.MappingExpired(HOME, new Observation.SpokeAgain("peer2", OUTSIDE)),
                List.of("home (peer2)'s mapping expired: peer2 spoke again from 203.0.113.7:40713"));
        SAMPLES.put(new Fact.Translated(INSIDE, OUTSIDE), List.of("the NAT translated 192.168.1.20:40001 to 203.0.113.7:40713"));
        SAMPLES.put(new Fact.DeadMapping(new CaptureJoin.Unreached(3, OUTSIDE, "server.pcap", "client.pcap")),
                List.of("mapping found dead: 3 initiations to 203.0.113.7:40713 seen at server.pcap never reached client.pcap"));
        SAMPLES.put(new Fact.PrivateAddress(HOME, INSIDE), List.of("home (peer2) talks from 192.168.1.20:40001"));
        SAMPLES.put(new Fact.NeighbourRebound(VPS, "203.0.113.7", INSIDE, OUTSIDE, 31),
                List.of("peer1 on the same public address 203.0.113.7 changed port", "after 31 s idle"));
        SAMPLES.put(new Fact.Seen(new Observation.InboundDelivered("peer1")), List.of("packet from peer1 reached the capture point"));
        SAMPLES.put(new Fact.InsidePort(HOME, INSIDE, OUTSIDE), List.of("sent from inside port 192.168.1.20:40001 (seen outside as 203.0.113.7:40713)"));
        SAMPLES.put(new Fact.InsideCapturePort(INSIDE, OUTSIDE, List.of("a.pcap", "b.pcap")), List.of("in the inside capture a.pcap, b.pcap"));
        SAMPLES.put(new Fact.OwnPortChanged(HOME, INSIDE, OUTSIDE), List.of("home (peer2)'s own source port changed"));
        SAMPLES.put(new Fact.LinePorts(PortSet.parse("4096-4111"), "--port-set"), List.of("may only use the ports", "4096", "(--port-set)"));
        SAMPLES.put(new Fact.ConfiguredPort("phone [Interface]", 51820), List.of("phone [Interface]: ListenPort = 51820"));
        SAMPLES.put(new Fact.TooBig(2, 4, "198.51.100.1", 1452, INSIDE, OUTSIDE, 1400),
                List.of("2 ICMP \"fragmentation needed\" from 198.51.100.1", "up to 1452 bytes", "at most 1400 bytes"));
        SAMPLES.put(new Fact.Fragmented(1, INSIDE, OUTSIDE, 1452, 1372),
                List.of("1 WireGuard datagram between", "(largest 1452 bytes of UDP payload; largest unfragmented 1372)"));
        SAMPLES.put(new Fact.RebindsOverIpv4(HOME, INSIDE, OUTSIDE), List.of("home (peer2) rebinds over IPv4: 192.168.1.20:40001 -> "));
        SAMPLES.put(new Fact.AlsoOverIpv6(V6, VPS), List.of("also spoken at [2001:db8::7]:51820", "(same port as peer1)"));
        // the verdict's findings
        SAMPLES.put(new Finding.PacketsTooBig(true, "1228"), List.of("refused by a router and fragmented; MTU 1228 fits"));
        SAMPLES.put(new Finding.MappingExpired(HOME, new Finding.Silence(40.0, 65.0, 0), 3),
                List.of("the NAT in front of home (peer2) forgot the tunnel after 40 to 65 s of silence (3 times)"));
        SAMPLES.put(new Finding.SharedMappingExpired(List.of(HOME, VPS), "203.0.113.7", new Finding.Silence(null, null, 48), 2),
                List.of("the NAT that home (peer2) and peer1 share at 203.0.113.7 forgot their tunnels during 48 s of silence (twice)"));
        SAMPLES.put(new Finding.HandshakesGivenUp(1), List.of("1 handshake got no answer and was given up"));
        SAMPLES.put(new Finding.HandshakesUnanswered(4), List.of("4 handshakes got no answer"));
        SAMPLES.put(new Finding.InitiatorSwapped(VPS, 1), List.of("peer1 heard nothing back and had to start a new handshake (once)"));
        SAMPLES.put(new Finding.Loss(12.34, HOME, VPS), List.of("12.3 % of the packets from home (peer2) to peer1 were lost"));
        // verdicts
        SAMPLES.put(new Verdict.NoTunnel(), List.of("No WireGuard tunnel in the capture"));
        SAMPLES.put(new Verdict.Stable(3, 600, new Verdict.Holes(2, 7200), false),
                List.of("Stable: all 3 handshakes were answered", "over 600 s of capture (not counting its 2 holes)",
                        "never idle long enough", "The capture has 2 holes (nothing for up to 2 h)"));
        SAMPLES.put(new Verdict.Unstable(List.of(new Verdict.Item(new Finding.HandshakesUnanswered(2), 0),
                        new Verdict.Item(new Finding.Loss(5, HOME, VPS), 7)), new Verdict.Holes(0, 0)),
                List.of("Unstable: 2 handshakes got no answer; also 5 % of the packets", "(and 7 more findings of this kind in other tunnels)."));
    }

    private static String words(Object o) {
        if (o instanceof Why w) return AdviceWords.why(w);
        if (o instanceof Note n) return AdviceWords.note(n);
        if (o instanceof Fact f) return AdviceWords.fact(f);
        if (o instanceof Finding f) return AdviceWords.finding(f);
        return AdviceWords.verdict(new Verdict(false, (Verdict.Reading) o));
    }

    @Test
    void shouldWriteEveryKindOfReasonNoteEvidenceAndFindingWithItsPeersEndpointsAndNumbers() {
        for (Map.Entry<Object, List<String>> e : SAMPLES.entrySet()) {
            String words = words(e.getKey());
            for (String part : e.getValue()) assertTrue(words.contains(part), e.getKey() + " should say \"" + part + "\": " + words);
        }
    }

    @Test
    void shouldHaveASampleForEveryKindTheAdviceCanHold() {
        Set<Class<?>> sampled = SAMPLES.keySet().stream().map(Object::getClass).collect(Collectors.toSet());
        Function<Class<?>, Set<Class<?>>> kinds = c -> Arrays.stream(c.getPermittedSubclasses()).collect(Collectors.toSet());
        for (Class<?> sealed : List.of(Why.class, Note.class, Fact.class, Finding.class)) {
            for (Class<?> kind : kinds.apply(sealed)) assertTrue(sampled.contains(kind), "no sample of " + kind.getName());
        }
        // a tunnel that does not connect: NoConnectWords makes that verdict (NoConnectWordsTest, NoConnectPeerTest)
        for (Class<?> kind : kinds.apply(Verdict.Reading.class)) {
            assertTrue(sampled.contains(kind) || kind == Verdict.NoConnect.class, "no sample of " + kind.getName());
        }
    }

    @Test
    void shouldWriteTheConfigPlaceLinesAndCostOfAKeepalive() {
        Cost cost = new Cost(25, 4);
        Recommendation r = new Recommendation(Attribute.PERSISTENT_KEEPALIVE, "peer2", "25", new Why.NoBound(HOME, false, 25, null),
                Confidence.LOW, List.of(new Cited(null, new Fact.PrivateAddress(HOME, INSIDE))), ConfigPlace.peerSection(HOME, VPS), cost);
        assertEquals("wg0.conf of home (peer2), in the [Peer] section of peer1", AdviceWords.place(r.config()));
        assertEquals(List.of("[Peer]", "# peer1", "PersistentKeepalive = 25"), AdviceWords.lines(r));
        // wg(8)'s 25 s: 3600 / 25 = 144 an hour; 86400 / 25 x (32 WireGuard + 8 UDP + 20 IPv4) = 207,360 bytes a day
        assertEquals("144 keepalives per hour, 207.4 kB per day one way (86400 / 25 x 60 bytes: 32 WireGuard + 8 UDP + 20 IPv4"
                + " header, link framing not counted); none while traffic flows", AdviceWords.cost(r.cost()));
        assertEquals("phone [Interface], [Interface] section", AdviceWords.place(ConfigPlace.ifaceOf("phone [Interface]", HOME)));
    }
}
