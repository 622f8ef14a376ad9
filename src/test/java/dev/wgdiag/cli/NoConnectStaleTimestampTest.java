package dev.wgdiag.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wgdiag.crypto.HandshakeInitiator;
import dev.wgdiag.crypto.PrivateKey;
import dev.wgdiag.crypto.Tai64n;
import dev.wgdiag.lab.LabTest;
import dev.wgdiag.testing.Requirements;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Cause 3 of issue 11, a timestamp not after one the server accepted: initiations whose clock we
 * control sent to the reference peer ({@code wgdiag peer}) over loopback, captured with tcpdump on
 * lo (root). The truth is the server's behaviour on our socket: it answers the first initiation and
 * stays silent to one from the same phone an hour earlier by its clock.
 */
@LabTest
class NoConnectStaleTimestampTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    @TempDir
    Path dir;

    @Test
    void shouldNameInitiationsWhoseTimestampIsNotAfterAnAcceptedOne() throws Exception {
        Requirements.root();
        Requirements.commands("tcpdump");
        PrivateKey phone = PrivateKey.generate(RANDOM);
        PrivateKey server = PrivateKey.generate(RANDOM);
        int port;
        try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        String serverText = "[Interface]\nPrivateKey = " + server.toBase64() + "\nListenPort = " + port
                + "\nAddress = 10.0.0.1/32\n\n# phone\n[Peer]\nPublicKey = " + phone.publicKey().toBase64() + "\nAllowedIPs = 10.0.0.2/32\n";
        Path conf = dir.resolve("server.conf");
        Files.writeString(conf, serverText);
        Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("rw-------"));
        Path pcap = dir.resolve("lo.pcap");

        CompletableFuture<CliRun> serverRun = CompletableFuture.supplyAsync(() -> CliRun.of("peer", conf.toString(), "-d", "8s", "--no-status"));
        Process tcpdump = new ProcessBuilder("tcpdump", "-i", "lo", "-U", "-n", "-w", pcap.toString(), "udp port " + port)
                .redirectErrorStream(true).start();
        boolean answered;
        boolean staleAnswered;
        try {
            BufferedReader r = new BufferedReader(new InputStreamReader(tcpdump.getInputStream(), StandardCharsets.UTF_8));
            String l;
            while ((l = r.readLine()) != null && !l.contains("listening on")) {
                // wait until tcpdump captures
            }
            Thread.sleep(1000); // the server peer is up
            try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
                s.setSoTimeout(2000);
                InetSocketAddress to = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
                Instant now = Instant.now();
                answered = exchange(s, to, new HandshakeInitiator(phone, server.publicKey(), null,
                        () -> PrivateKey.generate(RANDOM), () -> Tai64n.of(now)).createInitiation(1));
                // the same phone, its clock an hour back
                staleAnswered = exchange(s, to, new HandshakeInitiator(phone, server.publicKey(), null,
                        () -> PrivateKey.generate(RANDOM), () -> Tai64n.of(now.minusSeconds(3600))).createInitiation(2));
            }
            Thread.sleep(300);
        } finally {
            tcpdump.destroy();
            tcpdump.waitFor(5, TimeUnit.SECONDS);
        }
        serverRun.join();
        assertTrue(answered, "the reference peer answers a fresh initiation");
        assertFalse(staleAnswered, "the reference peer ignores the older timestamp");

        CliRun run = CliRun.of("analyze", pcap.toString(), "--config", conf.toString(), "--format", "json");
        assertEquals(0, run.exitCode(), run.err());
        JsonNode r = new ObjectMapper().readTree(run.out());
        assertEquals(List.of("STALE_TIMESTAMP"), r.at("/noConnect").findValuesAsText("cause"), r.at("/noConnect").toString());
        assertEquals("STALE_TIMESTAMP", r.at("/verdict/problems/0").asText());
        JsonNode f = r.at("/noConnect/0");
        assertEquals(1, f.get("messages").asInt());
        assertEquals(3, f.at("/frames/0").asInt(), "initiation, response, then the stale initiation");
        assertEquals(phone.publicKey().shortForm(), f.get("key").asText());
        assertEquals(conf.toString(), f.at("/fix/file").asText());
        assertEquals(serverText.lines().toList().indexOf("[Peer]") + 1, f.at("/fix/line").asInt());

        CliRun noKey = CliRun.of("analyze", pcap.toString(), "--format", "json");
        assertTrue(new ObjectMapper().readTree(noKey.out()).at("/noConnect").isMissingNode(), "the timestamp needs the server's private key");
    }

    private static boolean exchange(DatagramSocket s, InetSocketAddress to, byte[] initiation) throws Exception {
        s.send(new DatagramPacket(initiation, initiation.length, to));
        byte[] buf = new byte[256];
        try {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            s.receive(p);
            return p.getLength() == 92 && buf[0] == 2; // a handshake response (whitepaper 5.4.3)
        } catch (SocketTimeoutException e) {
            return false;
        }
    }
}
