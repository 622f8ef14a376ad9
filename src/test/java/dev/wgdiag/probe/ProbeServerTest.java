package dev.wgdiag.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wgdiag.config.IpPrefix;
import dev.wgdiag.crypto.PresharedKey;
import dev.wgdiag.crypto.PrivateKey;
import dev.wgdiag.peer.Action;
import dev.wgdiag.peer.InterfaceSpec;
import dev.wgdiag.peer.PeerSpec;
import dev.wgdiag.peer.WgInterface;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link ProbeServer} is no reflector: initiations from a key not in its config, and a valid
 * initiation replayed from another (forged) source, get nothing; a configured peer gets its response.
 * The initiations are made by the reference peer's own initiator, which interoperates with wireguard-go.
 */
class ProbeServerTest {
    private final SecureRandom random = new SecureRandom();
    private final PrivateKey serverKey = PrivateKey.generate(random);
    private final PrivateKey known = PrivateKey.generate(random);
    private final InetSocketAddress serverAt = new InetSocketAddress("192.0.2.1", 51820);
    private final ProbeServer server = new ProbeServer(new InterfaceSpec(serverKey,
            List.of(new PeerSpec("phone", known.publicKey(), PresharedKey.NONE, null, List.of(IpPrefix.parse("10.0.0.2/32")), 0))), random);

    private byte[] initiationFrom(PrivateKey key, long now) {
        WgInterface c = new WgInterface(new InterfaceSpec(key, List.of(new PeerSpec("server", serverKey.publicKey(), PresharedKey.NONE,
                serverAt, List.of(IpPrefix.parse("10.0.0.0/24")), 0))), random);
        for (Action a : c.connect(serverKey.publicKey(), now)) {
            if (a instanceof Action.SendDatagram s) return s.bytes();
        }
        throw new AssertionError("no initiation");
    }

    @Test
    void shouldNeverAnswerAnInitiationFromAKeyNotInItsConfig() {
        long now = 1_800_000_000_000_000_000L;
        for (int i = 0; i < 20; i++) {
            byte[] forged = initiationFrom(PrivateKey.generate(random), now + i);
            List<ProbeServer.Send> out = server.onDatagram(51820, forged, 0, forged.length, new InetSocketAddress("198.51.100.7", 40000 + i), now + i);
            assertEquals(List.of(), out);
        }
        assertEquals(0, server.flows(), "no state kept for unauthenticated senders");
        assertEquals(List.of(), server.onTick(now + 10_000_000_000L));
    }

    @Test
    void shouldAnswerAConfiguredPeerOnceAndIgnoreItsInitiationReplayedFromAnotherSource() {
        long now = 1_800_000_000_000_000_000L;
        byte[] init = initiationFrom(known, now);
        InetSocketAddress phone = new InetSocketAddress("198.51.100.7", 40000);
        List<ProbeServer.Send> out = server.onDatagram(51820, init, 0, init.length, phone, now);
        assertEquals(1, out.size(), "one handshake response");
        assertEquals(phone, out.get(0).to());
        InetSocketAddress forged = new InetSocketAddress("203.0.113.9", 9999);
        assertEquals(List.of(), server.onDatagram(51820, init, 0, init.length, forged, now + 1_000_000));
        assertEquals(1, server.flows());
    }

    @Test
    void shouldIgnoreAnythingButAnInitiationFromAnUnknownSource() {
        byte[] junk = new byte[148];
        junk[0] = 4;
        assertEquals(List.of(), server.onDatagram(51820, junk, 0, junk.length, new InetSocketAddress("198.51.100.7", 1), 0));
        assertTrue(server.takeEvents().isEmpty());
    }

    /** A handshake from {@code phone} to {@code local}, then an in-tunnel request with {@code via}: what the server sends for it. */
    private List<ProbeServer.Send> requestVia(ProbeServer srv, InetSocketAddress local, InetSocketAddress phone, Via via) throws Exception {
        long now = 1_800_000_000_000_000_000L;
        WgInterface c = new WgInterface(new InterfaceSpec(known, List.of(new PeerSpec("server", serverKey.publicKey(), PresharedKey.NONE,
                serverAt, List.of(IpPrefix.parse("10.0.0.0/24")), 0))), random);
        byte[] init = null;
        for (Action a : c.connect(serverKey.publicKey(), now)) if (a instanceof Action.SendDatagram s) init = s.bytes();
        List<ProbeServer.Send> response = srv.onDatagram(local, init, 0, init.length, phone, now);
        assertEquals(1, response.size());
        for (Action a : c.onDatagram(response.get(0).bytes(), 0, response.get(0).bytes().length, serverAt, now)) {
            if (a instanceof Action.SendDatagram s) srv.onDatagram(local, s.bytes(), 0, s.bytes().length, phone, now); // the keepalive
        }
        ProbeCode code = new ProbeCode(Timer.ESTABLISHED, 3, 0, 0, via);
        byte[] request = new dev.wgdiag.peer.InnerStack(List.of(java.net.InetAddress.getByName("10.0.0.2")))
                .echoRequest(java.net.InetAddress.getByName("10.0.0.1"), code.identifier(), code.sequence(), now, SeenEndpoint.DATA_BYTES);
        List<ProbeServer.Send> out = new java.util.ArrayList<>();
        for (Action a : c.send(request, now)) {
            if (a instanceof Action.SendDatagram s) out.addAll(srv.onDatagram(local, s.bytes(), 0, s.bytes().length, phone, now));
        }
        return out;
    }

    @Test
    void shouldSendTheFilteringCopyFromItsOtherEndpointOnlyToTheAuthenticatedAddress() throws Exception {
        InetSocketAddress any1 = new InetSocketAddress(java.net.InetAddress.getByName("::"), 51820);
        InetSocketAddress any2 = new InetSocketAddress(java.net.InetAddress.getByName("::"), 51821);
        InetSocketAddress second2 = new InetSocketAddress("198.51.100.9", 51821);
        ProbeServer srv = new ProbeServer(new InterfaceSpec(serverKey, List.of(new PeerSpec("phone", known.publicKey(), PresharedKey.NONE,
                null, List.of(IpPrefix.parse("10.0.0.2/32")), 0))), random,
                List.of(any1, new InetSocketAddress("198.51.100.9", 51820), any2, second2));
        InetSocketAddress phone = new InetSocketAddress("203.0.113.7", 40000);

        List<ProbeServer.Send> port = requestVia(srv, any1, phone, Via.OTHER_PORT);
        assertEquals(List.of(any1, any2), port.stream().map(ProbeServer.Send::local).toList(), "the answer, then the copy from port 2");
        assertEquals(List.of(phone, phone), port.stream().map(ProbeServer.Send::to).toList());

        InetSocketAddress phone2 = new InetSocketAddress("203.0.113.7", 40001); // another socket, another flow
        List<ProbeServer.Send> addr = requestVia(srv, any1, phone2, Via.OTHER_ADDRESS_AND_PORT);
        assertEquals(List.of(any1, second2), addr.stream().map(ProbeServer.Send::local).toList());
        assertEquals(List.of(phone2, phone2), addr.stream().map(ProbeServer.Send::to).toList());
        assertEquals(new SeenEndpoint.Offer(51821, java.net.InetAddress.getByName("198.51.100.9")), srv.offer(any1, phone));
        assertEquals(List.of(), srv.onTick(Long.MAX_VALUE / 2), "an idle time of 0 schedules nothing");
    }

    @Test
    void shouldSendNoCopyFromASecondAddressItDoesNotHave() throws Exception {
        InetSocketAddress any1 = new InetSocketAddress(51820);
        ProbeServer srv = new ProbeServer(new InterfaceSpec(serverKey, List.of(new PeerSpec("phone", known.publicKey(), PresharedKey.NONE,
                null, List.of(IpPrefix.parse("10.0.0.2/32")), 0))), random, List.of(any1, new InetSocketAddress(51821)));
        InetSocketAddress phone = new InetSocketAddress("203.0.113.7", 40000);
        List<ProbeServer.Send> out = requestVia(srv, any1, phone, Via.OTHER_ADDRESS_AND_PORT);
        assertEquals(List.of(any1), out.stream().map(ProbeServer.Send::local).toList(), "the answer only");
        assertEquals(new SeenEndpoint.Offer(51821, null), srv.offer(any1, phone));
    }
}
