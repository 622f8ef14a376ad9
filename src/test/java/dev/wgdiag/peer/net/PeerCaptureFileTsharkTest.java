package dev.wgdiag.peer.net;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wgdiag.crypto.HandshakeInitiator;
import dev.wgdiag.crypto.HandshakeResponder;
import dev.wgdiag.crypto.PresharedKey;
import dev.wgdiag.crypto.PrivateKey;
import dev.wgdiag.crypto.Tai64n;
import dev.wgdiag.crypto.TransportKeys;
import dev.wgdiag.peer.InnerStack;
import dev.wgdiag.testing.Requirements;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The {@code -w} file of a peer that first initiates a session (after one unanswered initiation),
 * then answers the other side's handshake, with pings in both sessions: tshark, given nothing but the
 * file, decrypts every transport message and finds every echo, and {@code wgdiag analyze --decrypt}
 * derives both sessions from the file's Decryption Secrets Blocks. The datagrams are fed in the order
 * a driver meets them: a received frame, then the session secrets the core derived from it, then what
 * it sends.
 */
class PeerCaptureFileTsharkTest {
    private static final long T0 = 1_764_000_000_000_000_000L;
    private static final long MS = 1_000_000L;

    @TempDir
    Path dir;

    private final SyntheticFrames frames = new SyntheticFrames();
    private final InetSocketAddress us = new InetSocketAddress("100.64.0.2", 40000);
    private final InetSocketAddress them = new InetSocketAddress("198.51.100.2", 51820);

    @Test
    void shouldLetTsharkAndAnalyzeDecryptBothRolesFromTheFileAlone() throws Exception {
        Requirements.commands("tshark");
        SecureRandom random = new SecureRandom();
        PrivateKey ours = PrivateKey.generate(random);
        PrivateKey theirs = PrivateKey.generate(random);
        PresharedKey psk = PresharedKey.generate(random);
        InnerStack stack = new InnerStack(List.of(InetAddress.getByName("10.0.0.2")));
        InnerStack peer = new InnerStack(List.of(InetAddress.getByName("10.0.0.1")));
        Path file = dir.resolve("peer.pcapng");
        List<String> statics = List.of("LOCAL_STATIC_PRIVATE_KEY = " + ours.toBase64(),
                "REMOTE_STATIC_PUBLIC_KEY = " + theirs.publicKey().toBase64());
        long t = T0;
        int echoes = 0;
        try (PeerCaptureFile f = PeerCaptureFile.create(file, statics)) {
            // 1. an initiation nobody answers: held, released by the tick after the hold time
            PrivateKey lost = PrivateKey.generate(random);
            byte[] unanswered = new HandshakeInitiator(ours, theirs.publicKey(), psk, () -> lost, this::now).createInitiation(1);
            send(f, t, unanswered);
            f.tick(t += PeerCaptureFile.HOLD_NANOS);

            // 2. we initiate, they answer, pings
            PrivateKey eph = PrivateKey.generate(random);
            HandshakeInitiator init = new HandshakeInitiator(ours, theirs.publicKey(), psk, () -> eph, this::now);
            HandshakeResponder resp = new HandshakeResponder(theirs, k -> Optional.of(psk));
            byte[] initiation = init.createInitiation(2);
            send(f, t += MS, initiation);
            HandshakeResponder.Response r = resp.createResponse(resp.consumeInitiation(initiation, 0, initiation.length), 77, null);
            receive(f, t += 20 * MS, r.message());
            TransportKeys mine = init.consumeResponse(r.message(), 0, r.message().length);
            f.session(session(statics, eph, psk), true);
            echoes += pings(f, t += MS, mine, r.keys(), stack, peer, 3);
            t += 5_000 * MS;

            // 3. they initiate, we answer, pings
            PrivateKey ourEph = PrivateKey.generate(random);
            HandshakeInitiator theirInit = new HandshakeInitiator(theirs, ours.publicKey(), psk);
            HandshakeResponder ourResp = new HandshakeResponder(ours, k -> Optional.of(psk), () -> ourEph);
            byte[] theirInitiation = theirInit.createInitiation(3);
            receive(f, t += MS, theirInitiation);
            HandshakeResponder.Response ourResponse = ourResp.createResponse(
                    ourResp.consumeInitiation(theirInitiation, 0, theirInitiation.length), 99, null);
            f.session(session(statics, ourEph, psk), false);
            send(f, t += MS, ourResponse.message());
            TransportKeys theirKeys = theirInit.consumeResponse(ourResponse.message(), 0, ourResponse.message().length);
            echoes += pings(f, t += 20 * MS, ourResponse.keys(), theirKeys, stack, peer, 2);
        }
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));

        String tshark = Requirements.run("tshark", "-r", file.toString(), "-n", "-d", "udp.port==51820,wg",
                "-o", "wg.dissect_packet:TRUE", "-Y", "icmp", "-T", "fields", "-e", "icmp.type", "-e", "icmp.seq");
        assertEquals(echoes, tshark.lines().count(), "every echo decrypted by tshark:\n" + tshark);
        assertEquals(10, echoes);

        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = dev.wgdiag.cli.Main.run(new PrintWriter(out), new PrintWriter(err), "analyze", file.toString(), "--decrypt",
                "--format", "json");
        assertEquals(0, code, err.toString());
        JsonNode d = new ObjectMapper().readTree(out.toString()).at("/identification/decryption");
        assertEquals(2, d.get("sessions").asInt());
        assertEquals(echoes, d.at("/innerProtocols/IPv4 ICMP").asLong());
        assertEquals(0, d.get("failures").asLong());
        assertFalse(out.toString().contains(ours.toBase64()), "no private key in the report");
    }

    /** n pings from us, each answered by the peer's stack; returns the echo messages written. */
    private int pings(PeerCaptureFile f, long t, TransportKeys ours, TransportKeys theirs, InnerStack stack, InnerStack peer, int n)
            throws Exception {
        for (int seq = 1; seq <= n; seq++) {
            byte[] request = stack.echoRequest(InetAddress.getByName("10.0.0.1"), 5, seq, t, 56);
            send(f, t += 200 * MS, ours.sending().sealMessage(ours.remoteIndex(), seq - 1, request));
            byte[] reply = ((InnerStack.Answer) peer.receive(request)).reply();
            receive(f, t += 20 * MS, theirs.sending().sealMessage(theirs.remoteIndex(), seq - 1, reply));
        }
        return 2 * n;
    }

    private static List<String> session(List<String> statics, PrivateKey ephemeral, PresharedKey psk) {
        List<String> lines = new ArrayList<>(statics);
        lines.add("LOCAL_EPHEMERAL_PRIVATE_KEY = " + ephemeral.toBase64());
        lines.add("PRESHARED_KEY = " + psk.toBase64());
        return lines;
    }

    private void send(PeerCaptureFile f, long t, byte[] wg) throws Exception {
        int n = frames.wrap(us, them, wg, 0, wg.length);
        f.frame(t, frames.frame(), n, wg[0] == 1);
    }

    private void receive(PeerCaptureFile f, long t, byte[] wg) throws Exception {
        int n = frames.wrap(them, us, wg, 0, wg.length);
        f.frame(t, frames.frame(), n, false);
    }

    private Tai64n now() {
        return Tai64n.whitened(Instant.now());
    }
}
