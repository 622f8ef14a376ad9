package dev.wgdiag.cli;

import dev.wgdiag.testing.Requirements;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad input gets one line naming the file and the problem, a non-zero exit, and no stack trace. */
class AnalyzeBadInputTest {
    @TempDir
    Path dir;

    private static void assertOneLineNaming(CliRun run, String file, String problem) {
        assertEquals(ExitCode.BAD_INPUT, run.exitCode(), run.err());
        String[] lines = run.err().strip().split("\n");
        assertEquals(1, lines.length, "expected one line, got: " + run.err());
        assertTrue(lines[0].contains(file), lines[0]);
        assertTrue(lines[0].toLowerCase().contains(problem), lines[0]);
        assertFalse(run.err().contains("Exception") || run.err().contains("\tat "), run.err());
    }

    @Test
    void shouldNameAMissingFile() {
        String missing = dir.resolve("nope.pcap").toString();
        assertOneLineNaming(CliRun.of("analyze", "--list", missing), missing, "no such file");
    }

    @Test
    void shouldNameAnEmptyFile() throws IOException {
        Path empty = Files.createFile(dir.resolve("empty.pcap"));
        assertOneLineNaming(CliRun.of("analyze", "--list", empty.toString()), empty.toString(), "empty");
    }

    @Test
    void shouldNameAFileThatIsNotACapture() throws IOException {
        Path html = Files.writeString(dir.resolve("page.pcap"), "<html><body>not a capture</body></html>\n");
        assertOneLineNaming(CliRun.of("analyze", "--list", html.toString()), html.toString(), "not a");
    }

    @Test
    void shouldKeepMessagesBeforeATruncationAndWarn() throws IOException {
        // Truth: tshark's decode of the same cut file (tshark reads up to the cut, as we must).
        Requirements.commands("tshark");
        Path whole = Requirements.projectDir().resolve("captures/handshake-ping.server.pcap");
        byte[] bytes = Files.readAllBytes(whole);
        Path cut = Files.write(dir.resolve("cut.pcap"), Arrays.copyOf(bytes, bytes.length * 2 / 3));
        String tshark = Requirements.run(false, "tshark", "-r", cut.toString(), "-n", "-d", "udp.port==51820,wg",
                "-Y", "wg", "-T", "fields", "-e", "frame.number");
        long expected = tshark.lines().filter(l -> !l.isBlank()).count();

        CliRun run = CliRun.of("analyze", "--list", "--format", "json", cut.toString());

        assertEquals(ExitCode.OK, run.exitCode(), run.err());
        assertEquals(expected, run.out().lines().filter(l -> !l.isBlank()).count());
        assertTrue(expected > 0);
        assertTrue(run.err().contains("warning") && run.err().contains(cut.toString()) && run.err().contains("truncated"),
                run.err());
    }

    @Test
    void shouldNotLeaveAPartialOutputFileWhenTheInputIsBad() throws IOException {
        Path out = dir.resolve("out.jsonl");
        CliRun run = CliRun.of("analyze", "--list", "-o", out.toString(), dir.resolve("missing.pcap").toString());
        assertEquals(ExitCode.BAD_INPUT, run.exitCode());
        try (var files = Files.list(dir)) {
            assertEquals(0, files.count(), "no output and no temporary file may be left");
        }
    }
}
