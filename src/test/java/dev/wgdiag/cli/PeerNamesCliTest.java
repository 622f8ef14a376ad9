package dev.wgdiag.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wgdiag.testing.Requirements;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bundled swap-no-reply server config rewritten the way each generator writes a client's section
 * (formats from the generators' code, see src/test/resources/config/README.md) names the phone in the
 * analysis: the peer at the endpoint where the lab's server saw its client (truth.json,
 * {@code measured.server_view_of_client_endpoint}) carries the generator's name.
 */
class PeerNamesCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void shouldNameThePhoneInTheAnalysisWhicheverGeneratorWroteTheServerConfig(@TempDir Path dir) throws Exception {
        Path c = Requirements.projectDir().resolve("captures");
        List<String> conf = Files.readAllLines(c.resolve("swap-no-reply.server.conf"));
        JsonNode truth = JSON.readTree(c.resolve("swap-no-reply.truth.json").toFile());
        String clientOutside = truth.at("/measured/server_view_of_client_endpoint/1/endpoint").asText();
        Map<String, String[]> styles = Map.of(
                "pixel7", new String[]{"### begin pixel7 ###", "[Peer]", null, "### end pixel7 ###"},
                "Anna's iPhone", new String[]{"# Client: Anna's iPhone (5e8b1c2a-7f3d-4c6e-9a1b-2d4f6e8a0c13)", "[Peer]", null, null},
                "phone_bob", new String[]{"# BEGIN_PEER phone_bob", "[Peer]", null, "# END_PEER phone_bob"},
                "Kenji phone", new String[]{"# ID:           cnhd7sfmg4dc73e1bd30\n# Name:         Kenji phone\n# Email:        \n"
                        + "# Created at:   2024-03-02 09:16:33 +0000 UTC\n# Update at:    2024-03-02 09:16:33 +0000 UTC", "[Peer]", null, null},
                "Client1", new String[]{null, "[Peer]", "#Client1", null},
                "peer1", new String[]{null, "[Peer]", "# peer1", null});
        for (Map.Entry<String, String[]> style : styles.entrySet()) {
            List<String> out = new ArrayList<>();
            for (String line : conf) {
                if (line.equals("[Peer]")) {
                    String[] s = style.getValue();
                    if (s[0] != null) out.add(s[0]);
                    out.add(s[1]);
                    if (s[2] != null) out.add(s[2]);
                } else {
                    out.add(line);
                }
            }
            if (style.getValue()[3] != null) out.add(style.getValue()[3]);
            Path f = dir.resolve("wg0.conf");
            Files.write(f, out);
            CliRun r = CliRun.of("analyze", c.resolve("swap-no-reply.server.pcap").toString(), "--config", f.toString(),
                    "--format", "json", "--no-progress");
            assertEquals(0, r.exitCode(), r.err());
            JsonNode peers = JSON.readTree(r.out()).at("/tunnels/0/peers");
            String named = null;
            for (JsonNode p : peers) {
                for (JsonNode e : p.path("endpoints")) {
                    if (e.asText().equals(clientOutside)) named = p.path("name").asText();
                }
            }
            assertEquals(style.getKey(), named, "the peer at " + clientOutside + " with a config written as " + String.join("|", out));
        }
    }

    @Test
    void shouldSayWhichNameWonWhenAGroupHeadingSitsAboveAPeerNamedInside(@TempDir Path dir) throws Exception {
        Path c = Requirements.projectDir().resolve("captures");
        String conf = Files.readString(c.resolve("swap-no-reply.server.conf")).replace("[Peer]\n", "# Family phones\n[Peer]\n# Lisa\n");
        Path f = dir.resolve("wg0.conf");
        Files.writeString(f, conf);
        CliRun r = CliRun.of("analyze", c.resolve("swap-no-reply.server.pcap").toString(), "--config", f.toString(), "--no-progress");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("Lisa (peer"), r.out());
        assertTrue(r.err().contains("[Peer] named \"Lisa\" by the first comment inside the section (line 9), not \"Family phones\" from the comment above [Peer] (line 7)"),
                r.err());
    }
}
