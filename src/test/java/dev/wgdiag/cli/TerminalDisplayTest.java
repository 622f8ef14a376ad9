package dev.wgdiag.cli;

import dev.wgdiag.bench.ScaleCapture;
import dev.wgdiag.testing.Requirements;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * On a real terminal (tmux) wgdiag draws its progress bar and its live status line on stderr, and
 * clears them; when output is not a terminal nothing of them appears. tmux's pipe-pane records every
 * byte the program wrote to the terminal, redraws included, so the test does not race the drawing.
 */
class TerminalDisplayTest {
    @TempDir
    Path dir;

    private String wgdiag(String... args) {
        StringBuilder sb = new StringBuilder();
        sb.append(Path.of(System.getProperty("java.home"), "bin", "java")).append(" -Xmx256m -cp '")
                .append(System.getProperty("java.class.path")).append("' ").append(Main.class.getName());
        for (String a : args) sb.append(' ').append(a);
        return sb.toString();
    }

    /** Runs a shell command in a detached 120x20 tmux session; returns every byte it wrote to the terminal and the final screen. */
    private String[] inTmux(String command, int seconds) throws Exception {
        String session = "wgdiag-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime() % 100000;
        Path log = dir.resolve(session + ".log");
        Path done = dir.resolve(session + ".done");
        Requirements.run("tmux", "new-session", "-d", "-s", session, "-x", "120", "-y", "20",
                "sleep 0.5; " + command + "; echo exit=$? > " + done + "; sleep 30");
        try {
            Requirements.run("tmux", "pipe-pane", "-t", session, "-o", "cat >> " + log);
            for (int i = 0; i < seconds * 10 && !Files.exists(done); i++) Thread.sleep(100);
            assertTrue(Files.exists(done), "the command did not finish in " + seconds + " s");
            Thread.sleep(300);
            String screen = Requirements.run("tmux", "capture-pane", "-p", "-t", session);
            return new String[]{Files.readString(log, StandardCharsets.ISO_8859_1), screen, Files.readString(done).strip()};
        } finally {
            Requirements.run(false, "tmux", "kill-session", "-t", session);
        }
    }

    @Test
    void shouldDrawAndClearAProgressBarOnATerminalOnly() throws Exception {
        Requirements.commands("tmux", "editcap");
        Path seed = dir.resolve("seed.pcap");
        Requirements.run("editcap", "-F", "pcap", Requirements.projectDir().resolve("src/test/resources/wire/iperf-snaplen96.pcap").toString(),
                seed.toString());
        Path big = dir.resolve("big.pcap");
        ScaleCapture.main(new String[]{seed.toString(), big.toString(), "4000000"});

        String[] tty = inTmux(wgdiag("analyze", big.toString()), 60);

        assertEquals("exit=0", tty[2]);
        assertTrue(tty[0].matches("(?s).*\\[#* *\\] +\\d+% +[\\d.]+/[\\d.]+ MB.*"), "no progress bar was drawn: " + tail(tty[0]));
        assertTrue(tty[0].contains("Verdict:"), tail(tty[0]));
        assertFalse(tty[1].matches("(?s).*\\d+% +[\\d.]+/[\\d.]+ MB.*"), "the bar was not cleared: " + tty[1]);

        Process p = new ProcessBuilder(List.of(wgdiag("analyze", big.toString()).split(" "))).start();
        p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor());
        assertFalse(err.contains("%"), "a bar on a pipe: " + err);
    }

    @Test
    void shouldShowTheCaptureStatusLineOnATerminal() throws Exception {
        Requirements.root();
        Requirements.commands("tmux", "tcpdump");
        // Loopback, a port nothing uses (RFC 6335 leaves 9 to discard): no traffic is needed for the status line.
        String[] tty = inTmux(wgdiag("capture", "lo", "--port", "9", "-d", "3"), 30);

        assertEquals("exit=0", tty[2]);
        assertTrue(tty[0].matches("(?s).*\\r\\u001b\\[K\\d+ packets, \\d+ WireGuard messages, \\d+ dropped by libpcap.*"),
                "no status line was drawn: " + tail(tty[0]));
        assertTrue(tty[1].contains("packets captured"), "the summary follows: " + tty[1]);
    }

    private static String tail(String s) {
        return s.length() > 600 ? s.substring(s.length() - 600) : s;
    }
}
