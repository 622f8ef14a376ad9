package dev.wgdiag.keys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wgdiag.capture.PcapWriter;
import dev.wgdiag.crypto.HandshakeInitiator;
import dev.wgdiag.crypto.HandshakeResponder;
import dev.wgdiag.crypto.PresharedKey;
import dev.wgdiag.crypto.PrivateKey;
import dev.wgdiag.crypto.Tai64n;
import dev.wgdiag.crypto.TransportKeys;
import dev.wgdiag.testing.Requirements;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With a Wireshark keylog, {@code wgdiag analyze --keylog --decrypt} opens the same transport
 * messages as tshark given the same keylog, finds the same inner ICMP echoes and times the same
 * in-tunnel round trips (tshark's {@code icmp.resptime}). The capture is a handshake plus pings made
 * with random keys, a known initiator ephemeral and the keylog the initiator would have written.
 */
class TransportDecryptionTsharkTest {
    private static final long T0 = 1_764_000_000_000_000_000L;

    @TempDir
    Path dir;

    @Test
    void shouldDecryptTheSameTransportMessagesAsTsharkWithTheSameKeylog() throws Exception {
        Requirements.commands("tshark");
        SecureRandom random = new SecureRandom();
        PrivateKey initiatorStatic = PrivateKey.generate(random);
        PrivateKey responderStatic = PrivateKey.generate(random);
        PrivateKey ephemeral = PrivateKey.generate(random);
        Path pcap = dir.resolve("pings.pcap");
        List<Long> sent = new ArrayList<>();
        try (PcapWriter w = new PcapWriter(pcap, 1, 65535)) {
            HandshakeInitiator initiator = new HandshakeInitiator(initiatorStatic, responderStatic.publicKey(), PresharedKey.NONE,
                    () -> ephemeral, () -> Tai64n.whitened(Instant.ofEpochSecond(T0 / 1_000_000_000L)));
            HandshakeResponder responder = new HandshakeResponder(responderStatic, k -> Optional.of(PresharedKey.NONE));
            byte[] init = initiator.createInitiation(0x11223344);
            HandshakeResponder.Response resp = responder.createResponse(responder.consumeInitiation(init, 0, init.length), 0x55667788, null);
            TransportKeys i = initiator.consumeResponse(resp.message(), 0, resp.message().length);
            TransportKeys r = resp.keys();
            long t = T0;
            write(w, t, true, init);
            write(w, t += 1_000_000, false, resp.message());
            for (int seq = 0; seq < 5; seq++) {
                write(w, t += 200_000_000, true, i.sending().sealMessage(i.remoteIndex(), seq, echo(8, seq)));
                write(w, t += 3_000_000 + seq * 100_000L, false, r.sending().sealMessage(r.remoteIndex(), seq, echo(0, seq)));
                sent.add(t);
            }
        }
        Path keylog = Files.writeString(dir.resolve("wg.keylog"),
                "LOCAL_STATIC_PRIVATE_KEY = " + initiatorStatic.toBase64() + "\n"
                        + "REMOTE_STATIC_PUBLIC_KEY = " + responderStatic.publicKey().toBase64() + "\n"
                        + "LOCAL_EPHEMERAL_PRIVATE_KEY = " + ephemeral.toBase64() + "\n");

        String tshark = tsharkEchoes(pcap, keylog);
        List<String[]> echoes = tshark.lines().filter(l -> !l.isBlank()).map(l -> l.split("\t", -1)).toList();
        assertEquals(10, echoes.size(), "tshark decrypts every transport message: " + tshark);
        List<Double> tsharkRtts = echoes.stream().filter(e -> e[0].equals("0")).map(e -> Double.parseDouble(e[2])).sorted().toList();

        assertDecryptsLikeTshark(echoes, tsharkRtts, List.of("analyze", pcap.toString(), "--keylog", keylog.toString(),
                "--decrypt", "--format", "json"), List.of(initiatorStatic.toBase64(), ephemeral.toBase64()));

        // The same keys inside the capture, as a pcapng Decryption Secrets Block (editcap --inject-secrets):
        // tshark needs no keylog option then, and neither does wgdiag.
        Requirements.commands("editcap");
        Path withSecrets = dir.resolve("pings-with-secrets.pcapng");
        Requirements.run("editcap", "--inject-secrets", "wg," + keylog, pcap.toString(), withSecrets.toString());
        assertEquals(tshark, tsharkEchoes(withSecrets, null));
        assertDecryptsLikeTshark(echoes, tsharkRtts, List.of("analyze", withSecrets.toString(), "--decrypt", "--format", "json"),
                List.of(initiatorStatic.toBase64(), ephemeral.toBase64()));
    }

    private static String tsharkEchoes(Path capture, Path keylog) {
        List<String> cmd = new ArrayList<>(List.of("tshark", "-r", capture.toString(), "-n", "-d", "udp.port==51820,wg", "-2",
                "-o", "wg.dissect_packet:TRUE", "-Y", "icmp", "-T", "fields", "-E", "separator=/t",
                "-e", "icmp.type", "-e", "icmp.seq", "-e", "icmp.resptime"));
        if (keylog != null) cmd.addAll(List.of("-o", "wg.keylog_file:" + keylog));
        return Requirements.run(false, cmd.toArray(String[]::new));
    }

    private static void assertDecryptsLikeTshark(List<String[]> echoes, List<Double> tsharkRtts, List<String> args,
                                                 List<String> secrets) throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = dev.wgdiag.cli.Main.run(new ByteArrayInputStream(new byte[0]), new PrintWriter(out), new PrintWriter(err),
                args.toArray(String[]::new));
        assertEquals(0, code, err.toString());
        JsonNode d = new ObjectMapper().readTree(out.toString()).at("/identification/decryption");
        assertEquals(1, d.get("sessions").asInt());
        assertEquals(echoes.size(), d.get("messagesDecrypted").asLong());
        assertEquals(0, d.get("failures").asLong());
        assertEquals(echoes.size(), d.at("/innerProtocols/IPv4 ICMP").asLong());
        assertEquals(tsharkRtts.size(), d.at("/pings/count").asInt());
        assertEquals(tsharkRtts.get(0), d.at("/pings/minMs").asDouble(), 1e-6);
        assertEquals(tsharkRtts.get(tsharkRtts.size() / 2), d.at("/pings/medianMs").asDouble(), 1e-6);
        assertEquals(tsharkRtts.get(tsharkRtts.size() - 1), d.at("/pings/maxMs").asDouble(), 1e-6);
        for (String secret : secrets) {
            assertFalse(out.toString().contains(secret), "no private key in the report");
        }
        assertTrue(err.toString().isEmpty(), err.toString());
    }

    /** An IPv4 ICMP echo (type 8 request 10.0.0.2 -> 10.0.0.1, type 0 reply back), id 0x77, 8 data bytes. */
    private static byte[] echo(int type, int seq) {
        ByteBuffer b = ByteBuffer.allocate(36);
        b.put((byte) 0x45).put((byte) 0).putShort((short) 36).putShort((short) seq).putShort((short) 0)
                .put((byte) 64).put((byte) 1).putShort((short) 0)
                .put(type == 8 ? new byte[]{10, 0, 0, 2} : new byte[]{10, 0, 0, 1})
                .put(type == 8 ? new byte[]{10, 0, 0, 1} : new byte[]{10, 0, 0, 2});
        b.put((byte) type).put((byte) 0).putShort((short) 0).putShort((short) 0x77).putShort((short) seq);
        b.putLong(0x0102030405060708L);
        byte[] packet = b.array();
        int sum = 0;                                   // RFC 792: ones' complement sum over the ICMP message
        for (int i = 20; i < packet.length; i += 2) sum += ((packet[i] & 0xff) << 8) | (packet[i + 1] & 0xff);
        while ((sum >> 16) != 0) sum = (sum & 0xffff) + (sum >> 16);
        ByteBuffer.wrap(packet).putShort(22, (short) ~sum);
        return packet;
    }

    /** Ethernet / IPv4 / UDP around a WireGuard message: client 198.51.100.1:40000, server 198.51.100.2:51820. */
    private static void write(PcapWriter w, long time, boolean fromClient, byte[] wg) throws Exception {
        ByteBuffer f = ByteBuffer.allocate(14 + 20 + 8 + wg.length);
        f.put(new byte[]{2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1}).putShort((short) 0x0800);
        byte[] src = {(byte) 198, 51, 100, (byte) (fromClient ? 1 : 2)};
        byte[] dst = {(byte) 198, 51, 100, (byte) (fromClient ? 2 : 1)};
        f.put((byte) 0x45).put((byte) 0).putShort((short) (20 + 8 + wg.length)).putInt(0).put((byte) 64).put((byte) 17)
                .putShort((short) 0).put(src).put(dst);
        f.putShort((short) (fromClient ? 40000 : 51820)).putShort((short) (fromClient ? 51820 : 40000))
                .putShort((short) (8 + wg.length)).putShort((short) 0).put(wg);
        w.write(time, f.array(), 0, f.capacity(), f.capacity());
    }
}
