package dev.wgdiag.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real wireguard-go handshake between two namespaces, captured with tcpdump. Truth comes from the
 * lab's configuration (which keys each side was given) and the wall clock around the capture:
 * mac1 must attribute the initiation to the responder and the response to the initiator, and the
 * responder's private key must reveal the initiator's public key and a timestamp inside the window.
 */
class WireguardGoHandshakeLabTest {

    /** Root and the lab's tools, or a skip with the reason (a failure when CI=true). */
    static boolean labReady() {
        dev.wgdiag.testing.Requirements.root();
        dev.wgdiag.testing.Requirements.commands("wireguard-go", "wg", "tcpdump", "ip");
        return true;
    }

    static String sh(String script) throws Exception {
        Process p = new ProcessBuilder("bash", "-c", script).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("lab script timed out: " + out);
        }
        if (p.exitValue() != 0) {
            fail("lab script failed (" + p.exitValue() + "): " + out);
        }
        return out;
    }

    @Test
    void shouldAttributeAndDecryptARealWireguardGoHandshake(@TempDir Path dir) throws Exception {
        if (!labReady()) {
            return;
        }
        String t = "wgc" + Long.toString(System.nanoTime() & 0xfffff, 36);
        PrivateKey a = PrivateKey.parse(sh("wg genkey").strip());
        PrivateKey b = PrivateKey.parse(sh("wg genkey").strip());
        Files.writeString(dir.resolve("a.conf"), "[Interface]\nPrivateKey = " + a.toBase64() + "\nListenPort = 51820\n"
                + "[Peer]\nPublicKey = " + b.publicKey() + "\nAllowedIPs = 100.64.77.2/32\nEndpoint = 192.0.2.2:51820\n");
        Files.writeString(dir.resolve("b.conf"), "[Interface]\nPrivateKey = " + b.toBase64() + "\nListenPort = 51820\n"
                + "[Peer]\nPublicKey = " + a.publicKey() + "\nAllowedIPs = 100.64.77.1/32\n");
        Path pcap = dir.resolve("cap.pcap");
        String teardown = "ip netns pids " + t + "-a 2>/dev/null | xargs -r kill 2>/dev/null; "
                + "ip netns pids " + t + "-b 2>/dev/null | xargs -r kill 2>/dev/null; sleep 0.3; "
                + "ip netns del " + t + "-a 2>/dev/null; ip netns del " + t + "-b 2>/dev/null; true";
        Instant before;
        Instant after;
        try {
            sh("set -e; T=" + t + "; D=" + dir + "\n"
                    + "ip netns add $T-a; ip netns add $T-b\n"
                    + "ip link add $T-va type veth peer name $T-vb\n"
                    + "ip link set $T-va netns $T-a; ip link set $T-vb netns $T-b\n"
                    + "ip -n $T-a addr add 192.0.2.1/24 dev $T-va; ip -n $T-b addr add 192.0.2.2/24 dev $T-vb\n"
                    + "ip -n $T-a link set $T-va up; ip -n $T-b link set $T-vb up\n"
                    + "ip -n $T-a link set lo up; ip -n $T-b link set lo up\n"
                    + "ip netns exec $T-a wireguard-go $T-wa >/dev/null 2>&1\n"
                    + "ip netns exec $T-b wireguard-go $T-wb >/dev/null 2>&1\n"
                    + "ip netns exec $T-a wg setconf $T-wa $D/a.conf\n"
                    + "ip netns exec $T-b wg setconf $T-wb $D/b.conf\n"
                    + "ip -n $T-a addr add 100.64.77.1/24 dev $T-wa; ip -n $T-a link set $T-wa up\n"
                    + "ip -n $T-b addr add 100.64.77.2/24 dev $T-wb; ip -n $T-b link set $T-wb up\n");
            before = Instant.now().minusSeconds(1);
            sh("T=" + t + "\n"
                    + "ip netns exec $T-a tcpdump -i $T-va -U -w " + pcap + " udp port 51820 >/dev/null 2>&1 &\n"
                    + "TP=$!; sleep 1\n"
                    + "ip netns exec $T-a ping -c 2 -W 3 100.64.77.2 >/dev/null || true\n"
                    + "sleep 0.5; kill $TP; wait $TP 2>/dev/null; true\n");
            after = Instant.now().plusSeconds(1);
        } finally {
            sh(teardown);
        }

        byte[] init = null;
        byte[] resp = null;
        ByteBuffer bb = ByteBuffer.wrap(Files.readAllBytes(pcap)).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0xa1b2c3d4, bb.getInt(0), "classic little-endian pcap");
        assertEquals(1, bb.getInt(20), "Ethernet link type");
        int at = 24;
        while (at + 16 <= bb.limit()) {
            int caplen = bb.getInt(at + 8);
            int frame = at + 16;
            // Ethernet (14) -> IPv4 (ihl*4) -> UDP (8) -> WireGuard message
            boolean ipv4 = (bb.get(frame + 12) & 0xff) == 0x08 && bb.get(frame + 13) == 0;
            if (!ipv4) {
                at = frame + caplen;
                continue;
            }
            int ihl = (bb.get(frame + 14) & 0x0f) * 4;
            int udp = frame + 14 + ihl;
            int payload = udp + 8;
            int len = ((bb.get(udp + 4) & 0xff) << 8 | (bb.get(udp + 5) & 0xff)) - 8; // UDP length, big-endian
            byte[] msg = new byte[len];
            bb.get(payload, msg);
            if (msg[0] == 1 && len == 148 && init == null) {
                init = msg;
            } else if (msg[0] == 2 && len == 92 && resp == null) {
                resp = msg;
            }
            at = frame + caplen;
        }
        assertNotNull(init, "an initiation was captured");
        assertNotNull(resp, "a response was captured");

        // mac1 names the receiver of each message (a initiated because it pinged first).
        assertTrue(Mac1.verify(init, 0, 148, b.publicKey()));
        assertFalse(Mac1.verify(init, 0, 148, a.publicKey()));
        assertTrue(Mac1.verify(resp, 0, 92, a.publicKey()));
        assertFalse(Mac1.verify(resp, 0, 92, b.publicKey()));

        PassiveHandshake.InitiationContents c = PassiveHandshake.decryptInitiation(b, init, 0, 148);
        assertEquals(a.publicKey(), c.initiator());
        Instant sent = c.timestamp().toInstant();
        assertTrue(!sent.isBefore(before) && !sent.isAfter(after), "timestamp " + sent + " within " + before + ".." + after);
        // wireguard-go rounds nanoseconds down to 2^24 ns
        assertEquals(0, c.timestamp().nanos() & 0xffffff);

        // Our responder accepts wireguard-go's initiation (the same checks a reference peer makes).
        HandshakeResponder responder = new HandshakeResponder(b,
                pub -> pub.equals(a.publicKey()) ? java.util.Optional.of(PresharedKey.NONE) : java.util.Optional.empty());
        assertEquals(a.publicKey(), responder.consumeInitiation(init, 0, 148).initiator());
    }
}
