package dev.wgdiag.peer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wgdiag.crypto.HandshakeInitiator;
import dev.wgdiag.crypto.Mac1;
import dev.wgdiag.crypto.PresharedKey;
import dev.wgdiag.crypto.PrivateKey;
import dev.wgdiag.crypto.Tai64n;
import dev.wgdiag.peer.PeerEvent.Cause;
import dev.wgdiag.peer.PeerEvent.Kind;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * What the interface refuses, and how (whitepaper 5.1 and 5.3, wireguard-go receive.go and
 * noise-protocol.go): replayed and flooding initiations, bad mac1, replayed transport, disallowed inner
 * sources; the cookie path under load; roaming. Each refusal is checked by its event cause and by the
 * absence of an answer.
 */
class DefencesTest extends TwoPeers {
    final SplittableRandom random = new SplittableRandom(99);

    void deliver(SimNet.Node to, byte[] msg, InetSocketAddress from) {
        to.handle(to.wg.onDatagram(msg, 0, msg.length, from, net.now));
        net.pump();
    }

    Cause lastRejection(SimNet.Node n) {
        List<PeerEvent> r = n.events(Kind.DATAGRAM_REJECTED);
        return r.isEmpty() ? null : r.get(r.size() - 1).cause();
    }

    @Test
    void shouldIgnoreAReplayedInitiation() {
        configure(0, 0);
        client.send(pingToServer(1));
        byte[] init = client.sentOfType(1).get(0).bytes();
        net.advance(S);
        int responses = server.sentOfType(2).size();
        deliver(server, init, client.address);
        assertEquals(Cause.STALE_TIMESTAMP, lastRejection(server));
        assertEquals(responses, server.sentOfType(2).size(), "no response to a replay");
        assertEquals(PeerStatus.Role.INITIATOR, client.status(server).role(), "the session survives");
    }

    @Test
    void shouldConsumeAtMostOneInitiationPerPeerPer20Milliseconds() throws Exception {
        configure(0, 0);
        long[] t = {net.now};
        HandshakeInitiator forger = new HandshakeInitiator(client.key, server.publicKey(), PresharedKey.NONE,
                () -> PrivateKey.generate(new SecureRandom()), () -> Tai64n.whitened(Instant.ofEpochSecond(0, t[0])));
        byte[] first = forger.createInitiation(1);
        t[0] += S;
        byte[] second = forger.createInitiation(2);
        deliver(server, first, client.address);
        net.now += 20 * MS; // HandshakeInitationRate: "<= 20 ms" is a flood
        deliver(server, second, client.address);
        assertEquals(Cause.INITIATION_FLOOD, lastRejection(server));
        assertEquals(1, server.sentOfType(2).size());
    }

    @Test
    void shouldNeverAnswerADatagramWithABadMac1() {
        configure(0, 0);
        client.send(pingToServer(1));
        byte[] init = client.sentOfType(1).get(0).bytes().clone();
        init[120] ^= 1;
        int sent = server.sent.size();
        deliver(server, init, new InetSocketAddress(SimNet.addr("203.0.113.5"), 9));
        assertEquals(Cause.BAD_MAC1, lastRejection(server));
        assertEquals(sent, server.sent.size());
    }

    @Test
    void shouldAnswerNothingToAnInitiationFromAnUnknownKey() throws Exception {
        configure(0, 0);
        PrivateKey stranger = PrivateKey.generate(new SecureRandom());
        byte[] init = new HandshakeInitiator(stranger, server.publicKey(), PresharedKey.NONE).createInitiation(7);
        deliver(server, init, new InetSocketAddress(SimNet.addr("203.0.113.5"), 9));
        assertEquals(Cause.UNKNOWN_PEER, lastRejection(server));
        assertEquals(0, server.sent.size());
    }

    @Test
    void shouldDeliverATransportMessageOnceAndRefuseItsReplay() {
        configure(0, 0);
        client.send(pingToServer(1));
        byte[] data = client.sentOfType(4).get(0).bytes();
        deliver(server, data, client.address);
        assertEquals(Cause.REPLAYED_COUNTER, lastRejection(server));
        assertEquals(1, server.delivered.size());
    }

    @Test
    void shouldDropInnerPacketsWhoseSourceIsNotInThePeersAllowedIps() {
        configure(0, 0);
        client.send(SimNet.ping4("10.0.0.99", "10.0.0.1", 1, 8));
        assertEquals(Cause.NOT_ALLOWED_SOURCE, lastRejection(server));
        assertEquals(0, server.delivered.size());
        client.send(SimNet.ipv6("fd00::2", "fd00::1", 8));
        assertEquals(1, server.delivered.size(), "the same session carries allowed sources");
    }

    @Test
    void shouldFollowTheClientToItsNewAddressAfterANatRebinding() {
        configure(0, 0);
        client.send(pingToServer(1));
        InetSocketAddress moved = new InetSocketAddress(SimNet.addr("192.0.2.77"), 61000);
        net.rebind(client, moved);
        net.advance(S);
        client.send(pingToServer(2));
        PeerEvent changed = server.events(Kind.ENDPOINT_CHANGED).get(1);
        assertEquals(moved, changed.endpoint());
        assertEquals(moved, server.status(client).endpoint());
        server.send(pingToClient(2));
        assertEquals(1, client.delivered.size(), "the reply reached the new address");
        assertEquals(1, server.events(Kind.HANDSHAKE_RESPONDED).size(), "no new handshake was needed");
    }

    /** A 148-byte initiation of random content with a valid mac1: costs the responder a DH unless under load. */
    byte[] floodInitiation() {
        byte[] m = new byte[148];
        random.nextBytes(m);
        m[0] = 1;
        m[1] = 0;
        m[2] = 0;
        m[3] = 0;
        Mac1.write(m, 0, m.length, server.publicKey());
        java.util.Arrays.fill(m, 132, 148, (byte) 0);
        return m;
    }

    /**
     * Under a flood of valid-mac1 initiations from many sources, the server answers with cookie replies
     * (64 bytes, never more than the 148 received) instead of doing Diffie-Hellman, and the real phone
     * still gets through: its initiation gets a cookie reply, its next retry carries mac2 for its
     * address, passes the rate limiter, and completes (whitepaper 5.3; receive.go RoutineHandshake).
     */
    @Test
    void shouldAnswerAFloodWithCookiesAndStillCompleteALegitimateHandshakeWithMac2() {
        configure(0, 0);
        long floodCount = 0;
        for (int i = 0; i < 200; i++, floodCount++) {
            deliver(server, floodInitiation(), new InetSocketAddress(SimNet.addr("203.0.113." + (1 + i % 250)), 1024 + i));
        }
        client.send(pingToServer(1));
        assertEquals(1, client.events(Kind.COOKIE_REPLY_RECEIVED).size(), "the phone got a cookie reply");
        assertEquals(0, server.sentOfType(2).size(), "no response under load without mac2");
        for (int step = 0; step < 80; step++) {
            for (int i = 0; i < 150; i++, floodCount++) {
                deliver(server, floodInitiation(), new InetSocketAddress(SimNet.addr("203.0.113." + (1 + i % 250)), 2000 + i));
            }
            net.advance(100 * MS);
        }
        List<PeerEvent> sent = client.events(Kind.HANDSHAKE_SENT);
        assertEquals(Cause.COOKIE, sent.get(1).cause(), "the retry carried mac2");
        assertEquals(1, client.events(Kind.HANDSHAKE_ANSWERED).size());
        assertArrayEquals(pingToServer(1), server.delivered.get(0));
        long cookieReplies = server.sentOfType(3).size();
        assertTrue(cookieReplies >= floodCount - 128, "cookie replies " + cookieReplies + " of " + floodCount);
        for (SimNet.Datagram d : server.sent) {
            if (!d.to().equals(client.address)) {
                assertEquals(64, d.bytes().length, "only cookie replies go to flood sources");
            }
        }
        long reported = server.events(Kind.COOKIE_REPLY_SENT).stream().mapToLong(PeerEvent::count).sum();
        long events = server.events(Kind.COOKIE_REPLY_SENT).size();
        assertTrue(events <= 10 * 10 + 20, "events bounded: " + events);
        assertTrue(reported <= cookieReplies && reported >= cookieReplies - 10 * 150, "counts add up: " + reported);
    }
}
