package dev.wgdiag.report;

import dev.wgdiag.testing.Requirements;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each bundled capture's HTML report opened by a real browser (headless Chromium) from a file URL with
 * networking disabled (proxy to a closed port, background services off): no console message (the page
 * has no script, so any message is an error or a blocked load), and the verdict, a recommendation card
 * and an SVG chart are in the rendered DOM. Screenshots at 390 and 1280 px go to target/screenshots.
 */
class HtmlReportBrowserTest {
    @TestFactory
    Stream<DynamicTest> everyReportRendersInChromiumWithoutErrorsOrNetwork() throws Exception {
        Requirements.commands("chromium");
        Path captures = Requirements.projectDir().resolve("captures");
        Path out = Requirements.projectDir().resolve("target/screenshots");
        Files.createDirectories(out);
        List<DynamicTest> tests = new ArrayList<>();
        try (Stream<Path> s = Files.list(captures)) {
            for (Path p : s.filter(x -> x.toString().endsWith(".server.pcap")).sorted().toList()) {
                String name = p.getFileName().toString().replace(".server.pcap", "");
                tests.add(DynamicTest.dynamicTest(name, () -> check(name, out)));
            }
        }
        return tests.stream();
    }

    private static void check(String name, Path out) throws Exception {
        Path page = out.resolve(name + ".html");
        Files.writeString(page, HtmlReport.toHtml(HtmlReportTest.report(name)));
        String url = page.toUri().toString();
        Run dom = chromium(List.of("--dump-dom", url));
        assertEquals(0, dom.code, dom.err);
        assertTrue(dom.out.contains("id=\"verdict\""), name + ": no verdict in the DOM");
        assertTrue(dom.out.contains("class=\"card rec\"") || dom.out.contains("class=\"card note\""), name + ": no recommendation");
        assertTrue(dom.out.contains("<svg"), name + ": no chart");
        for (String size : List.of("390,2400", "1280,2000")) {
            Path png = out.resolve(name + "-" + size.substring(0, size.indexOf(',')) + ".png");
            Run shot = chromium(List.of("--screenshot=" + png, "--window-size=" + size, url));
            assertEquals(0, shot.code, shot.err);
            assertTrue(Files.size(png) > 10_000, png + " is nearly empty");
            assertNoConsoleMessages(name, shot.err);
        }
        assertNoConsoleMessages(name, dom.err);
    }

    private static void assertNoConsoleMessages(String name, String stderr) {
        for (String line : stderr.split("\n")) {
            assertFalse(line.contains(":CONSOLE") || line.contains("Refused to") || line.contains("net::ERR_"),
                    name + ": browser console: " + line);
        }
    }

    private record Run(int code, String out, String err) {
    }

    private static Run chromium(List<String> args) throws Exception {
        Path profile = Files.createTempDirectory("wgdiag-chromium");
        List<String> cmd = new ArrayList<>(List.of(Requirements.which("chromium").toString(), "--headless", "--no-sandbox",
                "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
                "--enable-logging=stderr", "--v=0", "--user-data-dir=" + profile));
        cmd.addAll(args);
        Path o = Files.createTempFile("wgdiag-chromium", ".out"), e = Files.createTempFile("wgdiag-chromium", ".err");
        try {
            Process p = new ProcessBuilder(cmd).redirectOutput(o.toFile()).redirectError(e.toFile()).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("chromium did not finish in 120 s: " + cmd);
            }
            return new Run(p.exitValue(), Files.readString(o), Files.readString(e));
        } finally {
            Files.deleteIfExists(o);
            Files.deleteIfExists(e);
            try (Stream<Path> w = Files.walk(profile)) {
                w.sorted(java.util.Comparator.reverseOrder()).forEach(x -> x.toFile().delete());
            }
        }
    }
}
