package dev.wgdiag.peer;

import dev.wgdiag.wire.Endian;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wgdiag.crypto.Keylog;
import dev.wgdiag.crypto.PassiveHandshake;
import dev.wgdiag.crypto.PresharedKey;
import java.io.StringReader;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

/**
 * Session secrets are what a Wireshark keylog needs: the lines each side hands out, parsed as a keylog
 * file, let the analyzer's passive decryption (the path `wgdiag analyze --keylog` takes) derive the
 * session from the captured initiation and response and open the captured transport data.
 */
class SessionSecretsTest {
    @Test
    void shouldLetAKeylogFromEitherSideDecryptTheCapturedSession() throws Exception {
        PresharedKey psk = PresharedKey.generate(new SecureRandom());
        SimNet net = new SimNet();
        SimNet.Node client = net.node("phone", "192.0.2.10", 40000);
        SimNet.Node server = net.node("server", "198.51.100.1", 51820);
        SimNet.knows(client, server, true, 0, psk, "10.0.0.1/32");
        SimNet.knows(server, client, false, 0, psk, "10.0.0.2/32");
        client.build(3);
        server.build(4);
        byte[] ping = SimNet.ping4("10.0.0.2", "10.0.0.1", 1, 56);
        client.send(ping);
        assertEquals(1, client.events(PeerEvent.Kind.SESSION_KEYS).size());
        assertEquals(1, server.events(PeerEvent.Kind.SESSION_KEYS).size());
        byte[] init = client.sentOfType(1).get(0).bytes();
        byte[] resp = server.sentOfType(2).get(0).bytes();
        byte[] data = client.sentOfType(4).get(0).bytes();
        for (SimNet.Node side : new SimNet.Node[] {client, server}) {
            SessionSecrets s = side.wg.takeSessionSecrets().orElseThrow();
            assertEquals(side == client, s.initiator());
            assertFalse(s.toString().contains(s.localEphemeral().toBase64()), "toString hides keys");
            Keylog keylog = Keylog.parse("test", new StringReader(String.join("\n", s.keylogLines())));
            PassiveHandshake.Session session = PassiveHandshake.deriveSession(keylog, init, 0, init.length, resp, 0, resp.length);
            byte[] opened = session.forReceiver(Endian.le32(data, 4)).openMessage(data, 0, data.length);
            assertArrayEquals(java.util.Arrays.copyOf(ping, 96), opened, "padded plaintext");
            assertTrue(side.wg.takeSessionSecrets().isEmpty());
        }
        assertTrue(client.wg.takeSessionSecrets().isEmpty());
    }
}
