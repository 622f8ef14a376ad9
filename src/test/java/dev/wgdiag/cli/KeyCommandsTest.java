package dev.wgdiag.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** wgdiag genkey/pubkey/genpsk against the real wg(8) from wireguard-tools. */
class KeyCommandsTest {

    static boolean wgAvailable() {
        try {
            Process p = new ProcessBuilder("wg", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    static boolean requireWg() {
        if (wgAvailable()) {
            return true;
        }
        if ("true".equals(System.getenv("CI"))) {
            fail("wg (wireguard-tools) is not installed, and CI=true forbids skipping");
        }
        System.out.println("SKIP: wg (wireguard-tools) is not installed; interop not checked");
        return false;
    }

    static String wg(String stdin, String... args) throws Exception {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "wg";
        System.arraycopy(args, 0, cmd, 1, args.length);
        Process p = new ProcessBuilder(cmd).start();
        if (stdin != null) {
            p.getOutputStream().write(stdin.getBytes(StandardCharsets.US_ASCII));
        }
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), "wg " + String.join(" ", args) + " failed");
        return out;
    }

    static String run(java.util.concurrent.Callable<Integer> c, ByteArrayOutputStream bout) throws Exception {
        assertEquals(0, c.call());
        return bout.toString(StandardCharsets.US_ASCII);
    }

    @Test
    void pubkeyShouldMatchWgPubkeyForKeysFromWgGenkey() throws Exception {
        if (!requireWg()) {
            return;
        }
        for (int i = 0; i < 5; i++) {
            String priv = wg(null, "genkey");
            String expected = wg(priv, "pubkey");
            assertEquals(expected, KeyCommands.pubkeyOf(priv, System.err));
        }
    }

    @Test
    void wgPubkeyShouldAcceptKeysFromWgdiagGenkeyAndAgree() throws Exception {
        if (!requireWg()) {
            return;
        }
        for (int i = 0; i < 5; i++) {
            ByteArrayOutputStream bout = new ByteArrayOutputStream();
            String priv = run(new KeyCommands.GenkeyCommand(new PrintStream(bout, true, StandardCharsets.US_ASCII),
                    new SecureRandom()), bout);
            assertEquals(45, priv.length());
            assertTrue(priv.endsWith("=\n"));
            assertEquals(wg(priv, "pubkey"), KeyCommands.pubkeyOf(priv, System.err));
        }
    }

    @Test
    void genkeyShouldPrintAClampedKeyLikeWgGenkey() throws Exception {
        // wg genkey output is clamped (RFC 7748 section 5); check ours the same way as wg's.
        ByteArrayOutputStream bout = new ByteArrayOutputStream();
        String priv = run(new KeyCommands.GenkeyCommand(new PrintStream(bout, true, StandardCharsets.US_ASCII),
                new SecureRandom()), bout);
        byte[] k = Base64.getDecoder().decode(priv.strip());
        assertEquals(0, k[0] & 7);
        assertEquals(0x40, k[31] & 0xc0);
        if (requireWg()) {
            byte[] w = Base64.getDecoder().decode(wg(null, "genkey").strip());
            assertEquals(0, w[0] & 7);
            assertEquals(0x40, w[31] & 0xc0);
        }
    }

    @Test
    void genpskShouldPrintThirtyTwoBytesOfBase64() throws Exception {
        ByteArrayOutputStream bout = new ByteArrayOutputStream();
        String psk = run(new KeyCommands.GenpskCommand(new PrintStream(bout, true, StandardCharsets.US_ASCII),
                new SecureRandom()), bout);
        assertEquals(32, Base64.getDecoder().decode(psk.strip()).length);
        if (requireWg()) {
            assertEquals(45, wg(null, "genpsk").length());
        }
    }

    @Test
    void pubkeyShouldFailWithOneLineOnBadInputLikeWg() throws Exception {
        for (String bad : new String[] {"", "not a key\n", "dwdtCnMYpX08FsFyUbJmRd9ML4frwJkqsXf7pR25LCo= trailing\n",
                "dwdtCnMYpX08FsFyUbJmRd9ML4frwJkqsXf7pR25LC!=\n"}) {
            ByteArrayOutputStream berr = new ByteArrayOutputStream();
            PrintStream err = new PrintStream(berr, true, StandardCharsets.US_ASCII);
            assertNull(KeyCommands.pubkeyOf(bad, err));
            String msg = berr.toString(StandardCharsets.US_ASCII);
            assertEquals(1, msg.lines().count(), msg);
            assertTrue(msg.startsWith("wgdiag: "), msg);
            if (wgAvailable()) {
                Process p = new ProcessBuilder("wg", "pubkey").start();
                p.getOutputStream().write(bad.getBytes(StandardCharsets.US_ASCII));
                p.getOutputStream().close();
                String wgErr = new String(p.getErrorStream().readAllBytes(), StandardCharsets.US_ASCII);
                assertTrue(p.waitFor(10, TimeUnit.SECONDS));
                assertEquals(1, p.exitValue());
                // wg prefixes its program name "wg: ", ours is "wgdiag: "; the reason must be the same.
                assertEquals(wgErr.substring(wgErr.indexOf(": ")), msg.substring(msg.indexOf(": ")), "same reason as wg pubkey");
            }
        }
    }
}
