package dev.wgdiag.advice;

import dev.wgdiag.report.AdviceWords;
import dev.wgdiag.config.Attribute;
import dev.wgdiag.net.Endpoint;
import dev.wgdiag.timeline.Analysis;
import dev.wgdiag.timeline.Bracket;
import dev.wgdiag.timeline.CaptureSummary;
import dev.wgdiag.timeline.ChangeKind;
import dev.wgdiag.timeline.EndpointChange;
import dev.wgdiag.timeline.Evidence;
import dev.wgdiag.timeline.GapOutcome;
import dev.wgdiag.timeline.Handshake;
import dev.wgdiag.timeline.HandshakeTrigger;
import dev.wgdiag.timeline.IdleGap;
import dev.wgdiag.timeline.MappingTimeout;
import dev.wgdiag.timeline.Peer;
import dev.wgdiag.timeline.RefreshModel;
import dev.wgdiag.time.Timestamp;
import dev.wgdiag.timeline.Tunnel;
import dev.wgdiag.timeline.Viewpoint;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Advice from hand-built analyses: the scenario each test states is the truth. */
class AdvisorTest {
    private static final long T0 = 1_795_000_000L * 1_000_000_000L;
    private static final Peer SERVER = new Peer("peer1", null, List.of(Endpoint.parse("198.51.100.2:51820")), dev.wgdiag.timeline.Role.SERVER);
    private static final Peer CLIENT = new Peer("peer2", null, List.of(Endpoint.parse("203.0.113.7:40000"), Endpoint.parse("203.0.113.7:40001")), dev.wgdiag.timeline.Role.NAT_CLIENT);

    private static Timestamp at(double s) {
        return Timestamp.of(T0 + Math.round(s * 1e9), 6);
    }

    private static Analysis analysis(Tunnel t) {
        return new Analysis(Analysis.SCHEMA_VERSION, new CaptureSummary(List.of("x.pcap"), at(0), at(600), 600,
                Map.of(), List.of()), List.of(t), null, List.of());
    }

    private static Tunnel tunnel(Peer client, List<EndpointChange> changes, List<IdleGap> gaps, MappingTimeout m) {
        List<Handshake> hs = List.of(new Handshake(at(0), client.id(), SERVER.id(), true, 0, 0.001, false, 0, false, HandshakeTrigger.INITIAL));
        return new Tunnel("tunnel1", List.of(client, SERVER), 1, hs, List.of(), Map.of(), List.of(), changes, gaps, m, List.of(), List.of());
    }

    private static MappingTimeout bracket(Double lower, Double upper, RefreshModel model) {
        List<Evidence> ev = List.of(new Evidence(at(100), GapOutcome.SURVIVED, lower == null ? 0 : lower, 0,
                        new dev.wgdiag.timeline.Observation.SpokeAgain("peer2", Endpoint.parse("203.0.113.7:40000"))),
                new Evidence(at(300), GapOutcome.EXPIRED, upper == null ? 0 : upper, 0,
                        new dev.wgdiag.timeline.Observation.NewPort("peer2", Endpoint.parse("203.0.113.7:40001"), null, null)));
        return new MappingTimeout(true, lower, upper, model, "peer2", Viewpoint.OUTSIDE, new Bracket(lower, upper, true),
                new Bracket(lower, upper, true), 1, 1, ev, new dev.wgdiag.timeline.MappingNote(model, List.of()));
    }

    /** A server-side view of a client whose NAT gave it a new port after 65 s idle, having kept it through 40 s. */
    private static Tunnel rebindingAfter65s() {
        List<EndpointChange> changes = List.of(new EndpointChange(at(300), "peer2", Endpoint.parse("203.0.113.7:40000"), Endpoint.parse("203.0.113.7:40001"),
                ChangeKind.NAT_REBINDING, 65));
        List<IdleGap> gaps = List.of(new IdleGap(at(60), at(100), "peer2", 40, 40, GapOutcome.SURVIVED, 0, 0),
                new IdleGap(at(235), at(300), "peer2", 65, 65, GapOutcome.EXPIRED, 3, 2));
        return tunnel(CLIENT, changes, gaps, bracket(40.0, 65.0, RefreshModel.OUTBOUND_ONLY));
    }

    private static Recommendation only(Advice a, Attribute setting) {
        List<Recommendation> r = a.tunnels().get(0).recommendations().stream().filter(x -> x.setting() == setting).toList();
        assertEquals(1, r.size(), setting + " recommendations: " + r);
        return r.get(0);
    }

    @Test
    void shouldRecommendKeepaliveBelowTheShortestProvenLifetimeWithHighConfidenceForATightOutboundBracket() {
        Advice a = Advisor.advise(analysis(rebindingAfter65s()));
        Recommendation k = only(a, Attribute.PERSISTENT_KEEPALIVE);
        // Survived 40 s, lost within 65 s: 25 (wg(8)) is below 0.8 x 40 = 32.
        assertEquals("25", k.value());
        assertEquals("peer2", k.peer());
        assertEquals(Confidence.HIGH, k.confidence());
        assertEquals(List.of("[Peer]", "# peer1", "PersistentKeepalive = 25"), AdviceWords.lines(k));
        assertTrue(k.evidence().stream().anyMatch(c -> AdviceWords.fact(c.what()).contains("203.0.113.7:40001")), k.evidence().toString());
        String cost = AdviceWords.cost(k.cost());
        assertTrue(cost.contains("144 keepalives per hour"), cost);
        assertTrue(cost.contains("207.4 kB per day"), cost); // 86400 / 25 x (32 + 8 + 20) = 207 360 bytes
    }

    @Test
    void shouldStayBelowAShortTimeoutWithTwentyPercentMargin() {
        // Lost within 15 s, kept through 10 s: 0.8 x 10 = 8.
        Tunnel t = tunnel(CLIENT, List.of(), List.of(), bracket(10.0, 15.0, RefreshModel.EITHER));
        Recommendation k = only(Advisor.advise(analysis(t)), Attribute.PERSISTENT_KEEPALIVE);
        assertEquals("8", k.value());
        assertEquals(Confidence.HIGH, k.confidence());
    }

    @Test
    void shouldHalveTheUpperBoundWithLowConfidenceWhenNoSurvivalWasSeen() {
        // The lab's preserve-into-gap: a 15 s NAT found dead within 20 s, no survived gap. The timeout may
        // be anywhere below 20 s; 16 s (80 %) would outlive it, half of 20 does not.
        Tunnel t = tunnel(CLIENT, List.of(), List.of(), bracket(null, 20.0, RefreshModel.OUTBOUND_ONLY));
        Recommendation k = only(Advisor.advise(analysis(t)), Attribute.PERSISTENT_KEEPALIVE);
        assertTrue(Integer.parseInt(k.value()) < 15, k.value());
        assertEquals(Confidence.LOW, k.confidence());
    }

    @Test
    void shouldRecommendNoKeepaliveWhenNothingShowsANat() {
        Peer publicClient = new Peer("peer2", null, List.of(Endpoint.parse("203.0.113.7:51820")), dev.wgdiag.timeline.Role.CLIENT);
        MappingTimeout none = new MappingTimeout(false, null, null, RefreshModel.NOT_OBSERVED, "peer2", Viewpoint.OUTSIDE,
                new Bracket(null, null, true), new Bracket(null, null, true), 0, 0, List.of(),
                new dev.wgdiag.timeline.MappingNote(RefreshModel.NOT_OBSERVED, List.of()));
        Advice a = Advisor.advise(analysis(tunnel(publicClient, List.of(), List.of(), none)));
        assertTrue(a.tunnels().get(0).recommendations().isEmpty(), a.toString());
        assertTrue(AdviceWords.note(a.tunnels().get(0).notes().get(0)).startsWith("PersistentKeepalive not needed"), a.toString());
        assertTrue(a.verdict().stable(), AdviceWords.verdict(a.verdict()));
    }

    @Test
    void shouldCallATunnelWhoseMappingExpiredUnstable() {
        Verdict v = Advisor.advise(analysis(rebindingAfter65s())).verdict();
        assertFalse(v.stable());
        String sentence = AdviceWords.verdict(v);
        assertTrue(sentence.startsWith("Unstable: the NAT in front of peer2 forgot the tunnel after 40 to 65 s of silence"), sentence);
        assertEquals(List.of(Problem.MAPPING_EXPIRED), v.problems());
    }

    @Test
    void shouldNeverMakeARecommendationWithoutEvidence() {
        try {
            new Recommendation(Attribute.MTU, "peer1", "1280", new Why.Fragmented(1280), Confidence.LOW, List.of(),
                    ConfigPlace.iface(new PeerRef("peer1", null)), null);
        } catch (IllegalArgumentException expected) {
            return;
        }
        throw new AssertionError("a recommendation without evidence was accepted");
    }
}
