package dev.wgdiag.timeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wgdiag.analysis.CaptureAnalysis;
import dev.wgdiag.testing.Requirements;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Captures glued together ({@code mergecap -a} of traces from different days): two bundled lab server
 * captures, the second shifted a year later with {@code editcap -t}. The silence between them is longer
 * than any WireGuard timer and new indices follow, so it is a hole: two episodes, each analysed on its
 * own and agreeing with its own lab run's settings, and the hole reported where tshark puts the last
 * packet before it and the first after it.
 */
class GluedCapturesTest {
    private static final long YEAR = 365L * 86400;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void shouldReportAHoleAndSeparateEpisodesWhenCapturesFromDifferentDaysAreGlued(@TempDir Path tmp) throws Exception {
        Requirements.commands("editcap", "mergecap", "tshark");
        Path c = Requirements.projectDir().resolve("captures");
        Path first = c.resolve("mapping-expiry.server.pcap");
        Path shifted = tmp.resolve("shifted.pcap"), glued = tmp.resolve("glued.pcap");
        Requirements.run("editcap", "-t", Long.toString(YEAR), c.resolve("keepalive-short.server.pcap").toString(), shifted.toString());
        Requirements.run("mergecap", "-a", "-F", "pcap", "-w", glued.toString(), first.toString(), shifted.toString());
        List<String> times = Requirements.run("tshark", "-n", "-r", glued.toString(), "-Y", "wg", "-T", "fields", "-e", "frame.time_epoch")
                .strip().lines().toList();
        BigDecimal lastOfFirst = null, firstOfSecond = null;
        for (int i = 1; i < times.size(); i++) {
            BigDecimal a = new BigDecimal(times.get(i - 1)), b = new BigDecimal(times.get(i));
            if (b.subtract(a).compareTo(BigDecimal.valueOf(86400)) > 0) {
                lastOfFirst = a;
                firstOfSecond = b;
            }
        }
        JsonNode expiry = JSON.readTree(c.resolve("mapping-expiry.truth.json").toFile());
        JsonNode keepalive = JSON.readTree(c.resolve("keepalive-short.truth.json").toFile());

        Analysis a = CaptureAnalysis.analyze(List.of(glued.toString()), AnalyzerOptions.defaults());

        assertEquals(1, a.summary().holes().size(), a.summary().toString());
        Hole h = a.summary().holes().get(0);
        assertEquals(0, lastOfFirst.compareTo(h.from().seconds()), "hole start " + h.from() + ", tshark " + lastOfFirst);
        assertEquals(0, firstOfSecond.compareTo(h.to().seconds()), "hole end " + h.to() + ", tshark " + firstOfSecond);
        assertTrue(a.warnings().stream().anyMatch(w -> w instanceof dev.wgdiag.timeline.AnalysisWarning.CaptureHole), a.warnings().toString());
        assertEquals(2, a.tunnels().size(), "one tunnel per episode");
        Tunnel one = a.tunnels().get(0), two = a.tunnels().get(1);
        assertEquals(List.of(1, 2), List.of(one.episode(), two.episode()));
        // Episode 1 is mapping-expiry's run: a 15 s NAT the client came back through on a new port.
        assertContains(expiry, one.natMappingTimeout());
        assertEquals(1, one.endpointChanges().size(), one.endpointChanges().toString());
        // Episode 2 is keepalive-short's run: a 10 s keepalive under a 15 s NAT, nothing expired.
        assertEquals(keepalive.at("/settings/client_persistent_keepalive_s").asDouble(),
                two.persistentKeepaliveSeconds().values().iterator().next(), 0.5);
        assertContains(keepalive, two.natMappingTimeout());
        assertEquals(List.of(), two.endpointChanges());
        String verdict = dev.wgdiag.report.AdviceWords.verdict(dev.wgdiag.advice.Advisor.advise(a).verdict());
        assertTrue(verdict.contains("The capture has a hole"), verdict);
        // No change, gap or loss period spans the hole.
        for (Tunnel t : a.tunnels()) {
            for (IdleGap g : t.idleGaps()) assertTrue(g.idleOutboundSeconds() < 86400, g.toString());
            for (Loss l : t.lossTotals()) assertTrue(l.end().nanos() - l.start().nanos() < 86400L * 1_000_000_000L, l.toString());
        }
    }

    @Test
    void shouldJudgeOnlyTheCapturedTimeWhenOneTraceIsGluedToItselfADayLater(@TempDir Path tmp) throws Exception {
        // The same trace twice: same indices after the hole, which no real tunnel can reuse after its keys are gone.
        Requirements.commands("editcap", "mergecap", "tshark");
        Path trace = Requirements.projectDir().resolve("captures/keepalive-short.server.pcap");
        Path shifted = tmp.resolve("shifted.pcap"), glued = tmp.resolve("glued.pcap");
        Requirements.run("editcap", "-t", "86400", trace.toString(), shifted.toString());
        Requirements.run("mergecap", "-a", "-F", "pcap", "-w", glued.toString(), trace.toString(), shifted.toString());
        List<BigDecimal> times = Requirements.run("tshark", "-n", "-r", trace.toString(), "-Y", "wg", "-T", "fields", "-e", "frame.time_epoch")
                .strip().lines().map(BigDecimal::new).toList();
        double part = times.get(times.size() - 1).subtract(times.get(0)).doubleValue();

        Analysis a = CaptureAnalysis.analyze(List.of(glued.toString()), AnalyzerOptions.defaults());

        assertEquals(1, a.summary().holes().size());
        assertEquals(2, a.tunnels().size());
        assertEquals(a.tunnels().get(0).natMappingTimeout().lowerSeconds(), a.tunnels().get(1).natMappingTimeout().lowerSeconds(),
                "the two copies of one trace say the same");
        assertEquals(2 * part, a.summary().observedSeconds(), 1e-6);
        dev.wgdiag.advice.Verdict v = dev.wgdiag.advice.Advisor.advise(a).verdict();
        String sentence = dev.wgdiag.report.AdviceWords.verdict(v);
        assertTrue(v.stable(), sentence);
        String over = String.format(java.util.Locale.ROOT, "%.1f", 2 * part).replaceAll("\\.0$", "");
        assertTrue(sentence.contains("no loss over " + over + " s of capture (not counting its hole)"), sentence + " / " + over);
    }

    private static void assertContains(JsonNode truth, MappingTimeout m) {
        double timeout = truth.at("/settings/nat_udp_timeout_s").asDouble();
        assertTrue(m.observed(), m.note().toString());
        assertTrue((m.lowerSeconds() == null || m.lowerSeconds() < timeout) && (m.upperSeconds() == null || timeout <= m.upperSeconds()),
                "(" + m.lowerSeconds() + ", " + m.upperSeconds() + "] vs the lab's " + timeout + " s");
    }
}
