package dev.wgdiag.report;

import dev.wgdiag.analysis.CaptureAnalysis;
import dev.wgdiag.bench.FlowsCapture;
import dev.wgdiag.timeline.Analysis;
import dev.wgdiag.timeline.AnalyzerOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Many tunnels are written by worker threads, chunk by chunk; the document must be the one the
 * single-threaded Jackson path writes, byte for byte, whatever the tunnels hold.
 */
class JsonReportParallelTest {
    @TempDir
    Path dir;

    @Test
    void shouldWriteTheSameDocumentWithWorkersAsWithOneThreadForEveryBundledCapturePair() throws Exception {
        List<Path> servers;
        try (Stream<Path> s = Files.list(Path.of("captures"))) {
            servers = s.filter(p -> p.getFileName().toString().endsWith(".server.pcap")).sorted().toList();
        }
        assertTrue(servers.size() >= 10, "bundled captures: " + servers);
        for (Path server : servers) {
            Path client = Path.of(server.toString().replace(".server.pcap", ".client.pcap"));
            Analysis a = CaptureAnalysis.analyze(List.of(server.toString(), client.toString()), AnalyzerOptions.defaults());
            Report r = Report.of(a, List.of());
            assertEquals(JsonReport.toJson(r, Integer.MAX_VALUE), JsonReport.toJson(r, 0), server.toString());
        }
    }

    @Test
    void shouldWriteTheSameDocumentWithWorkersAsWithOneThreadForThousandsOfTunnels() throws Exception {
        Path capture = dir.resolve("flows.pcap");
        int flows = 3 * TunnelDocs.CHUNK * 4 + 17;              // several rounds of chunks, the last one short
        FlowsCapture.main(new String[] {Integer.toString(flows), capture.toString()});
        Analysis a = CaptureAnalysis.analyze(List.of(capture.toString()), AnalyzerOptions.defaults());
        assertEquals(flows, a.tunnels().size(), "one tunnel per flow");
        Report r = Report.of(a, List.of());
        String oneThread = JsonReport.toJson(r, Integer.MAX_VALUE);
        assertEquals(oneThread, JsonReport.toJson(r, 0));
        assertEquals(oneThread, JsonReport.toJson(r), "the default threshold (" + TunnelDocs.PARALLEL_FROM + ") also");
    }
}
