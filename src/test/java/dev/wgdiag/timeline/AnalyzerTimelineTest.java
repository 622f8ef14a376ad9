package dev.wgdiag.timeline;

import dev.wgdiag.net.Endpoint;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Synthetic timelines built from the timer rules (whitepaper 6; wireguard-go device/timers.go), fed
 * through the real decoder. The truth is the scenario each test scripts, not the analyzer's output.
 */
class AnalyzerTimelineTest {
    private static final Endpoint SERVER = Endpoint.parse("198.51.100.2:51820");
    private static final Endpoint CLIENT = Endpoint.parse("198.51.100.1:27403");
    private static final Endpoint CLIENT_REBOUND = Endpoint.parse("198.51.100.1:40001");
    private static final Endpoint CLIENT_ROAMED = Endpoint.parse("203.0.113.9:5000");
    private static final int CI = 0x11111111; // client's index (initiator)
    private static final int SR = 0x22222222; // server's index (responder)

    private final Analyzer analyzer = new Analyzer();
    private final Wire wire = new Wire(analyzer);
    private long toClient;
    private long toServer;

    private void clientHandshake(double t, int ci, int sr) {
        wire.initiation(t, CLIENT, SERVER, ci);
        wire.response(t + 0.001, SERVER, CLIENT, sr, ci);
        toClient = 0;
        toServer = 0;
    }

    private Tunnel only() {
        Analysis a = analyzer.finish();
        assertEquals(1, a.tunnels().size());
        return a.tunnels().get(0);
    }

    private String id(Tunnel t, String endpoint) {
        for (Peer p : t.peers()) if (p.endpoints().contains(Endpoint.parse(endpoint))) return p.id();
        throw new AssertionError("no peer at " + endpoint);
    }

    @Test
    void shouldCallRekeyBySameInitiatorNotASwap() {
        clientHandshake(0, CI, SR);
        // Data both ways every second; the initiator rekeys at REKEY_AFTER_TIME (120 s).
        for (int s = 1; s <= 130; s++) {
            if (s == 121) clientHandshake(120.5, CI + 1, SR + 1);
            wire.transport(s, CLIENT, SERVER, s > 120 ? SR + 1 : SR, toServer++, false);
            wire.transport(s + 0.01, SERVER, CLIENT, s > 120 ? CI + 1 : CI, toClient++, false);
        }
        Tunnel t = only();
        assertEquals(2, t.handshakes().size());
        assertEquals(HandshakeTrigger.REKEY, t.handshakes().get(1).trigger());
        assertEquals(id(t, CLIENT.toString()), t.handshakes().get(1).initiator());
        assertEquals(List.of(), t.initiatorSwaps());
        assertEquals(2, t.sessions());
    }

    @Test
    void shouldExplainSwapAfterDataWithNoReply() {
        clientHandshake(0, CI, SR);
        wire.transport(0.002, CLIENT, SERVER, SR, toServer++, true);
        // The server sends data at 50 s; the client stays silent; 15 s + jitter later the server initiates.
        wire.transport(50, SERVER, CLIENT, CI, toClient++, false);
        wire.transport(52, SERVER, CLIENT, CI, toClient++, false);
        wire.initiation(65.2, SERVER, CLIENT, 0x33333333);
        wire.response(65.21, CLIENT, SERVER, 0x44444444, 0x33333333);
        Tunnel t = only();
        assertEquals(1, t.initiatorSwaps().size());
        InitiatorSwap swap = t.initiatorSwaps().get(0);
        assertEquals(id(t, SERVER.toString()), swap.newInitiator());
        assertEquals(SwapCause.NO_REPLY_AFTER_DATA, swap.cause());
        assertEquals(Wire.at(65.2), swap.time().nanos());
    }

    @Test
    void shouldExplainSwapWhenResponderKeypairExpired() {
        clientHandshake(0, CI, SR);
        wire.transport(0.002, CLIENT, SERVER, SR, toServer++, true);
        // Server persistent keepalive 25 s, client silent: at 200 s the server's keypair is past 180 s.
        for (int k = 1; k <= 7; k++) wire.transport(25.0 * k, SERVER, CLIENT, CI, toClient++, true);
        wire.initiation(200, SERVER, CLIENT, 0x33333333);
        wire.response(200.001, CLIENT, SERVER, 0x44444444, 0x33333333);
        Tunnel t = only();
        assertEquals(1, t.initiatorSwaps().size());
        assertEquals(SwapCause.SESSION_EXPIRED, t.initiatorSwaps().get(0).cause());
        assertEquals(25.0, t.persistentKeepaliveSeconds().get(id(t, SERVER.toString())), 0.5);
    }

    @Test
    void shouldCountRetriesAndGiveUp() {
        clientHandshake(0, CI, SR);
        wire.transport(0.002, CLIENT, SERVER, SR, toServer++, true);
        // The server initiates 19 times, REKEY_TIMEOUT + jitter apart, with no answer: given up after ~90 s.
        double t0 = 300;
        for (int i = 0; i < 19; i++) wire.initiation(t0 + i * 5.2, SERVER, CLIENT, 0x50000000 + i);
        Tunnel t = only();
        Handshake h = t.handshakes().get(1);
        assertFalse(h.responded());
        assertEquals(18, h.retries());
        assertTrue(h.gaveUp());
    }

    @Test
    void shouldReportCookieRepliesAndMac2() {
        wire.initiation(0, CLIENT, SERVER, CI, false);
        wire.cookie(0.001, SERVER, CLIENT, CI);
        wire.initiation(5.1, CLIENT, SERVER, CI + 1, true);
        wire.response(5.102, SERVER, CLIENT, SR, CI + 1);
        Tunnel t = only();
        Handshake h = t.handshakes().get(0);
        assertEquals(1, h.cookieReplies());
        assertTrue(h.mac2());
        assertEquals(1, h.retries());
        assertEquals(0.002, h.rttSeconds(), 1e-6);
    }

    @Test
    void shouldBracketTimeoutWhenClientRebinds() {
        // NAT timeout 30 s: gaps of 20 s survive, a gap of 45 s ends with a new port.
        clientHandshake(0, CI, SR);
        double t = 0;
        for (int i = 0; i < 5; i++) {
            t += 20;
            wire.transport(t, CLIENT, SERVER, SR, toServer++, true);
        }
        t += 45;
        wire.transport(t, CLIENT_REBOUND, SERVER, SR, toServer++, false);
        wire.transport(t + 0.01, SERVER, CLIENT_REBOUND, CI, toClient++, false);
        Tunnel tn = only();
        MappingTimeout m = tn.natMappingTimeout();
        assertTrue(m.observed());
        assertEquals(20.0, m.lowerSeconds(), 1e-6);
        assertEquals(45.0, m.upperSeconds(), 1e-6);
        assertEquals(id(tn, CLIENT.toString()), m.peer());
        assertEquals(1, tn.endpointChanges().size());
        EndpointChange c = tn.endpointChanges().get(0);
        assertEquals(ChangeKind.NAT_REBINDING, c.kind());
        assertEquals(CLIENT.toString(), c.from().toString());
        assertEquals(CLIENT_REBOUND.toString(), c.to().toString());
        assertEquals(45.0, c.idleSeconds(), 1e-6);
    }

    @Test
    void shouldTightenUpperBoundWithUnansweredInitiationsIntoDeadMapping() {
        clientHandshake(0, CI, SR);
        wire.transport(10, CLIENT, SERVER, SR, toServer++, false);
        // Client silent from 10 s. Server data at 70 s, then initiations every 5 s from 85 s; client back at 120 s from a new port.
        wire.transport(70, SERVER, CLIENT, CI, toClient++, false);
        for (int i = 0; i < 6; i++) wire.initiation(85 + 5.1 * i, SERVER, CLIENT, 0x60000000 + i);
        wire.initiation(120, CLIENT_REBOUND, SERVER, 0x70000000);
        wire.response(120.001, SERVER, CLIENT_REBOUND, 0x70000001, 0x70000000);
        MappingTimeout m = only().natMappingTimeout();
        // The mapping was dead when the data at 70 s went unanswered: 60 s after the client's last packet.
        assertEquals(60.0, m.upperSeconds(), 1e-6);
        IdleGap gap = only().idleGaps().stream().filter(g -> g.outcome() == GapOutcome.EXPIRED).findFirst().orElseThrow();
        assertEquals(7, gap.packetsIntoGap());
        assertEquals(6, gap.initiationsIntoGap());
    }

    @Test
    void shouldSayNotObservedWithoutIdleGaps() {
        clientHandshake(0, CI, SR);
        for (int s = 1; s < 30; s++) wire.transport(s, CLIENT, SERVER, SR, toServer++, false);
        MappingTimeout m = only().natMappingTimeout();
        assertFalse(m.observed());
        assertNull(m.lowerSeconds());
        assertNull(m.upperSeconds());
    }

    @Test
    void shouldClassifyNewAddressAsRoamingAndNotAsEvidence() {
        clientHandshake(0, CI, SR);
        wire.transport(1, CLIENT, SERVER, SR, toServer++, false);
        wire.transport(60, CLIENT_ROAMED, SERVER, SR, toServer++, false);
        Tunnel t = only();
        assertEquals(ChangeKind.ROAMING, t.endpointChanges().get(0).kind());
        assertEquals(0, t.natMappingTimeout().expiredGaps());
        assertEquals(2, t.peers().size());
    }

    @Test
    void shouldTellPassiveKeepalivesFromPersistentOnes() {
        clientHandshake(0, CI, SR);
        wire.transport(0.002, CLIENT, SERVER, SR, toServer++, true); // confirmation
        // Server data at 5 s, client answers with a passive keepalive 10 s later.
        wire.transport(5, SERVER, CLIENT, CI, toClient++, false);
        wire.transport(15.01, CLIENT, SERVER, SR, toServer++, true);
        // Then the client's persistent keepalive every 15 s.
        for (int k = 1; k <= 6; k++) wire.transport(15.01 + 15 * k, CLIENT, SERVER, SR, toServer++, true);
        Tunnel t = only();
        String client = id(t, CLIENT.toString());
        KeepaliveStats ks = t.keepalives().stream().filter(k -> k.peer().equals(client)).findFirst().orElseThrow();
        assertEquals(1, ks.confirmation());
        assertEquals(1, ks.passive());
        assertEquals(6, ks.persistent());
        assertEquals(15.0, t.persistentKeepaliveSeconds().get(client), 0.5);
        assertNull(t.persistentKeepaliveSeconds().get(id(t, SERVER.toString())));
    }

    @Test
    void shouldCountLossAndReorderingFromCounterGaps() {
        clientHandshake(0, CI, SR);
        // Counters 0..1000 sent; every 10th (9, 19, ... 999) lost before the capture point; 500 and 501 swapped.
        for (int c = 0; c <= 1000; c++) {
            if (c % 10 == 9) continue;
            long counter = c == 500 ? 501 : c == 501 ? 500 : c;
            wire.transport(1 + c * 0.001, CLIENT, SERVER, SR, counter, false);
        }
        Tunnel t = only();
        Loss l = t.lossTotals().stream().filter(x -> x.from().equals(id(t, CLIENT.toString()))).findFirst().orElseThrow();
        assertEquals(1001, l.sent());
        assertEquals(100, l.missing());
        assertEquals(9.99, l.percent(), 1e-9);
        assertEquals(1, l.reordered());
    }

    @Test
    void shouldFollowATunnelWhenCaptureStartsMidSession() {
        List<Event> events = new ArrayList<>();
        Analyzer a = new Analyzer(AnalyzerOptions.builder().listener(events::add).build());
        Wire w = new Wire(a);
        for (int c = 0; c < 20; c++) {
            w.transport(c, CLIENT, SERVER, SR, 1000 + c, false);
            w.transport(c + 0.5, SERVER, CLIENT, CI, 700 + c, false);
        }
        w.initiation(30, CLIENT, SERVER, CI + 7);
        w.response(30.001, SERVER, CLIENT, SR + 7, CI + 7);
        Analysis an = a.finish();
        assertEquals(1, an.tunnels().size());
        Tunnel t = an.tunnels().get(0);
        assertEquals(2, t.sessions());
        assertEquals(List.of(), t.initiatorSwaps());
        assertEquals(2, t.loss().size());
        assertTrue(events.stream().anyMatch(e -> e.kind() == Event.Kind.HANDSHAKE));
        assertNotNull(an.summary().start());
    }

    @Test
    void shouldKeepTwoClientsBehindOneCgnatAddressApart() {
        clientHandshake(0, CI, SR);
        for (int s = 1; s <= 20; s++) {
            wire.transport(s, CLIENT, SERVER, SR, toServer++, false);
            wire.transport(s + 0.01, SERVER, CLIENT, CI, toClient++, false);
        }
        // A second phone behind the same carrier NAT address starts its own tunnel while the first is busy.
        wire.initiation(10.5, CLIENT_REBOUND, SERVER, CI + 7);
        wire.response(10.501, SERVER, CLIENT_REBOUND, SR + 7, CI + 7);
        Analysis a = analyzer.finish();
        assertEquals(2, a.tunnels().size());
        assertEquals(List.of(), a.tunnels().get(0).endpointChanges());
    }

    @Test
    void shouldExplainSwapInsideTheNatByTheResponderDataThatNeverArrived() {
        Endpoint inside = Endpoint.parse("100.64.0.2:41000");
        wire.initiation(0, inside, SERVER, CI);
        wire.response(0.001, SERVER, inside, SR, CI);
        wire.transport(0.002, inside, SERVER, SR, 0, true);
        wire.transport(1, inside, SERVER, SR, 1, false);
        wire.transport(1.001, SERVER, inside, CI, 0, false);
        // The mapping died; the server's counters 1..27 were dropped by the NAT. The client speaks again at 58.
        wire.transport(58, inside, SERVER, SR, 2, false);
        wire.transport(58.001, SERVER, inside, CI, 28, false);
        wire.initiation(61, SERVER, inside, SR + 1);
        wire.response(61.001, inside, SERVER, CI + 1, SR + 1);
        Tunnel t = only();
        assertEquals(1, t.initiatorSwaps().size());
        assertEquals(id(t, SERVER.toString()), t.initiatorSwaps().get(0).newInitiator());
        assertEquals(SwapCause.NO_REPLY_AFTER_DATA, t.initiatorSwaps().get(0).cause());
    }

    @Test
    void shouldNotTakeASameEndpointReturnAsSurvivalBehindAPortPreservingNat() {
        Endpoint fixed = Endpoint.parse("198.51.100.1:51820");
        wire.initiation(0, fixed, SERVER, CI);
        wire.response(0.001, SERVER, fixed, SR, CI);
        wire.transport(0.002, fixed, SERVER, SR, 0, true);
        wire.transport(1, fixed, SERVER, SR, 1, false);
        // Back after 40 s from the same public port: a port-preserving NAT hands the old port to a new mapping.
        wire.transport(41, fixed, SERVER, SR, 2, false);
        MappingTimeout m = only().natMappingTimeout();
        assertFalse(m.observed());
        assertNull(m.lowerSeconds());
    }
}
