package dev.wgdiag.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wgdiag.config.IpPrefix;
import dev.wgdiag.crypto.PresharedKey;
import dev.wgdiag.crypto.PrivateKey;
import dev.wgdiag.peer.Action;
import dev.wgdiag.peer.InterfaceSpec;
import dev.wgdiag.peer.PeerSpec;
import dev.wgdiag.peer.WgInterface;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code wgdiag probe serve} on real UDP sockets (loopback): forged initiations (keys not in its
 * config, on both its ports) and junk get nothing back; the configured peer's initiation, sent last
 * from the same socket, gets its handshake response, which proves the server was listening all along.
 */
class ProbeServeCommandTest {
    private static final int PORT = 47_330;
    private final SecureRandom random = new SecureRandom();

    @Test
    void shouldNeverAnswerADatagramFromAPeerNotInItsConfig(@TempDir Path dir) throws Exception {
        PrivateKey server = PrivateKey.generate(random), known = PrivateKey.generate(random);
        Path conf = dir.resolve("server.conf");
        Files.writeString(conf, "[Interface]\nPrivateKey = " + Base64.getEncoder().encodeToString(server.toBytes()) + "\nListenPort = " + PORT
                + "\nAddress = 10.77.0.1/24\n\n[Peer]\nPublicKey = " + known.publicKey() + "\nAllowedIPs = 10.77.0.2/32\n");
        Files.setPosixFilePermissions(conf, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        CompletableFuture<CliRun> serve = CompletableFuture.supplyAsync(() -> CliRun.of("probe", "serve", conf.toString(), "-d", "6"));
        Thread.sleep(1500);
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            s.setSoTimeout(1500);
            for (int port : List.of(PORT, PORT + 1)) {
                for (int i = 0; i < 5; i++) {
                    byte[] forged = initiation(PrivateKey.generate(random), server, port);
                    s.send(new DatagramPacket(forged, forged.length, new InetSocketAddress("127.0.0.1", port)));
                }
                byte[] junk = new byte[148];
                random.nextBytes(junk);
                junk[0] = 1;
                s.send(new DatagramPacket(junk, junk.length, new InetSocketAddress("127.0.0.1", port)));
            }
            DatagramPacket in = new DatagramPacket(new byte[2048], 2048);
            assertThrows(SocketTimeoutException.class, () -> s.receive(in), "nothing comes back to forged initiations");

            byte[] good = initiation(known, server, PORT);
            s.send(new DatagramPacket(good, good.length, new InetSocketAddress("127.0.0.1", PORT)));
            s.receive(in);
            assertEquals(2, in.getData()[0], "a handshake response (type 2) to the configured peer");
            assertEquals(92, in.getLength());
        }
        CliRun run = serve.join();
        assertEquals(0, run.exitCode(), run.err());
        assertEquals(1, run.out().lines().filter(l -> l.contains("handshake")).count(), run.out());
        assertTrue(run.out().contains("UDP ports [" + PORT + ", " + (PORT + 1) + "]"), run.out());
    }

    private byte[] initiation(PrivateKey from, PrivateKey server, int port) {
        WgInterface c = new WgInterface(new InterfaceSpec(from, List.of(new PeerSpec("server", server.publicKey(), PresharedKey.NONE,
                new InetSocketAddress("127.0.0.1", port), List.of(IpPrefix.parse("10.77.0.0/24")), 0))), random);
        for (Action a : c.connect(server.publicKey(), System.currentTimeMillis() * 1_000_000L)) {
            if (a instanceof Action.SendDatagram d) return d.bytes();
        }
        throw new AssertionError("no initiation");
    }
}
