package dev.wgdiag.capture;

import dev.wgdiag.report.EventLines;

import dev.wgdiag.pcap.CaptureReader;
import dev.wgdiag.testing.Requirements;
import dev.wgdiag.timeline.Analyzer;
import dev.wgdiag.timeline.AnalyzerOptions;
import dev.wgdiag.wire.WireGuardDecoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real WireGuard (two wireguard-go peers in two namespaces joined by a veth pair, see
 * src/test/capture/wgpair.sh) captured by {@code wgdiag capture} and by tcpdump at the same time.
 * Both start before the first packet and stop after the last, so the two files must hold the same
 * WireGuard messages, as tshark decodes them; and what the capture printed live must equal the
 * offline analysis of the file it wrote.
 */
class LiveCaptureLabTest {
    @TempDir
    Path dir;

    private static Path script() {
        return Requirements.projectDir().resolve("src/test/capture/wgpair.sh");
    }

    private static String token() {
        byte[] b = new byte[3];
        new SecureRandom().nextBytes(b);
        return "wgc" + HexFormat.of().formatHex(b);
    }

    @Test
    void shouldWriteTheSameWireGuardMessagesAsTcpdumpAndPrintTheOfflineAnalysisLive() throws Exception {
        Requirements.root();
        Requirements.commands("ip", "wireguard-go", "wg", "tcpdump", "tshark", "ping");
        if (!Jvm.classPathUsable()) Requirements.unmet("the test class path does not name pcap4j (run through Maven)");
        String t = token();
        Path ours = dir.resolve("wgdiag.pcapng");
        Path theirs = dir.resolve("tcpdump.pcap");
        Process capture = null;
        Process tcpdump = null;
        try {
            Requirements.run("bash", script().toString(), "up", t);
            tcpdump = new ProcessBuilder("ip", "netns", "exec", t + "a", "tcpdump", "-i", t + "va", "-n", "-U",
                    "--time-stamp-precision=nano", "-w", theirs.toString(), "udp")
                    .redirectError(dir.resolve("tcpdump.err").toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            List<String> cmd = Jvm.capture(List.of("ip", "netns", "exec", t + "a"), List.of(),
                    t + "va", "-w", ours.toString(), "--no-status");
            capture = new ProcessBuilder(cmd).redirectError(dir.resolve("capture.err").toFile())
                    .redirectOutput(dir.resolve("capture.out").toFile()).start();
            awaitLine(dir.resolve("tcpdump.err"), "listening on", tcpdump);
            awaitLine(dir.resolve("capture.err"), "capturing on", capture);

            Requirements.run("bash", script().toString(), "wg", t);
            Requirements.run("ip", "netns", "exec", t + "a", "ping", "-c", "5", "-i", "0.2", "-W", "2", "100.64.77.2");
            Requirements.run("ip", "netns", "exec", t + "b", "ping", "-c", "3", "-i", "0.2", "-W", "2", "-s", "1000", "100.64.77.1");
            Thread.sleep(2500); // tcpdump hands frames over when its 1 s TPACKET_V3 block timeout expires

            capture.destroy(); // SIGTERM
            tcpdump.destroy();
            assertTrue(capture.waitFor(30, TimeUnit.SECONDS), "capture did not stop on SIGTERM");
            assertTrue(tcpdump.waitFor(30, TimeUnit.SECONDS), "tcpdump did not stop");
            String err = Files.readString(dir.resolve("capture.err"));
            assertTrue(capture.exitValue() == 143 || capture.exitValue() == 0, "exit " + capture.exitValue() + ": " + err);
            assertTrue(err.contains(" 0 dropped by libpcap"), err);

            List<String> expected = Tools.wgMessages(theirs, 51820, 51821);
            List<String> actual = Tools.wgMessages(ours, 51820, 51821);
            assertTrue(expected.size() >= 16, "too little traffic: " + expected);
            assertTrue(expected.stream().anyMatch(l -> l.split("\t")[1].equals("1")), "no initiation: " + expected);
            assertTrue(expected.stream().anyMatch(l -> l.split("\t")[1].equals("2")), "no response: " + expected);
            assertEquals(expected, actual);

            assertEquals(offline(ours), Files.readString(dir.resolve("capture.out")));
        } finally {
            if (capture != null && capture.isAlive()) capture.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            if (tcpdump != null && tcpdump.isAlive()) tcpdump.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            Requirements.run(false, "bash", script().toString(), "down", t);
        }
        assertFalse(Requirements.run("ip", "netns", "list").contains(t), "namespaces left behind");
        assertEquals("", Requirements.run(false, "pgrep", "-f", t).strip(), "processes left behind");
    }

    /** What capture prints on stdout, computed offline from the file: event lines, a blank line, then what {@code wgdiag analyze FILE} prints. */
    private static String offline(Path file) throws Exception {
        StringWriter text = new StringWriter();
        PrintWriter out = new PrintWriter(text);
        List<String> events = new ArrayList<>();
        Analyzer analyzer = new Analyzer(AnalyzerOptions.builder().listener(e -> events.add(EventLines.line(e))).build())
                .captureName(file.toString());
        CaptureReader.read(file.toString(), new WireGuardDecoder(analyzer), null);
        for (String e : events) out.println(e);
        out.println();
        StringWriter analyze = new StringWriter();
        StringWriter err = new StringWriter();
        assertEquals(0, dev.wgdiag.cli.Main.run(new PrintWriter(analyze), new PrintWriter(err), "analyze", file.toString()), err.toString());
        out.print(analyze);
        out.flush();
        return text.toString();
    }

    private static void awaitLine(Path file, String text, Process p) throws IOException, InterruptedException {
        for (int i = 0; i < 300; i++) {
            if (Files.exists(file) && Files.readString(file, StandardCharsets.UTF_8).contains(text)) {
                Thread.sleep(200); // libpcap's socket is live once the message is out; a margin for the ring
                return;
            }
            if (!p.isAlive()) throw new AssertionError(file + ": exited before '" + text + "': " + Files.readString(file));
            Thread.sleep(100);
        }
        throw new AssertionError("no '" + text + "' in " + file + " after 30 s");
    }
}
