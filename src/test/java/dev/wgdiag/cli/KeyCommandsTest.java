package dev.wgdiag.cli;

import dev.wgdiag.testing.Requirements;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** wgdiag genkey/pubkey/genpsk against the real wg(8) from wireguard-tools. */
class KeyCommandsTest {

    record Result(int code, String out, String err) {
    }

    static Result wg(String stdin, String... args) throws IOException, InterruptedException {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "wg";
        System.arraycopy(args, 0, cmd, 1, args.length);
        Process p = new ProcessBuilder(cmd).start();
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.US_ASCII));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.US_ASCII);
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        return new Result(p.exitValue(), out, err);
    }

    @Test
    void pubkeyShouldMatchWgPubkeyForKeysFromWgGenkey() throws Exception {
        Requirements.commands("wg");
        for (int i = 0; i < 5; i++) {
            String priv = wg("", "genkey").out();
            assertEquals(wg(priv, "pubkey").out(), CliRun.withStdin(priv, "pubkey").out());
        }
    }

    @Test
    void wgPubkeyShouldAcceptKeysFromWgdiagGenkeyAndAgree() throws Exception {
        Requirements.commands("wg");
        for (int i = 0; i < 5; i++) {
            CliRun gen = CliRun.of("genkey");
            assertEquals(ExitCode.OK, gen.exitCode());
            assertEquals(45, gen.out().length());
            assertTrue(gen.out().endsWith("=\n"));
            assertEquals(wg(gen.out(), "pubkey").out(), CliRun.withStdin(gen.out(), "pubkey").out());
        }
    }

    @Test
    void genkeyShouldPrintAClampedKeyLikeWgGenkey() throws Exception {
        Requirements.commands("wg");
        // RFC 7748 section 5 clamping, which wg genkey applies too: check both the same way.
        for (String key : new String[]{CliRun.of("genkey").out(), wg("", "genkey").out()}) {
            byte[] k = Base64.getDecoder().decode(key.strip());
            assertEquals(0, k[0] & 7);
            assertEquals(0x40, k[31] & 0xc0);
        }
    }

    @Test
    void genpskShouldPrintThirtyTwoBytesOfBase64LikeWgGenpsk() throws Exception {
        Requirements.commands("wg");
        String ours = CliRun.of("genpsk").out();
        String theirs = wg("", "genpsk").out();
        assertEquals(theirs.length(), ours.length());
        assertEquals(32, Base64.getDecoder().decode(ours.strip()).length);
    }

    @Test
    void pubkeyShouldFailWithOneLineGivingWgsReasonOnBadInput() throws Exception {
        Requirements.commands("wg");
        for (String bad : new String[]{"", "not a key\n", "dwdtCnMYpX08FsFyUbJmRd9ML4frwJkqsXf7pR25LCo= trailing\n",
                "dwdtCnMYpX08FsFyUbJmRd9ML4frwJkqsXf7pR25LC!=\n"}) {
            Result theirs = wg(bad, "pubkey");
            CliRun ours = CliRun.withStdin(bad, "pubkey");
            assertEquals(1, theirs.code());
            assertEquals(ExitCode.BAD_INPUT, ours.exitCode());
            assertEquals("", ours.out());
            assertEquals(1, ours.err().lines().count(), ours.err());
            // wg prefixes "wg: ", we prefix "wgdiag: "; the reason must be the same.
            assertEquals(theirs.err().substring(theirs.err().indexOf(": ")), ours.err().substring(ours.err().indexOf(": ")));
        }
    }
}
