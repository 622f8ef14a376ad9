package dev.wgdiag.advice;

import dev.wgdiag.report.AdviceWords;
import dev.wgdiag.config.Attribute;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wgdiag.analysis.CaptureAnalysis;
import dev.wgdiag.testing.Requirements;
import dev.wgdiag.timeline.Analysis;
import dev.wgdiag.timeline.AnalyzerOptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every bundled lab capture (both capture points joined): the keepalive recommended must keep the
 * lab's NAT mapping alive, i.e. be below the conntrack UDP timeout the lab configured (truth.json
 * settings, not wgdiag's measurement), whenever the advice claims evidence (confidence above LOW).
 */
class AdvisorLabCaptureTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TestFactory
    Stream<DynamicTest> keepaliveRecommendedForEveryLabNatIsBelowTheLabsTimeout() throws IOException {
        Path captures = Requirements.projectDir().resolve("captures");
        List<DynamicTest> tests = new ArrayList<>();
        try (Stream<Path> s = Files.list(captures)) {
            for (Path truth : s.filter(p -> p.toString().endsWith(".truth.json")).sorted().toList()) {
                String name = truth.getFileName().toString().replace(".truth.json", "");
                tests.add(DynamicTest.dynamicTest(name, () -> check(captures, name, JSON.readTree(truth.toFile()))));
            }
        }
        assertFalse(tests.isEmpty(), "no captures/*.truth.json");
        return tests.stream();
    }

    private static void check(Path dir, String name, JsonNode truth) throws Exception {
        Analysis a = CaptureAnalysis.analyze(List.of(dir.resolve(name + ".server.pcap").toString(),
                dir.resolve(name + ".client.pcap").toString()), AnalyzerOptions.defaults());
        Advice advice = Advisor.advise(a);
        JsonNode settings = truth.get("settings");
        double timeout = Math.min(settings.get("nat_udp_timeout_s").asDouble(), settings.get("nat_udp_timeout_stream_s").asDouble());
        List<Recommendation> keepalives = advice.tunnels().stream().flatMap(t -> t.recommendations().stream())
                .filter(r -> r.setting() == Attribute.PERSISTENT_KEEPALIVE).toList();
        int configured = settings.get("client_persistent_keepalive_s").asInt();
        if (configured > 0 && configured < timeout) {
            // A working keepalive is either kept or lowered, never raised.
            for (Recommendation r : keepalives) assertTrue(Integer.parseInt(r.value()) <= configured, name + ": " + r);
            return;
        }
        // Every lab scenario puts the client behind a real NAT: a keepalive is recommended for it.
        assertFalse(keepalives.isEmpty(), name + ": no keepalive recommended behind the lab's NAT " + advice);
        for (Recommendation r : keepalives) {
            int k = Integer.parseInt(r.value());
            if (r.confidence() != Confidence.LOW) {
                assertTrue(k < timeout, name + ": keepalive " + k + " s not below the lab's NAT timeout " + timeout + " s; " + r);
            } else {
                String reason = AdviceWords.why(r.reason());
                assertTrue(reason.contains("bound"), name + ": a LOW recommendation must say the capture bounds nothing: " + reason);
            }
            assertFalse(r.evidence().isEmpty());
        }
    }

    /**
     * The lab's small-mtu scenario narrows the link behind the NAT to its configured path MTU: the
     * recommended tunnel MTU is that minus the outer IPv4, UDP and WireGuard headers (20 + 8 + 32,
     * whitepaper 5.4.6), from the NAT's ICMP "fragmentation needed", with high confidence.
     */
    @Test
    void mtuRecommendedFromTheLabsPathMtu() throws Exception {
        Path dir = Requirements.projectDir().resolve("captures");
        JsonNode truth = new ObjectMapper().readTree(dir.resolve("small-mtu.truth.json").toFile());
        int pathMtu = truth.at("/settings/path_mtu").asInt();
        List<TrafficTap> taps = List.of(new TrafficTap(), new TrafficTap());
        Analysis a = CaptureAnalysis.analyze(List.of(dir.resolve("small-mtu.server.pcap").toString(),
                dir.resolve("small-mtu.client.pcap").toString()), AnalyzerOptions.defaults(), stats -> { }, null, taps::get);
        Advice advice = Advisor.advise(a, taps.stream().map(TrafficTap::result).toList());
        List<Recommendation> mtu = advice.tunnels().stream().flatMap(t -> t.recommendations().stream())
                .filter(r -> r.setting() == Attribute.MTU).toList();
        assertFalse(mtu.isEmpty(), "no MTU recommended: " + advice);
        for (Recommendation r : mtu) {
            assertEquals(Integer.toString(pathMtu - 20 - 8 - 32), r.value(), r.toString());
            assertEquals(Confidence.HIGH, r.confidence());
        }
    }
}
