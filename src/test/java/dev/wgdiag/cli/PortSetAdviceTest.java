package dev.wgdiag.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wgdiag.testing.Requirements;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Port-restricted lines. The bundled fixed-port-preserve run configures both peers with ListenPort
 * 51820 (its .conf files); its client sits behind the lab's NAT, its server on a public address. With
 * the client's line given as RFC 7597 Appendix A Example 1's MAP rule, whose port set the RFC lists
 * (1232-1235, 2256-2259, ..., 64720-64723), or as a typed port set, the client's configured port is
 * flagged and a port inside the set recommended; the server's is left alone.
 */
class PortSetAdviceTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void shouldFlagTheNatClientsConfiguredListenPortOutsideItsMapPortSet() throws Exception {
        List<JsonNode> recs = listenPorts("--map-rule", "ipv6=2001:db8:0000::/40,ipv4=192.0.2.0/24,ea-bits=16",
                "--map-prefix", "2001:db8:0012:3400::/56");
        assertEquals(1, recs.size(), recs.toString());
        JsonNode r = recs.get(0);
        assertEquals("1232", r.path("value").asText(), "the lowest port of the RFC's first range");
        assertTrue(r.path("reason").asText().contains("51820"), r.toString());
        assertTrue(r.path("config").asText().contains("fixed-port-preserve.client.conf"), r.toString());
        assertTrue(r.path("evidence").toString().contains("PSID 0x34"), r.toString());
    }

    @Test
    void shouldPickAPortFromATypedPortSet() throws Exception {
        List<JsonNode> recs = listenPorts("--port-set", "4096-4111,8192-8207");
        assertEquals(1, recs.size(), recs.toString());
        assertEquals("4096", recs.get(0).path("value").asText());
    }

    @Test
    void shouldRefuseABadPortSetOnOneLine() {
        CliRun r = CliRun.of("analyze", Requirements.projectDir().resolve("captures/fixed-port-preserve.server.pcap").toString(),
                "--port-set", "4096-x", "--no-progress");
        assertEquals(ExitCode.USAGE, r.exitCode());
        assertEquals("wgdiag: --port-set: \"4096-x\" is not a port or a range like 4096-4111\n", r.err());
    }

    private static List<JsonNode> listenPorts(String... line) throws Exception {
        Path c = Requirements.projectDir().resolve("captures");
        List<String> args = new ArrayList<>(List.of("analyze", c.resolve("fixed-port-preserve.server.pcap").toString(),
                c.resolve("fixed-port-preserve.client.pcap").toString(), "--config", c.resolve("fixed-port-preserve.server.conf").toString(),
                "--config", c.resolve("fixed-port-preserve.client.conf").toString(), "--format", "json", "--no-progress"));
        args.addAll(List.of(line));
        CliRun r = CliRun.of(args.toArray(String[]::new));
        assertEquals(0, r.exitCode(), r.err());
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode t : JSON.readTree(r.out()).path("tunnels")) {
            for (JsonNode rec : t.path("recommendations")) if (rec.path("setting").asText().equals("ListenPort")) out.add(rec);
        }
        return out;
    }
}
