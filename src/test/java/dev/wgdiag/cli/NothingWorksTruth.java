package dev.wgdiag.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wgdiag.config.IpPrefix;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What a "connected but nothing works" scenario of src/lab/nothing-works should be diagnosed with, from its
 * truth.json: the settings the lab read back from its namespaces after the run (sysctl, nft ruleset, link
 * MTU, what listens on UDP 53, wireguard-go's log), never from what wgdiag said.
 */
final class NothingWorksTruth {
    static final ObjectMapper JSON = new ObjectMapper();
    static final List<String> SCENARIOS = List.of("healthy", "source-not-allowed", "no-forwarding", "no-masquerade", "dns-dead",
            "mtu-black-hole");

    private NothingWorksTruth() {
    }

    static JsonNode truth(Path dir) throws Exception {
        return JSON.readTree(Files.readString(dir.resolve("truth.json")));
    }

    /**
     * The cause the break configured in {@code truth} must get: with the server's config, forwarding and
     * masquerade are told apart; without it both are NOT_FORWARDED.
     */
    static List<String> expected(JsonNode truth, boolean serverConfig) {
        IpPrefix allowed = IpPrefix.parse(truth.get("server_allowed_ips_for_client").asText());
        IpPrefix address = IpPrefix.parse(truth.get("client_address").asText());
        String dns = truth.get("client_dns").asText();
        boolean dnsServed = List.of(truth.get("udp53_listeners_beyond").asText().split(",")).contains(dns + ":53");
        List<String> out = new ArrayList<>();
        if (!allowed.contains(address)) {
            out.add("SOURCE_NOT_ALLOWED");
        } else if (truth.get("server_ip_forward").asInt() == 0) {
            out.add(serverConfig ? (truth.get("server_masquerade_rules").asInt() > 0 ? "NO_FORWARDING" : "NO_MASQUERADE") : "NOT_FORWARDED");
        } else if (truth.get("server_masquerade_rules").asInt() == 0) {
            out.add(serverConfig ? "NO_MASQUERADE" : "NOT_FORWARDED");
        } else if (!dnsServed) {
            out.add("DNS_UNANSWERED");
        } else if (truth.get("beyond_link_mtu").asInt() < 1500 && truth.get("server_icmp_frag_needed_drop_rules").asInt() > 0) {
            out.add("MTU_BLACK_HOLE");
        }
        return out;
    }

    /** The causes {@code wgdiag analyze} names (JSON noConnect[].cause), analyze run from {@code dir}'s parent. */
    static JsonNode analyze(Path dir, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("analyze", dir.resolve("client.pcapng").toString(), "--format", "json"));
        args.addAll(List.of(extra));
        CliRun run = CliRun.of(args.toArray(String[]::new));
        assertEquals(0, run.exitCode(), run.err());
        return JSON.readTree(run.out());
    }

    static List<String> causes(JsonNode report) {
        List<String> c = new ArrayList<>();
        report.path("noConnect").forEach(f -> c.add(f.get("cause").asText()));
        return c;
    }

    static String[] configs(Path dir) {
        return new String[] {"--config", dir.resolve("server.conf").toString(), "--config", dir.resolve("client.conf").toString()};
    }
}
