package dev.wgdiag.cli;

import dev.wgdiag.testing.Requirements;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AnalyzeHtmlTest {
    @Test
    void shouldWriteTheHtmlReportAndDrawNoProgressWhenNotOnATerminal(@TempDir Path dir) throws Exception {
        String c = Requirements.projectDir().resolve("captures").toString();
        Path html = dir.resolve("r.html");
        CliRun r = CliRun.of("analyze", c + "/mapping-expiry.server.pcap", c + "/mapping-expiry.client.pcap", "--html", html.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().startsWith("Verdict: "), r.out());
        assertTrue(Files.readString(html).contains("id=\"verdict\""));
        assertFalse(r.err().contains("\r"), "a progress bar was drawn on a non-terminal: " + r.err());
    }

    @Test
    void shouldShowBytesReadOfTotalInTheProgressBar() {
        assertEquals("[############            ]  50% 133/266 MB",
                AnalyzeCommand.ProgressBar.line(133_000_000L, 266_000_000L, ""));
        assertEquals("read 12 MB", AnalyzeCommand.ProgressBar.line(12_000_000L, -1, ""));
    }
}
