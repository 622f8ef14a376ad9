package dev.wgdiag.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.wgdiag.testing.CaptureBytes.LINKTYPE_ETHERNET;
import static dev.wgdiag.testing.CaptureBytes.SERVER;
import static dev.wgdiag.testing.CaptureBytes.initiation;
import static dev.wgdiag.testing.CaptureBytes.pcapHeader;
import static dev.wgdiag.testing.CaptureBytes.pcapRecord;
import static dev.wgdiag.testing.CaptureBytes.transport;
import static dev.wgdiag.testing.CaptureBytes.udp4;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A server's capture of many clients (more than the 50 tunnels a report details one by one): 80 clients
 * that each send one keepalive of a session met mid-way (no problem to see) and, among them, 3 whose one
 * initiation got no answer (a problem by construction). The text report ranks the 3 first, counts them,
 * and details only the worst; the JSON report keeps every tunnel; --peer narrows to one client.
 */
class ManyTunnelsTest {
    private static final int CLIENTS = 80;
    /** The clients that send an initiation (never answered): the only tunnels with a problem. */
    private static final List<Integer> UNANSWERED = List.of(17, 42, 66);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static Path capture;

    private static byte[] address(int i) {
        return new byte[] {100, 64, 1, (byte) i};                   // 100.64.1.i (RFC 6598)
    }

    private static String endpoint(int i) {
        return "100.64.1." + i + ":" + (40000 + i);
    }

    @BeforeAll
    static void writeCapture() throws Exception {
        capture = dir.resolve("many.pcap");
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(capture))) {
            out.write(pcapHeader(65535, LINKTYPE_ETHERNET));
            for (int i = 1; i <= CLIENTS; i++) {
                byte[] wg = UNANSWERED.contains(i) ? initiation(1000 + i) : transport(1000 + i, 0, 32);
                out.write(pcapRecord(1_764_000_000_000_000L + 1000L * i, udp4(address(i), 40000 + i, SERVER, 51820, wg)));
            }
        }
    }

    @Test
    void shouldRankTheTunnelsWithUnansweredHandshakesFirstAndDetailOnlyTheWorst() {
        CliRun run = CliRun.of("analyze", "--no-progress", capture.toString());

        assertEquals(ExitCode.OK, run.exitCode(), run.err());
        assertTrue(run.out().contains("Tunnels: " + CLIENTS + ", the worst 25 ranked by severity"), run.out());
        assertTrue(run.out().contains("  problems: handshakes unanswered in " + UNANSWERED.size() + " tunnels"), run.out());
        List<String> rows = run.out().lines().filter(l -> l.matches("\\s+\\d+\\s+tunnel\\d+\\s.*")).toList();
        assertEquals(25, rows.size(), run.out());
        for (int r = 0; r < UNANSWERED.size(); r++) {
            assertTrue(rows.get(r).contains("handshakes unanswered (1)") && rows.get(r).contains(endpoint(UNANSWERED.get(r))), rows.get(r));
        }
        assertTrue(rows.get(UNANSWERED.size()).contains(" none "), rows.get(UNANSWERED.size()));
        assertTrue(run.out().contains("... and " + (CLIENTS - 25) + " more tunnels"), run.out());
        assertEquals(5, run.out().lines().filter(l -> l.startsWith("Tunnel tunnel")).count(), "the worst 5 in full");
        assertTrue(run.out().contains("Verdict: Unstable: 1 handshake got no answer (and 2 more findings of this kind in other tunnels)."),
                run.out());
    }

    @Test
    void shouldShowTheRankedTableAndTheWorstFiveInTheHtmlReport() throws Exception {
        Path html = dir.resolve("many.html");
        CliRun run = CliRun.of("analyze", "--no-progress", "--html", html.toString(), capture.toString());

        assertEquals(ExitCode.OK, run.exitCode(), run.err());
        String page = Files.readString(html);
        String table = page.substring(page.indexOf("<section id=\"ranking\">"), page.indexOf("</section>", page.indexOf("<section id=\"ranking\">")));
        assertEquals(25, table.split("<tr><td class=\"n\">", -1).length - 1, "25 ranked rows");
        assertTrue(table.indexOf(endpoint(UNANSWERED.get(0))) < table.indexOf(endpoint(1)), "an unanswered tunnel ranks first");
        assertEquals(5, page.split("<section class=\"tunnel\"", -1).length - 1, "the worst 5 in full");
    }

    @Test
    void shouldKeepEveryTunnelInTheJsonReport() throws Exception {
        CliRun run = CliRun.of("analyze", "--no-progress", "--format", "json", capture.toString());

        assertEquals(ExitCode.OK, run.exitCode(), run.err());
        JsonNode report = JSON.readTree(run.out());
        assertEquals(CLIENTS, report.get("tunnels").size());
        List<String> clients = new ArrayList<>();
        for (JsonNode t : report.get("tunnels")) {
            assertTrue(t.has("recommendations") && t.has("notes"), t.toString());
            for (JsonNode p : t.get("peers")) {
                String e = p.get("endpoints").get(0).asText();
                if (!e.startsWith("198.51.100.2")) clients.add(e);
            }
        }
        List<String> expected = new ArrayList<>();
        for (int i = 1; i <= CLIENTS; i++) expected.add(endpoint(i));
        assertEquals(expected, clients, "each client in its own tunnel, in capture order");
    }

    @Test
    void shouldNarrowToOnePeerByEndpointOrAddress() throws Exception {
        for (String wanted : List.of(endpoint(42), "100.64.1.42")) {
            CliRun run = CliRun.of("analyze", "--no-progress", "--format", "json", "--peer", wanted, capture.toString());

            assertEquals(ExitCode.OK, run.exitCode(), run.err());
            JsonNode tunnels = JSON.readTree(run.out()).get("tunnels");
            assertEquals(1, tunnels.size(), wanted);
            assertEquals(endpoint(42), tunnels.get(0).get("peers").get(0).get("endpoints").get(0).asText());
            assertEquals(1, tunnels.get(0).get("handshakes").size());
        }
    }

    @Test
    void shouldSayWhenNoTunnelHasThePeerAsked() {
        CliRun run = CliRun.of("analyze", "--no-progress", "--peer", "192.0.2.99:1", capture.toString());

        assertEquals(ExitCode.USAGE, run.exitCode());
        assertEquals("wgdiag: --peer 192.0.2.99:1: no tunnel of such a peer in " + capture, run.err().strip());
    }
}
