package dev.wgdiag.cli;

import dev.wgdiag.testing.Requirements;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Private and preshared keys from configs never reach a report, JSON or an error message. */
class SecretsNeverPrintedTest {
    @TempDir
    Path dir;

    private static String privateKeyOf(Path conf) throws IOException {
        return Files.readAllLines(conf).stream().filter(l -> l.startsWith("PrivateKey"))
                .map(l -> l.substring(l.indexOf('=') + 1).strip()).findFirst().orElseThrow();
    }

    @Test
    void shouldKeepPrivateKeysOutOfTextAndJsonReports() throws IOException {
        Path captures = Requirements.projectDir().resolve("captures");
        Path server = captures.resolve("swap-no-reply.server.conf");
        Path client = captures.resolve("swap-no-reply.client.conf");
        List<String> secrets = List.of(privateKeyOf(server), privateKeyOf(client));
        for (String format : List.of("text", "json")) {
            CliRun run = CliRun.of("analyze", captures.resolve("swap-no-reply.server.pcap").toString(),
                    "--config", server.toString(), "--config", client.toString(), "--format", format);
            assertEquals(ExitCode.OK, run.exitCode(), run.err());
            assertTrue(run.out().contains("swap-no-reply.client"), "peers are named from the configs");
            for (String secret : secrets) {
                assertFalse(run.out().contains(secret) || run.err().contains(secret), format + " output holds a private key");
            }
        }
    }

    @Test
    void shouldMaskTheKeyWhenAConfigLineIsWrong() throws IOException {
        String psk = "0dwdtCnMYpX08FsFyUbJmRd9ML4frwJkqsXf7pR25LC=";  // 44 characters, not valid base64 of 32 bytes
        Path bad = Files.writeString(dir.resolve("wg0.conf"), "[Interface]\nListenPort = 51820\n\n[Peer]\n"
                + "PublicKey = mqIe9kdlbkUz7/BBu8ZLCOEKuCPY/ZaBkt+Aco5NUXw=\nPresharedKey = " + psk + "\n");
        CliRun run = CliRun.of("analyze", Requirements.projectDir().resolve("captures/handshake-ping.server.pcap").toString(),
                "--config", bad.toString());
        assertEquals(ExitCode.BAD_INPUT, run.exitCode());
        assertEquals(1, run.err().strip().lines().count(), run.err());
        assertTrue(run.err().contains(bad.toString()) && run.err().contains("PresharedKey"), run.err());
        assertFalse(run.err().contains(psk), run.err());
    }
}
