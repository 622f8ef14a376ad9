package dev.wgdiag.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wgdiag.crypto.PrivateKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code wgdiag peer --idle-probe}: what it cannot work with is refused in one line before a socket opens. */
class PeerIdleProbeOptionTest {
    @TempDir
    Path dir;
    private final SecureRandom r = new SecureRandom();

    private Path config(String... peers) throws Exception {
        StringBuilder b = new StringBuilder("[Interface]\nPrivateKey = " + Base64.getEncoder().encodeToString(PrivateKey.generate(r).toBytes())
                + "\nListenPort = 0\nAddress = 10.77.0.1/24\n");
        for (String allowed : peers) b.append("\n[Peer]\nPublicKey = ").append(PrivateKey.generate(r).publicKey()).append("\nAllowedIPs = ").append(allowed).append('\n');
        Path p = dir.resolve("server" + peers.length + ".conf");
        Files.writeString(p, b);
        Files.setPosixFilePermissions(p, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        return p;
    }

    @Test
    void shouldRefuseTwoPeersABadScheduleAndAPeerWithoutAHostAddress() throws Exception {
        CliRun two = CliRun.of("peer", config("10.77.0.2/32", "10.77.0.3/32").toString(), "--idle-probe", "10,20");
        assertEquals(ExitCode.USAGE, two.exitCode(), two.err());
        assertTrue(two.err().contains("--idle-probe needs exactly one [Peer]") && two.err().strip().lines().count() == 1, two.err());

        CliRun bad = CliRun.of("peer", config("10.77.0.2/32").toString(), "--idle-probe", "10,x");
        assertEquals(ExitCode.USAGE, bad.exitCode(), bad.err());
        assertTrue(bad.err().contains("--idle-probe 10,x: not a number of seconds: 'x'"), bad.err());

        CliRun net = CliRun.of("peer", config("10.78.0.0/24").toString(), "--idle-probe", "10");
        assertEquals(ExitCode.USAGE, net.exitCode(), net.err());
        assertTrue(net.err().contains("no single-address AllowedIPs"), net.err());
    }
}
