package dev.wgdiag.report;

import dev.wgdiag.advice.Traffic;
import dev.wgdiag.advice.TrafficTap;
import dev.wgdiag.analysis.CaptureAnalysis;
import dev.wgdiag.testing.Requirements;
import dev.wgdiag.timeline.Analysis;
import dev.wgdiag.timeline.AnalyzerOptions;
import dev.wgdiag.timeline.Peer;
import dev.wgdiag.timeline.Tunnel;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HtmlReportTest {
    private static final String HOSTILE = "<script>alert('x')</script>&\"";

    static Report report(String scenario) throws Exception {
        String dir = Requirements.projectDir().resolve("captures").toString();
        List<TrafficTap> taps = List.of(new TrafficTap(), new TrafficTap());
        Analysis a = CaptureAnalysis.analyze(List.of(dir + "/" + scenario + ".server.pcap", dir + "/" + scenario + ".client.pcap"),
                AnalyzerOptions.defaults(), s -> { }, null, taps::get);
        List<Traffic> traffic = new ArrayList<>();
        for (TrafficTap t : taps) traffic.add(t.result());
        return Report.of(a, traffic);
    }

    /** The same analysis with every peer renamed to a hostile string (as a config comment could name it). */
    private static Analysis hostile(Analysis a) {
        List<Tunnel> ts = new ArrayList<>();
        for (Tunnel t : a.tunnels()) {
            List<Peer> ps = t.peers().stream().map(p -> new Peer(p.id(), HOSTILE, p.endpoints(), p.role())).toList();
            ts.add(new Tunnel(t.id(), ps, t.sessions(), t.handshakes(), t.initiatorSwaps(), t.persistentKeepaliveSeconds(),
                    t.keepalives(), t.endpointChanges(), t.idleGaps(), t.natMappingTimeout(), t.loss(), t.lossTotals()));
        }
        return new Analysis(a.schemaVersion(), a.summary(), ts, a.join(), List.of(new dev.wgdiag.timeline.AnalysisWarning.NoMessages(HOSTILE)));
    }

    @Test
    void shouldEscapeHostilePeerNamesEverywhereIncludingCharts() throws Exception {
        Report r = report("mapping-expiry");
        String html = HtmlReport.toHtml(Report.of(hostile(r.analysis()), r.traffic()));
        assertFalse(html.contains("<script"), "raw script tag in the page");
        assertFalse(html.contains("alert('x')"), "unescaped quote");
        assertTrue(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"), "escaped name missing");
    }

    @Test
    void shouldBeSelfContainedWithVerdictFirstAndCharts() throws Exception {
        String html = HtmlReport.toHtml(report("mapping-expiry"));
        assertFalse(Pattern.compile("(src|href)\\s*=\\s*[\"']?\\s*(https?:)?//", Pattern.CASE_INSENSITIVE).matcher(html).find(),
                "the page references something on the network");
        assertFalse(html.contains("<link"), "external style sheet");
        assertFalse(html.contains("@import") || Pattern.compile("url\\(\\s*['\"]?\\s*(https?:|//|data:)").matcher(html).find(),
                "CSS or SVG loading something (only url(#local-id) allowed)");
        int verdict = html.indexOf("id=\"verdict\"");
        assertTrue(verdict > 0 && verdict < html.indexOf("id=\"recommendations\""), "verdict comes first");
        assertTrue(html.contains("<meta name=\"viewport\""));
        assertTrue(html.contains("data-setting=\"PersistentKeepalive\""));
        assertTrue(html.split("<svg", -1).length - 1 >= 4, "timeline and gap charts, each at two widths");
    }

    @Test
    void shouldCarryTheSameRecommendationsInTextJsonAndHtml() throws Exception {
        Report r = report("mapping-expiry");
        JsonNode json = new ObjectMapper().readTree(JsonReport.toJson(r));
        JsonNode rec = json.get("tunnels").get(0).get("recommendations").get(0);
        java.io.StringWriter sw = new java.io.StringWriter();
        TextReport.write(r, new java.io.PrintWriter(sw));
        String html = HtmlReport.toHtml(r);
        String line = rec.get("setting").asText() + " = " + rec.get("value").asText();
        assertTrue(sw.toString().contains(line), sw.toString());
        assertTrue(html.contains(line), "html lacks " + line);
        assertEquals(AdviceWords.verdict(r.advice().verdict()), json.get("verdict").get("sentence").asText());
        assertTrue(sw.toString().startsWith("Verdict: " + AdviceWords.verdict(r.advice().verdict())));
        for (String key : List.of("setting", "peer", "value", "reason", "confidence", "evidence")) {
            assertTrue(rec.has(key), "JSON recommendation lacks " + key);
        }
    }
}
