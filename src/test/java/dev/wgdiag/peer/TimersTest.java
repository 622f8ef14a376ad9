package dev.wgdiag.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wgdiag.peer.PeerEvent.Cause;
import dev.wgdiag.peer.PeerEvent.Kind;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The timers of whitepaper section 6 on a virtual clock, with the expectations wireguard-go's
 * device/timers.go, send.go and receive.go give (constants from device/constants.go): each test names
 * the rule. Ticks are 10 ms unless said otherwise, so times are checked to within one tick; jitter is
 * 0..333 ms (fastrandn(334)).
 */
class TimersTest extends TwoPeers {
    static final double TICK = 0.010;
    static final double JITTER = 0.333;

    @Test
    void shouldSendAPassiveKeepaliveTenSecondsAfterReceivingDataWhenItHasNothingToSend() {
        configure(0, 0);
        client.send(pingToServer(1));
        long t1 = net.now;
        net.advance(12 * S);
        List<PeerEvent> keepalives = server.events(Kind.KEEPALIVE_SENT);
        assertEquals(1, keepalives.size());
        assertEquals(Cause.PASSIVE_KEEPALIVE, keepalives.get(0).cause());
        double at = secondsAfter(t1, keepalives.get(0));
        assertTrue(at >= 10 && at <= 10 + TICK, "passive keepalive at " + at + " s");
        assertEquals(1, client.events(Kind.HANDSHAKE_SENT).size(), "the keepalive answered the client's data: no new handshake");
    }

    @Test
    void shouldLetTheResponderInitiateFifteenSecondsAfterItsDataWentUnanswered() {
        configure(0, 0);
        client.send(pingToServer(1));
        net.drop = d -> d.from().equals(client.address); // the phone's packets no longer arrive
        server.send(pingToClient(1));
        long t1 = net.now;
        net.advance(15_500 * MS);
        net.drop = d -> false;
        net.advance(10 * S);
        List<PeerEvent> sent = server.events(Kind.HANDSHAKE_SENT);
        assertEquals(Cause.NO_REPLY_AFTER_DATA, sent.get(0).cause());
        double at = secondsAfter(t1, sent.get(0));
        assertTrue(at >= 15 && at <= 15 + JITTER + TICK, "KEEPALIVE_TIMEOUT + REKEY_TIMEOUT + jitter, got " + at + " s");
        assertEquals(Cause.RETRY, sent.get(1).cause());
        assertEquals(PeerStatus.Role.INITIATOR, server.status(client).role(), "the initiator swapped");
        assertEquals(PeerStatus.Role.RESPONDER, client.status(server).role());
    }

    @Test
    void shouldRekeyAfter120SecondsByTheSameInitiatorWhileTrafficFlows() {
        configure(0, 0);
        client.send(pingToServer(0));
        long t0 = client.events(Kind.HANDSHAKE_ANSWERED).get(0).nanos();
        for (int i = 1; i <= 130; i++) {
            net.advance(S);
            client.send(pingToServer(i));
            server.send(pingToClient(i));
        }
        List<PeerEvent> sent = client.events(Kind.HANDSHAKE_SENT);
        assertEquals(2, sent.size());
        assertEquals(Cause.REKEY_AFTER_TIME, sent.get(1).cause());
        double at = secondsAfter(t0, sent.get(1));
        assertTrue(at > 120 && at <= 121, "first send after REKEY_AFTER_TIME, got " + at + " s");
        assertEquals(0, server.events(Kind.HANDSHAKE_SENT).size(), "no swap: the responder never initiates");
        assertEquals(PeerStatus.Role.INITIATOR, client.status(server).role());
        assertEquals(131, server.delivered.size(), "no ping lost across the rekey");
        assertEquals(130, client.delivered.size());
    }

    /**
     * timers.go expiredRetransmitHandshake: a retry while handshakeAttempts <= MaxTimerHandshakes (18),
     * so the first initiation and 19 retries (wireguard-go logs "after 20 attempts"), then give up at
     * the 20th expiry: 20 x (REKEY_TIMEOUT + 0..333 ms) after the first, i.e. 100 to 106.7 s.
     */
    @Test
    void shouldRetryNineteenTimesThenGiveUpAndDropStagedPackets() {
        configure(0, 0);
        net.rebind(server, new java.net.InetSocketAddress(SimNet.addr("198.51.100.2"), 51820)); // black hole
        client.send(pingToServer(1));
        long t0 = net.now;
        net.advance(110 * S);
        List<PeerEvent> sent = client.events(Kind.HANDSHAKE_SENT);
        assertEquals(20, sent.size());
        assertEquals(Cause.DATA_QUEUED, sent.get(0).cause());
        for (int i = 1; i < 20; i++) {
            assertEquals(Cause.RETRY, sent.get(i).cause());
            assertEquals(i + 1, sent.get(i).count());
            double gap = (sent.get(i).nanos() - sent.get(i - 1).nanos()) / 1e9;
            assertTrue(gap >= 5 && gap <= 5 + JITTER + TICK, "retry gap " + gap);
        }
        List<PeerEvent> gaveUp = client.events(Kind.HANDSHAKE_GIVEN_UP);
        assertEquals(1, gaveUp.size());
        double at = secondsAfter(t0, gaveUp.get(0));
        assertTrue(at >= 100 && at <= 20 * (5 + JITTER + TICK), "gave up at " + at + " s");
        assertEquals(0, client.status(server).stagedPackets());
    }

    @Test
    void shouldRefuseTransportOnASessionOlderThan180SecondsAndReinitiateToSend() {
        configure(0, 0);
        client.send(pingToServer(0));
        long created = net.now;
        net.drop = d -> true;
        client.send(pingToServer(1));
        client.send(pingToServer(2));
        List<SimNet.Datagram> held = net.dropped.stream().filter(d -> d.bytes()[0] == 4).toList();
        assertEquals(2, held.size());
        net.advance(179_900 * MS, 100 * MS);
        byte[] early = held.get(0).bytes();
        server.handle(server.wg.onDatagram(early, 0, early.length, client.address, net.now));
        assertEquals(2, server.delivered.size(), "accepted just before REJECT_AFTER_TIME");
        net.advance(180 * S + MS - (net.now - created), MS);
        byte[] late = held.get(1).bytes();
        server.handle(server.wg.onDatagram(late, 0, late.length, client.address, net.now));
        assertEquals(2, server.delivered.size());
        PeerEvent rejected = server.events(Kind.DATAGRAM_REJECTED).get(0);
        assertEquals(Cause.KEYPAIR_EXPIRED, rejected.cause());
        server.send(pingToClient(3));
        PeerEvent sent = server.events(Kind.HANDSHAKE_SENT).get(0);
        assertEquals(Cause.SESSION_EXPIRED, sent.cause(), "a responder with an expired session initiates to send");
    }

    @Test
    void shouldSendAPersistentKeepaliveEveryKSecondsOfSilence() {
        configure(25, 0);
        List<PeerEvent> hs = client.events(Kind.HANDSHAKE_SENT);
        assertEquals(Cause.STARTUP, hs.get(0).cause(), "PersistentKeepalive at start-up starts a handshake");
        long t0 = net.now;
        net.advance(80 * S);
        List<PeerEvent> keepalives = client.events(Kind.KEEPALIVE_SENT);
        assertEquals(4, keepalives.size());
        for (int i = 0; i < 4; i++) {
            assertEquals(Cause.PERSISTENT_KEEPALIVE, keepalives.get(i).cause());
            double at = secondsAfter(t0, keepalives.get(i));
            assertTrue(at >= 25 * i && at <= 25 * i + (i + 1) * TICK, "keepalive " + i + " at " + at + " s");
        }
        assertEquals(0, server.events(Kind.KEEPALIVE_SENT).size(), "keepalives are not data: no passive keepalive back");
    }

    @Test
    void shouldRekeyOnceOnReceiveWhenTheInitiatorsSessionPasses165Seconds() {
        configure(0, 10);
        client.handle(client.wg.connect(server.publicKey(), net.now));
        net.pump();
        long t0 = client.events(Kind.HANDSHAKE_ANSWERED).get(0).nanos();
        net.advance(178 * S, 100 * MS);
        List<PeerEvent> sent = client.events(Kind.HANDSHAKE_SENT);
        assertEquals(2, sent.size());
        assertEquals(Cause.STARTUP, sent.get(0).cause());
        assertEquals(Cause.REKEY_ON_RECEIVE, sent.get(1).cause());
        double at = secondsAfter(t0, sent.get(1));
        assertTrue(at > 165 && at <= 171, "REJECT_AFTER_TIME - KEEPALIVE_TIMEOUT - REKEY_TIMEOUT, at the next receive: " + at);
        assertEquals(0, server.events(Kind.HANDSHAKE_SENT).size());
    }

    @Test
    void shouldZeroAllKeysThreeRejectAfterTimesAfterTheLastSession() {
        configure(0, 0);
        client.send(pingToServer(1));
        long t0 = net.now;
        byte[] stale = client.sentOfType(4).get(0).bytes();
        net.advance(541 * S, 100 * MS);
        List<PeerEvent> zeroed = client.events(Kind.KEYS_ZEROED);
        assertEquals(1, zeroed.size());
        double at = secondsAfter(t0, zeroed.get(0));
        assertTrue(at >= 540 && at <= 540.1, "3 x REJECT_AFTER_TIME, got " + at);
        assertEquals(1, server.events(Kind.KEYS_ZEROED).size());
        server.handle(server.wg.onDatagram(stale, 0, stale.length, client.address, net.now));
        assertEquals(Cause.UNKNOWN_INDEX, server.events(Kind.DATAGRAM_REJECTED).get(0).cause(), "no index survives");
        assertEquals(PeerStatus.Role.NONE, client.status(server).role());
        assertEquals(0, client.wg.indices.size(), "the client's index table is empty");
    }
}
