package dev.wgdiag.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Round trips between this package's initiator and responder, and the passive paths on the same
 * messages. The Noise math itself is pinned by {@link NoiseCacophonyTest}; these check WireGuard's
 * framing, mac1 attribution and the keylog roles.
 */
class WireGuardHandshakeTest {
    final SecureRandom random = new SecureRandom();
    final PrivateKey client = PrivateKey.generate(random);
    final PrivateKey server = PrivateKey.generate(random);
    final PrivateKey stranger = PrivateKey.generate(random);
    final PresharedKey psk = PresharedKey.generate(random);
    final PrivateKey clientEphemeral = PrivateKey.generate(random);
    final PrivateKey serverEphemeral = PrivateKey.generate(random);
    final Tai64n sent = Tai64n.whitened(Instant.parse("2024-05-01T12:00:00.123456789Z"));

    HandshakeInitiator initiator() {
        return new HandshakeInitiator(client, server.publicKey(), psk, () -> clientEphemeral, () -> sent);
    }

    HandshakeResponder responder() {
        return new HandshakeResponder(server,
                pub -> pub.equals(client.publicKey()) ? Optional.of(psk) : Optional.empty(), () -> serverEphemeral);
    }

    @Test
    void shouldCompleteAHandshakeAndExchangeTransportData() throws Exception {
        HandshakeInitiator ini = initiator();
        byte[] init = ini.createInitiation(0x11223344);
        assertEquals(148, init.length);
        HandshakeResponder.Initiation got = responder().consumeInitiation(init, 0, init.length);
        assertEquals(client.publicKey(), got.initiator());
        assertEquals(sent, got.timestamp());
        assertEquals(0x11223344, got.senderIndex());
        HandshakeResponder.Response resp = responder().createResponse(got, 0x55667788, null);
        assertEquals(92, resp.message().length);
        TransportKeys ik = ini.consumeResponse(resp.message(), 0, resp.message().length);
        TransportKeys rk = resp.keys();
        assertEquals(0x55667788, ik.remoteIndex());
        assertEquals(0x11223344, rk.remoteIndex());

        byte[] packet = {0x45, 0, 0, 20, 1, 2, 3, 4, 5};
        byte[] msg = ik.sending().sealMessage(ik.remoteIndex(), 0, packet);
        assertEquals(32 + 16, msg.length);
        assertArrayEquals(java.util.Arrays.copyOf(packet, 16), rk.receiving().openMessage(msg, 0, msg.length));
        byte[] keepalive = rk.sending().sealMessage(rk.remoteIndex(), 0, new byte[0]);
        assertEquals(32, keepalive.length);
        assertEquals(0, ik.receiving().openMessage(keepalive, 0, keepalive.length).length);
        assertFalse(ik.toString().contains(Hex.of(psk.toBytes())));
    }

    @Test
    void mac1ShouldNameTheResponderOfAnInitiationAndTheInitiatorOfAResponse() throws Exception {
        HandshakeInitiator ini = initiator();
        byte[] init = ini.createInitiation(7);
        assertTrue(Mac1.verify(init, 0, init.length, server.publicKey()));
        assertFalse(Mac1.verify(init, 0, init.length, client.publicKey()));
        byte[] resp = responder().createResponse(responder().consumeInitiation(init, 0, 148), 9, null).message();
        assertTrue(Mac1.verify(resp, 0, resp.length, client.publicKey()));
        assertFalse(Mac1.verify(resp, 0, resp.length, server.publicKey()));
        // Like Wireshark, reserved bytes rewritten on the path do not hide the attribution.
        init[1] = 0x5a;
        assertTrue(Mac1.verify(init, 0, init.length, server.publicKey()));
        assertTrue(Mac2.isZero(init, 0, init.length));
    }

    @Test
    void responderShouldRejectAnUnknownInitiator() throws Exception {
        byte[] init = new HandshakeInitiator(stranger, server.publicKey(), null).createInitiation(1);
        HandshakeException e = assertThrows(HandshakeException.class, () -> responder().consumeInitiation(init, 0, 148));
        assertTrue(e.getMessage().contains("not a known peer"), e.getMessage());
    }

    @Test
    void responderShouldRejectATamperedInitiation() throws Exception {
        byte[] init = initiator().createInitiation(1);
        init[50] ^= 1;
        Mac1.write(init, 0, init.length, server.publicKey());
        assertThrows(HandshakeException.class, () -> responder().consumeInitiation(init, 0, 148));
    }

    @Test
    void aResponseWithTheWrongPresharedKeyShouldNotComplete() throws Exception {
        HandshakeInitiator ini = initiator();
        byte[] init = ini.createInitiation(3);
        HandshakeResponder other = new HandshakeResponder(server, pub -> Optional.of(PresharedKey.NONE), () -> serverEphemeral);
        byte[] resp = other.createResponse(other.consumeInitiation(init, 0, 148), 4, null).message();
        assertThrows(HandshakeException.class, () -> ini.consumeResponse(resp, 0, resp.length));
    }

    @Test
    void cookieReplyShouldOpenWithOnlyPublicKeys() throws Exception {
        byte[] init = initiator().createInitiation(42);
        byte[] cookie = new byte[16];
        random.nextBytes(cookie);
        byte[] nonce = new byte[24];
        random.nextBytes(nonce);
        byte[] reply = CookieReply.create(42, cookie, server.publicKey(), Mac1.of(init, 0, init.length), nonce);
        assertArrayEquals(cookie, CookieReply.decrypt(reply, 0, reply.length, server.publicKey(), Mac1.of(init, 0, init.length)));
        assertThrows(AeadException.class, () -> CookieReply.decrypt(reply, 0, reply.length, client.publicKey(),
                Mac1.of(init, 0, init.length)));
        byte[] withMac2 = initiator().createInitiation(43, cookie);
        assertFalse(Mac2.isZero(withMac2, 0, 148));
        assertTrue(Mac2.verify(withMac2, 0, 148, cookie));
    }

    @Test
    void passiveObserverWithTheResponderKeyShouldNameTheInitiator() throws Exception {
        byte[] init = initiator().createInitiation(5);
        PassiveHandshake.InitiationContents c = PassiveHandshake.decryptInitiation(server, init, 0, init.length);
        assertEquals(client.publicKey(), c.initiator());
        assertEquals(sent, c.timestamp());
        assertThrows(HandshakeException.class, () -> PassiveHandshake.decryptInitiation(stranger, init, 0, init.length));
    }

    @Test
    void keylogFromEitherSideShouldDecryptTheSessionsTransportData() throws Exception {
        HandshakeInitiator ini = initiator();
        byte[] init = ini.createInitiation(100);
        HandshakeResponder.Response r = responder().createResponse(responder().consumeInitiation(init, 0, 148), 200, null);
        TransportKeys ik = ini.consumeResponse(r.message(), 0, 92);
        byte[] ping = Hex.bytes(
                // IPv4: ver/ihl 45, tos 00, total 0x001c, id, flags/frag 0, ttl 40, proto 01 (ICMP), checksum
                "4500001c" + "00004000" + "4001" + "0000"
                // source 10.0.0.2, destination 10.0.0.1
                + "0a000002" + "0a000001"
                // ICMP echo request: type 08, code 00, checksum, identifier 0x1234, sequence 0x0007
                + "0800" + "0000" + "1234" + "0007");
        byte[] data = ik.sending().sealMessage(200, 0, ping);
        byte[] back = r.keys().sending().sealMessage(100, 0, new byte[0]);

        Keylog clientSide = Keylog.parse("client.keys", new StringReader(
                "LOCAL_STATIC_PRIVATE_KEY = " + client.toBase64() + "\n"
                        + "REMOTE_STATIC_PUBLIC_KEY = " + server.publicKey().toBase64() + "\n"
                        + "LOCAL_EPHEMERAL_PRIVATE_KEY = " + clientEphemeral.toBase64() + "\n"
                        + "PRESHARED_KEY = " + psk.toBase64() + "\n"));
        Keylog serverSide = Keylog.parse("server.keys", new StringReader(
                "LOCAL_STATIC_PRIVATE_KEY = " + server.toBase64() + "\n"
                        + "LOCAL_EPHEMERAL_PRIVATE_KEY = " + serverEphemeral.toBase64() + "\n"
                        + "PRESHARED_KEY = " + psk.toBase64() + "\n"));
        for (Keylog k : List.of(clientSide, serverSide)) {
            PassiveHandshake.Session s = PassiveHandshake.deriveSession(k, init, 0, 148, r.message(), 0, 92);
            assertEquals(client.publicKey(), s.initiator());
            assertEquals(server.publicKey(), s.responder());
            byte[] inner = s.forReceiver(200).openMessage(data, 0, data.length);
            InnerPacket p = InnerPacket.classify(inner, 0, inner.length);
            assertEquals(4, p.ipVersion());
            assertEquals(InnerPacket.PROTO_ICMP, p.protocol());
            assertEquals("10.0.0.2", p.source());
            assertEquals("10.0.0.1", p.destination());
            assertTrue(p.isEchoRequest());
            assertEquals(0x1234, p.echoIdentifier());
            assertEquals(7, p.echoSequence());
            byte[] ka = s.forReceiver(100).openMessage(back, 0, back.length);
            assertEquals(InnerPacket.EMPTY, InnerPacket.classify(ka, 0, ka.length));
            assertNull(s.forReceiver(999));
        }
        Keylog noPsk = Keylog.parse("x", new StringReader("LOCAL_STATIC_PRIVATE_KEY = " + server.toBase64() + "\n"
                + "LOCAL_EPHEMERAL_PRIVATE_KEY = " + serverEphemeral.toBase64() + "\n"));
        assertThrows(HandshakeException.class, () -> PassiveHandshake.deriveSession(noPsk, init, 0, 148, r.message(), 0, 92));
    }

    @Test
    void keylogErrorsShouldNameFileAndLineAndMaskTheKey() {
        String secret = client.toBase64();
        KeylogException e = assertThrows(KeylogException.class, () -> Keylog.parse("wg.keys", new StringReader(
                "# comment\nLOCAL_STATIC_PRIVATE_KEY = " + secret + "\nLOCAL_EPHEMERAL_PRIVATE_KEY = " + secret.substring(1) + "\n")));
        assertEquals(3, e.line());
        assertEquals("wg.keys:3: LOCAL_EPHEMERAL_PRIVATE_KEY: not a base64 32-byte key (line: LOCAL_EPHEMERAL_PRIVATE_KEY = ****)",
                e.getMessage());
        KeylogException orphan = assertThrows(KeylogException.class, () -> Keylog.parse("wg.keys",
                new StringReader("PRESHARED_KEY = " + secret + "\n")));
        assertEquals(1, orphan.line());
        assertFalse(orphan.getMessage().contains(secret));
        KeylogException type = assertThrows(KeylogException.class, () -> Keylog.parse("wg.keys",
                new StringReader("SOMETHING = " + secret + "\n")));
        assertFalse(type.getMessage().contains(secret));
    }

    @Test
    void secretKeysShouldNeverPrint() {
        assertEquals("PrivateKey[hidden]", client.toString());
        assertEquals("PresharedKey[hidden]", psk.toString());
        assertEquals(client.publicKey().toBase64(), client.publicKey().toString());
        assertEquals(client.publicKey().toBase64().substring(0, 8), client.publicKey().shortForm());
    }
}
