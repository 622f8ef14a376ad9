package dev.wgdiag.peer;

import dev.wgdiag.wire.Endian;

import static dev.wgdiag.peer.SimNet.MS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wgdiag.crypto.PresharedKey;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Two interfaces in-process over {@link SimNet}, as wireguard-go's device_test.go runs two devices over
 * channel binds: handshakes in both roles and transport data both ways, with WireGuard's exact framing
 * (whitepaper 5.4: sizes 148/92/32+16k, reserved zero, mac2 zero without a cookie, counters from 0).
 */
class WgInterfaceTest {
    final SimNet net = new SimNet();
    final SimNet.Node client = net.node("phone", "192.0.2.10", 40000);
    final SimNet.Node server = net.node("server", "198.51.100.1", 51820);

    void configure(PresharedKey psk) {
        SimNet.knows(client, server, true, 0, psk, "10.0.0.1/32", "fd00::1/128");
        SimNet.knows(server, client, false, 0, psk, "10.0.0.2/32", "fd00::2/128");
        client.build(1);
        server.build(2);
        net.start();
    }

    @Test
    void shouldCompleteAHandshakeAndCarryPingsBothWays() {
        configure(PresharedKey.NONE);
        byte[] ping = SimNet.ping4("10.0.0.2", "10.0.0.1", 1, 56);
        client.send(ping);

        assertEquals(1, client.sentOfType(1).size());
        assertEquals(1, server.sentOfType(2).size());
        assertEquals(1, server.delivered.size());
        assertArrayEquals(ping, server.delivered.get(0));
        byte[] reply = SimNet.ping4("10.0.0.1", "10.0.0.2", 1, 56);
        server.send(reply);
        assertEquals(1, client.delivered.size());
        assertArrayEquals(reply, client.delivered.get(0));

        assertEquals(PeerStatus.Role.INITIATOR, client.status(server).role());
        assertEquals(PeerStatus.Role.RESPONDER, server.status(client).role());
        assertEquals(1, server.events(PeerEvent.Kind.SESSION_CONFIRMED).size());
        assertEquals(client.address, server.status(client).endpoint());
        assertEquals(PeerEvent.Cause.DATA_QUEUED, client.events(PeerEvent.Kind.HANDSHAKE_SENT).get(0).cause());
    }

    @Test
    void shouldFrameEveryMessageExactlyAsWireGuard() {
        configure(PresharedKey.generate(new java.security.SecureRandom()));
        client.send(SimNet.ping4("10.0.0.2", "10.0.0.1", 1, 1)); // 29-byte packet pads to 32
        server.send(SimNet.ipv6("fd00::1", "fd00::2", 0));        // 40-byte packet pads to 48
        byte[] init = client.sentOfType(1).get(0).bytes();
        byte[] resp = server.sentOfType(2).get(0).bytes();
        assertEquals(148, init.length);
        assertEquals(92, resp.length);
        assertTrue(java.util.Arrays.equals(new byte[16], java.util.Arrays.copyOfRange(init, 132, 148)), "mac2 zero");
        assertTrue(java.util.Arrays.equals(new byte[16], java.util.Arrays.copyOfRange(resp, 76, 92)), "mac2 zero");
        List<SimNet.Datagram> data = client.sentOfType(4);
        assertEquals(32 + 32, data.get(0).bytes().length);
        assertEquals(0L, Endian.le64(data.get(0).bytes(), 8));
        assertEquals(32 + 48, server.sentOfType(4).get(0).bytes().length);
        for (SimNet.Datagram d : net.nodes.stream().flatMap(n -> n.sent.stream()).toList()) {
            assertEquals(0, d.bytes()[1] | d.bytes()[2] | d.bytes()[3], "reserved bytes zero");
        }
        assertEquals(1, client.delivered.size());
        assertEquals(40, client.delivered.get(0).length);
    }
}
