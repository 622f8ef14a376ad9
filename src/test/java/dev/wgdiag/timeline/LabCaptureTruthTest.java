package dev.wgdiag.timeline;

import dev.wgdiag.net.Endpoint;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wgdiag.analysis.CaptureAnalysis;
import dev.wgdiag.report.JsonReport;
import dev.wgdiag.testing.Requirements;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every lab scenario in captures/ (real wireguard-go through a real Linux NAT) analysed from both
 * captures and checked against the truth the lab wrote from its own settings and measurements.
 */
class LabCaptureTruthTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TestFactory
    Stream<DynamicTest> shouldAgreeWithLabTruthOnEveryScenario() throws IOException {
        Path dir = Requirements.projectDir().resolve("captures");
        List<Path> truths = new ArrayList<>();
        if (Files.isDirectory(dir)) {
            try (Stream<Path> s = Files.list(dir)) {
                s.filter(p -> p.getFileName().toString().endsWith(".truth.json")).sorted().forEach(truths::add);
            }
        }
        if (truths.isEmpty()) Requirements.unmet("no lab captures in " + dir);
        return truths.stream().map(t -> DynamicTest.dynamicTest(t.getFileName().toString(), () -> check(t)));
    }

    private static void check(Path truthFile) throws Exception {
        JsonNode truth = JSON.readTree(truthFile.toFile());
        Path dir = truthFile.getParent();
        String server = dir.resolve(truth.at("/files/server_pcap").asText()).toString();
        String client = dir.resolve(truth.at("/files/client_pcap").asText()).toString();
        Analysis a = CaptureAnalysis.analyze(List.of(server, client), AnalyzerOptions.defaults());
        assertNotNull(JsonReport.toJson(a));
        assertEquals(1, a.tunnels().size(), "one tunnel in the server capture");
        Tunnel t = a.tunnels().get(0);
        String serverEndpoint = truth.at("/addresses/server_endpoint").asText();
        String serverId = t.peers().stream().filter(p -> p.endpoints().contains(Endpoint.parse(serverEndpoint))).findFirst().orElseThrow().id();
        String clientId = t.peers().stream().filter(p -> !p.id().equals(serverId)).findFirst().orElseThrow().id();

        JsonNode expected = truth.path("expected");
        if (none(expected.path("swaps"))) {
            assertEquals(List.of(), t.initiatorSwaps(), "no swaps configured");
        }
        if (none(expected.path("endpoint_changes"))) {
            assertEquals(List.of(), t.endpointChanges(), "no endpoint change configured");
        }
        if (expected.path("initiators").toString().matches("\\[?\"?client\"?\\]?")) {
            // The truth's initiators are those of sessions: unanswered initiations (into a dead mapping) start none.
            assertTrue(t.handshakes().stream().filter(Handshake::responded).allMatch(h -> h.initiator().equals(clientId)),
                    "client initiates every answered handshake");
        }
        // The server's view of the client endpoint measured by the lab (wg show) is the NAT-side peer's endpoint.
        for (JsonNode v : truth.at("/measured/server_view_of_client_endpoint")) {
            String ep = v.path("endpoint").asText();
            if (!ep.startsWith("(")) {
                assertTrue(t.peers().stream().filter(p -> p.id().equals(clientId)).findFirst().orElseThrow().endpoints().contains(Endpoint.parse(ep)),
                        "client endpoint " + ep + " seen");
            }
        }
        // NAT translation as conntrack listed it: inside:port>server=outside:port.
        for (JsonNode snap : truth.at("/measured/nat_udp_mappings")) {
            for (JsonNode m : snap.path("mappings")) {
                String s = m.asText();
                String inside = s.substring(0, s.indexOf('>'));
                String outside = s.substring(s.indexOf('=') + 1);
                assertTrue(a.join().translations().stream().anyMatch(tr -> tr.inside().equals(Endpoint.parse(inside)) && tr.outside().equals(Endpoint.parse(outside))),
                        "translation " + inside + " -> " + outside);
            }
        }
        // The mapping timeout bracket must contain the configured NAT timeout when observed.
        MappingTimeout m = t.natMappingTimeout();
        double configured = truth.at("/settings/nat_udp_timeout_s").asDouble();
        if (m.observed() && m.lowerSeconds() != null) {
            assertTrue(m.lowerSeconds() < configured, "lower " + m.lowerSeconds() + " < " + configured);
            if (m.upperSeconds() != null) assertTrue(configured <= m.upperSeconds(), "upper " + m.upperSeconds() + " >= " + configured);
        }
        // Loss, keepalive and the bracket against the settings, per capture and joined: LabScenarioAcceptanceTest.
    }

    /** A truth list that is empty: [] or the older "none". */
    private static boolean none(JsonNode n) {
        return n.isArray() ? n.isEmpty() : "none".equals(n.asText());
    }
}
