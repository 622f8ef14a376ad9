package dev.wgdiag.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wgdiag.crypto.PrivateKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code wgdiag probe --html} into a place it cannot write fails at once, in one line, before any probing. */
class ProbeCommandTest {
    @TempDir
    Path dir;

    @Test
    void shouldRefuseAnUnwritableHtmlFileBeforeProbing() throws Exception {
        SecureRandom r = new SecureRandom();
        Path conf = dir.resolve("phone.conf");
        Files.writeString(conf, "[Interface]\nPrivateKey = " + Base64.getEncoder().encodeToString(PrivateKey.generate(r).toBytes())
                + "\nAddress = 10.77.0.2/24\n\n[Peer]\nPublicKey = " + PrivateKey.generate(r).publicKey()
                + "\nEndpoint = 192.0.2.1:51820\nAllowedIPs = 10.77.0.0/24\n");
        Files.setPosixFilePermissions(conf, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        Path page = dir.resolve("no-such-dir").resolve("nat.html");
        CliRun run = CliRun.of("probe", conf.toString(), "--html", page.toString());
        assertEquals(ExitCode.OUTPUT_FAILED, run.exitCode(), run.err());
        assertTrue(run.err().contains(page.toString()) && run.err().strip().lines().count() == 1, run.err());
        assertFalse(run.out().contains("probing the NAT"), "nothing was probed: " + run.out());
        assertFalse(Files.exists(page));
    }
}
