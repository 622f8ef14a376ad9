package dev.wgdiag.peer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wgdiag.config.IpPrefix;
import dev.wgdiag.crypto.PresharedKey;
import dev.wgdiag.crypto.PrivateKey;
import dev.wgdiag.wire.Protocol;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A responder whose handshake crypto runs on another thread ({@link WgInterface#offloadHandshakes}):
 * the initiator completes the handshake with the response it gets back and data flows, and the state
 * rules of whitepaper section 5.1 hold when finished work comes back out of order (a replayed or older
 * initiation is refused for its timestamp, as wireguard-go's concurrent handshake workers do).
 */
class HandshakeWorkTest {
    static final long T0 = 1_700_000_000_000_000_000L;
    static final long MS = 1_000_000L;

    final SecureRandom sr = new SecureRandom();
    final PrivateKey clientKey = PrivateKey.generate(sr);
    final PrivateKey serverKey = PrivateKey.generate(sr);
    final InetSocketAddress clientAddr = address("192.0.2.10", 40000);
    final InetSocketAddress serverAddr = address("198.51.100.1", 51820);
    final WgInterface client = new WgInterface(new InterfaceSpec(clientKey, List.of(new PeerSpec("server",
            serverKey.publicKey(), PresharedKey.NONE, serverAddr, List.of(IpPrefix.parse("10.0.0.1/32")), 0))),
            new SplittableRandom(1));
    final WgInterface server = new WgInterface(new InterfaceSpec(serverKey, List.of(new PeerSpec("client",
            clientKey.publicKey(), PresharedKey.NONE, null, List.of(IpPrefix.parse("10.0.0.2/32")), 0))),
            new SplittableRandom(2));

    @Test
    void shouldCompleteTheHandshakeWhenTheRespondersCryptoRunsOnAnotherThread() throws Exception {
        server.offloadHandshakes(true);
        byte[] init = only(client.connect(serverKey.publicKey(), T0), Action.SendDatagram.class).bytes();

        List<Action> received = server.onDatagram(init, 0, init.length, clientAddr, T0 + MS);
        HandshakeWork work = only(received, Action.Compute.class).work();
        assertEquals(List.of(), of(received, Action.SendDatagram.class), "nothing is sent before the work is done");
        assertFalse(server.authenticated(), "the initiation is not authenticated before its work is done");
        Thread worker = new Thread(work::run, "test-handshake-worker");
        worker.start();
        worker.join();

        List<Action> applied = server.onWorkDone(work, T0 + 2 * MS);
        assertTrue(server.authenticated());
        Action.SendDatagram response = only(applied, Action.SendDatagram.class);
        assertEquals(clientAddr, response.to());
        assertEquals(Protocol.MESSAGE_RESPONSE_SIZE, response.bytes().length);

        List<Action> answered = client.onDatagram(response.bytes(), 0, response.bytes().length, serverAddr, T0 + 3 * MS);
        assertEquals(List.of(PeerEvent.Kind.HANDSHAKE_ANSWERED), kinds(answered, PeerEvent.Kind.HANDSHAKE_ANSWERED));
        byte[] ping = SimNet.ping4("10.0.0.2", "10.0.0.1", 1, 56);
        Action.SendDatagram data = only(client.send(ping, T0 + 4 * MS), Action.SendDatagram.class);
        List<Action> delivered = server.onDatagram(data.bytes(), 0, data.bytes().length, clientAddr, T0 + 5 * MS);
        assertArrayEquals(ping, only(delivered, Action.DeliverInner.class).packet());
    }

    @Test
    void shouldRefuseAnOlderInitiationWhoseWorkComesBackAfterANewerOne() {
        server.offloadHandshakes(true);
        byte[] older = only(client.connect(serverKey.publicKey(), T0), Action.SendDatagram.class).bytes();
        long later = T0 + Protocol.REKEY_TIMEOUT + 100 * MS; // a new initiation, its timestamp 5.1 s later
        byte[] newer = only(client.connect(serverKey.publicKey(), later), Action.SendDatagram.class).bytes();

        HandshakeWork w1 = only(server.onDatagram(older, 0, older.length, clientAddr, later + MS), Action.Compute.class).work();
        HandshakeWork w2 = only(server.onDatagram(newer, 0, newer.length, clientAddr, later + 2 * MS), Action.Compute.class).work();
        w1.run();
        w2.run();

        assertEquals(1, of(server.onWorkDone(w2, later + 3 * MS), Action.SendDatagram.class).size());
        List<Action> stale = server.onWorkDone(w1, later + 100 * MS);
        assertEquals(List.of(), of(stale, Action.SendDatagram.class));
        assertFalse(server.authenticated());
        assertEquals(List.of(PeerEvent.Cause.STALE_TIMESTAMP), stale.stream().filter(a -> a instanceof Action.Emit)
                .map(a -> ((Action.Emit) a).event().cause()).collect(Collectors.toList()));
    }

    @Test
    void shouldAnswerInlineUnlessAskedToOffload() {
        byte[] init = only(client.connect(serverKey.publicKey(), T0), Action.SendDatagram.class).bytes();
        List<Action> received = server.onDatagram(init, 0, init.length, clientAddr, T0 + MS);
        assertEquals(List.of(), of(received, Action.Compute.class));
        assertEquals(Protocol.MESSAGE_RESPONSE_SIZE, only(received, Action.SendDatagram.class).bytes().length);
        assertTrue(server.authenticated());
    }

    private static List<PeerEvent.Kind> kinds(List<Action> actions, PeerEvent.Kind kind) {
        return of(actions, Action.Emit.class).stream().map(e -> e.event().kind()).filter(k -> k == kind).collect(Collectors.toList());
    }

    private static <T extends Action> List<T> of(List<Action> actions, Class<T> type) {
        return actions.stream().filter(type::isInstance).map(type::cast).collect(Collectors.toList());
    }

    private static <T extends Action> T only(List<Action> actions, Class<T> type) {
        List<T> list = of(actions, type);
        assertEquals(1, list.size(), type.getSimpleName() + " in " + actions);
        return list.get(0);
    }

    private static InetSocketAddress address(String host, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
