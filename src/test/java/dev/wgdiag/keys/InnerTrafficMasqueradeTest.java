package dev.wgdiag.keys;

import dev.wgdiag.config.WgConfig;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Which PostUp lines masquerade, per IP version, on the wg-quick configs of src/test/resources/check and the
 * nothing-works lab's server configs. The truth for each family is the tool the line runs: iptables
 * writes IPv4 rules, ip6tables IPv6 ones, an nft rule in an inet table both (iptables(8), ip6tables(8),
 * nft(8) "ADDRESS FAMILIES"), and the lab's truth.json counts the masquerade rules nft really holds.
 */
class InnerTrafficMasqueradeTest {
    @Test
    void shouldTellEachFamilysMasqueradeFromTheToolThePostUpLineRuns() throws Exception {
        int lines = 0;
        try (Stream<Path> files = Files.walk(Path.of("src/test/resources/check"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".conf")).toList()) {
                WgConfig c;
                try {
                    c = WgConfig.parse(f);
                } catch (dev.wgdiag.config.ConfigException e) {
                    continue; // the check fixtures include broken files on purpose
                }
                if (c.iface() == null) continue;
                for (String line : c.iface().postUp()) {
                    boolean v4 = List.of(line.split(";")).stream().map(String::strip)
                            .anyMatch(p -> p.startsWith("iptables ") && p.contains("-j MASQUERADE"));
                    boolean v6 = List.of(line.split(";")).stream().map(String::strip)
                            .anyMatch(p -> p.startsWith("ip6tables ") && p.contains("-j MASQUERADE"));
                    assertEquals(v4, InnerTraffic.masquerades(line, 4), f + ": " + line);
                    assertEquals(v6, InnerTraffic.masquerades(line, 6), f + ": " + line);
                    lines++;
                }
            }
        }
        assertEquals(4, lines, "the PostUp lines of check/server.conf and check/fixed/server.conf");
    }

    @Test
    void shouldSeeTheLabServersNftMasqueradeExactlyWhereNftHeldOne() throws Exception {
        Path dir = Path.of("src/test/resources/noconnect/nothing-works");
        try (Stream<Path> scenarios = Files.list(dir)) {
            for (Path s : scenarios.filter(Files::isDirectory).toList()) {
                WgConfig server = WgConfig.parse(s.resolve("server.conf"));
                boolean held = com.fasterxml.jackson.databind.json.JsonMapper.builder().build()
                        .readTree(Files.readString(s.resolve("truth.json"))).get("server_masquerade_rules").asInt() > 0;
                assertEquals(held, server.iface().postUp().stream().anyMatch(l -> InnerTraffic.masquerades(l, 4)), s.toString());
            }
        }
    }
}
