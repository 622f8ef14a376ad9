package dev.wgdiag.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The bundled captures in captures/ are complete and were made from the scenario files as they are
 * now (regenerate with src/lab/make-captures when a scenario changes). Needs no root.
 */
class BundledCapturesTest {

    @Test
    void shouldBundleEveryScenarioWithTruthConfigsAndBothCaptures() throws IOException {
        for (String name : Lab.scenarioNames()) {
            LabRun run = LabCaptures.bundled(name);
            assertEquals(name, run.truth().path("scenario").asText());
            assertTrue(Files.size(run.clientPcap()) > 24 && Files.size(run.serverPcap()) > 24, name);
            assertTrue(Files.size(run.clientPcap()) < 1_000_000 && Files.size(run.serverPcap()) < 1_000_000, name);
        }
    }

    @Test
    void shouldHaveBeenMadeWithTheCurrentScenarioSettings() throws IOException {
        Map<String, String> truthKey = Map.of(
                "FAMILY", "outer_family", "NAT_UDP_TIMEOUT", "nat_udp_timeout_s",
                "CLIENT_KEEPALIVE", "client_persistent_keepalive_s", "SERVER_KEEPALIVE", "server_persistent_keepalive_s",
                "LOSS_UP", "loss_up_percent", "LOSS_DOWN", "loss_down_percent");
        for (String name : Lab.scenarioNames()) {
            LabRun run = LabCaptures.bundled(name);
            Map<String, String> file = scenarioSettings(name);
            for (Map.Entry<String, String> e : truthKey.entrySet()) {
                if (file.containsKey(e.getKey())) {
                    assertEquals(Integer.parseInt(file.get(e.getKey())), run.setting(e.getValue()),
                            name + ": " + e.getKey() + " (captures/ is stale: run src/lab/make-captures)");
                }
            }
            List<String> steps = file.entrySet().stream().filter(e -> e.getKey().startsWith("STEP#"))
                    .sorted(Map.Entry.comparingByKey()).map(Map.Entry::getValue).toList();
            List<String> truthSteps = new java.util.ArrayList<>();
            run.truth().path("steps").forEach(s -> truthSteps.add(s.path("step").asText()));
            assertEquals(steps, truthSteps, name + ": steps (captures/ is stale: run src/lab/make-captures)");
        }
    }

    @Test
    void shouldDecodeTheFirstHandshakeOfHandshakePingWithTshark() {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/tshark")), "tshark not installed");
        LabRun run = LabCaptures.bundled("handshake-ping");
        List<Tshark.WgPacket> server = Tshark.wireGuard(run.serverPcap());
        assertEquals(1, server.get(0).type());
        assertEquals(148, server.get(0).length());
        assertEquals(2, server.get(1).type());
        assertEquals(92, server.get(1).length());
    }

    private static Map<String, String> scenarioSettings(String name) throws IOException {
        Map<String, String> out = new HashMap<>();
        int step = 0;
        for (String line : Files.readAllLines(Lab.projectDir().resolve("src/lab/scenarios/" + name + ".scenario"))) {
            int eq = line.indexOf('=');
            if (line.startsWith("#") || eq < 0) {
                continue;
            }
            String key = line.substring(0, eq);
            if (key.equals("STEP")) {
                key = String.format("STEP#%03d", step++);
            }
            out.put(key, line.substring(eq + 1));
        }
        return out;
    }
}
