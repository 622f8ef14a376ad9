package dev.wgdiag.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wgdiag.config.WgConfig;
import dev.wgdiag.testing.Requirements;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static dev.wgdiag.cli.NothingWorksTruth.analyze;
import static dev.wgdiag.cli.NothingWorksTruth.causes;
import static dev.wgdiag.cli.NothingWorksTruth.configs;
import static dev.wgdiag.cli.NothingWorksTruth.expected;
import static dev.wgdiag.cli.NothingWorksTruth.truth;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bundled "connected but nothing works" captures (src/test/resources/noconnect/nothing-works, made by
 * src/lab/nothing-works: wireguard-go server, nftables masquerade, a host beyond it, the reference peer as the
 * client with its keys in the capture). The truth is each scenario's truth.json (settings read back from the
 * namespaces), wireguard-go's log, and tshark's own decryption of the same capture.
 */
class NothingWorksFixturesTest {
    private static final Path DIR = Path.of("src/test/resources/noconnect/nothing-works");
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = NothingWorksTruth.JSON;

    @Test
    void shouldNameOnlyTheConfiguredBreakInEachBundledCaptureWithTheKeysAndTheConfigs() throws Exception {
        for (String s : NothingWorksTruth.SCENARIOS) {
            Path d = DIR.resolve(s);
            assertEquals(expected(truth(d), true), causes(analyze(d, append(configs(d), "--decrypt"))), s);
        }
    }

    @Test
    void shouldNameOnlyTheConfiguredBreakFromTheCapturesKeysAloneAtMostWithLessConfidence() throws Exception {
        for (String s : NothingWorksTruth.SCENARIOS) {
            Path d = DIR.resolve(s);
            JsonNode r = analyze(d, "--decrypt");
            assertEquals(expected(truth(d), false), causes(r), s);
            // without the server's config, forwarding and masquerade cannot be told apart: not HIGH
            if (causes(r).contains("NOT_FORWARDED")) assertEquals("MEDIUM", r.at("/noConnect/0/confidence").asText(), s);
        }
    }

    @Test
    void shouldSayTransportFlowsOneWayWithoutKeysExactlyWhereTsharkSeesNoDataComingBack() throws Exception {
        Requirements.commands("tshark");
        for (String s : NothingWorksTruth.SCENARIOS) {
            Path d = DIR.resolve(s);
            // tshark without keys: transport data (type 4, longer than a 32-byte keepalive) from the server's port
            String back = Requirements.run("tshark", "-r", d.resolve("client.pcapng").toString(), "-n", "-o", "wg.dissect_packet:FALSE",
                    "-Y", "wg.type == 4 && udp.srcport == 51820 && udp.length > 40", "-T", "fields", "-e", "frame.number");
            List<String> got = causes(analyze(d));
            List<String> want = back.isBlank() ? List.of("TRANSPORT_ONE_WAY") : List.of();
            assertEquals(want, got, s);
        }
    }

    @Test
    void shouldGiveTheSizesTsharkSeesAnsweredAndLostInTheMtuBlackHole() throws Exception {
        Requirements.commands("tshark");
        Path d = DIR.resolve("mtu-black-hole");
        // tshark decrypts with the capture's Decryption Secrets Block: inner echo requests and replies to the beyond host
        String rows = Requirements.run("tshark", "-r", d.resolve("client.pcapng").toString(), "-n", "-o", "wg.dissect_packet:TRUE",
                "-Y", "icmp.type == 8 || icmp.type == 0", "-T", "fields", "-e", "icmp.type", "-e", "ip.dst", "-e", "ip.src",
                "-e", "icmp.ident", "-e", "icmp.seq", "-e", "ip.len", "-e", "frame.number", "-e", "frame.time_epoch");
        // the capture's end, for the documented rule: requests sent less than 2 s before it may still be answered
        double end = Requirements.run("tshark", "-r", d.resolve("client.pcapng").toString(), "-n", "-T", "fields",
                "-e", "frame.time_epoch").lines().mapToDouble(Double::parseDouble).max().orElseThrow();
        Map<String, Double> times = new HashMap<>();
        Map<String, Integer> requests = new HashMap<>();
        Map<String, Long> frames = new HashMap<>();
        List<String> replies = new ArrayList<>();
        for (String row : rows.strip().split("\n")) {
            String[] f = row.split("\t");
            String inner = last(f[1]);
            String id = f[3] + "/" + f[4];
            if (f[0].equals("8") && inner.equals("203.0.113.10")) {
                requests.put(id, Integer.parseInt(last(f[5])));
                frames.put(id, Long.parseLong(f[6]));
                times.put(id, Double.parseDouble(f[7]));
            }
            if (f[0].equals("0") && last(f[2]).equals("203.0.113.10")) replies.add(id);
        }
        int largestAnswered = replies.stream().mapToInt(requests::get).max().orElseThrow();
        int smallestLost = requests.entrySet().stream().filter(e -> !replies.contains(e.getKey())).mapToInt(Map.Entry::getValue).min().orElseThrow();
        assertTrue(smallestLost > largestAnswered, "the capture shows a black hole: " + largestAnswered + " < " + smallestLost);

        JsonNode r = analyze(d, append(configs(d), "--decrypt"));
        assertEquals(largestAnswered, r.at("/noConnect/0/inner/largestAnswered").asInt());
        assertEquals(smallestLost, r.at("/noConnect/0/inner/smallestLost").asInt());
        assertEquals("MTU", r.at("/noConnect/0/fix/attribute").asText());
        // the evidence: the first lost requests, frame for frame as tshark numbers them
        List<Long> lost = requests.keySet().stream().filter(k -> !replies.contains(k) && times.get(k) <= end - 2)
                .map(frames::get).sorted().limit(5).toList();
        assertEquals(lost, JSON.convertValue(r.at("/noConnect/0/frames"), JSON.getTypeFactory().constructCollectionType(List.class, Long.class)));
        assertTrue(Integer.parseInt(r.at("/noConnect/0/fix/value").asText()) < smallestLost);
        assertTrue(Integer.parseInt(r.at("/noConnect/0/fix/value").asText()) <= truth(d).get("beyond_link_mtu").asInt(),
                "the MTU suggested fits the link the lab narrowed");
    }

    @Test
    void shouldNameTheSourceWireguardGoDroppedAndTheServersAllowedIps() throws Exception {
        Path d = DIR.resolve("source-not-allowed");
        assertTrue(Files.readString(d.resolve("server.wglog")).contains("disallowed source address"), "wireguard-go dropped them");
        WgConfig client = WgConfig.parse(d.resolve("client.conf"));
        WgConfig server = WgConfig.parse(d.resolve("server.conf"));
        JsonNode r = analyze(d, append(configs(d), "--decrypt"));
        assertEquals(client.iface().addresses().get(0).address(), r.at("/noConnect/0/inner/source").asText());
        assertEquals(d.resolve("server.conf").toString(), r.at("/noConnect/0/fix/file").asText());
        assertEquals(server.peers().get(0).line(), r.at("/noConnect/0/fix/line").asInt());
        assertEquals("AllowedIPs", r.at("/noConnect/0/fix/attribute").asText());
        assertEquals(0, r.at("/noConnect/0/inner/answered").asInt());
    }

    @Test
    void shouldNameTheUnansweredDestinationsTsharkDecryptsWhenTheServerDoesNotForward() throws Exception {
        Requirements.commands("tshark");
        for (String s : List.of("no-forwarding", "no-masquerade")) {
            Path d = DIR.resolve(s);
            // tshark: inner destinations of the client's packets, and the inner sources of everything that came back
            String out = Requirements.run("tshark", "-r", d.resolve("client.pcapng").toString(), "-n", "-o", "wg.dissect_packet:TRUE",
                    "-Y", "wg.type == 4 && ip.version == 4 && (icmp || udp.port == 53)", "-T", "fields", "-e", "ip.src", "-e", "ip.dst");
            TreeSet<String> sentTo = new TreeSet<>();
            TreeSet<String> heardFrom = new TreeSet<>();
            for (String row : out.strip().split("\n")) {
                String[] f = row.split("\t");
                if (f[0].startsWith("198.51.100.2,")) sentTo.add(last(f[1]));
                else heardFrom.add(last(f[0]));
            }
            sentTo.removeAll(heardFrom);
            JsonNode r = analyze(d, append(configs(d), "--decrypt"));
            TreeSet<String> named = new TreeSet<>();
            r.at("/noConnect/0/inner/destinations").forEach(n -> named.add(n.asText()));
            assertEquals(sentTo, named, s);
            assertFalse(heardFrom.isEmpty(), s + ": the server itself answers");
        }
    }

    @Test
    void shouldNameTheServersPostUpInTheTextReportWhenItHasNoMasquerade() throws Exception {
        Path d = DIR.resolve("no-masquerade");
        assertTrue(WgConfig.parse(d.resolve("server.conf")).iface().postUp().stream().noneMatch(c -> c.contains("masquerade")));
        List<String> args = new ArrayList<>(List.of("analyze", d.resolve("client.pcapng").toString(), "--decrypt"));
        args.addAll(List.of(configs(d)));
        CliRun run = CliRun.of(args.toArray(String[]::new));
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().startsWith("Verdict: Connected but nothing works: nothing comes back from beyond the server"), run.out());
        assertTrue(run.out().contains("fix: " + d.resolve("server.conf") + ", [Interface] section: add PostUp = iptables -t nat -A POSTROUTING"),
                run.out());
    }

    @Test
    void shouldPointToDecryptWhenTheCaptureCarriesKeysAndItWasNotAsked() throws Exception {
        Requirements.commands("tshark");
        Path d = DIR.resolve("dns-dead");
        // tshark opens the inner packets with the capture's own Decryption Secrets Blocks: the keys are there
        assertFalse(Requirements.run("tshark", "-r", d.resolve("client.pcapng").toString(), "-n", "-o", "wg.dissect_packet:TRUE",
                "-Y", "udp.dstport == 53", "-T", "fields", "-e", "frame.number").isBlank());
        CliRun plain = CliRun.of("analyze", d.resolve("client.pcapng").toString());
        assertEquals(0, plain.exitCode(), plain.err());
        assertTrue(plain.err().contains("carries WireGuard keys (Decryption Secrets Blocks): --decrypt"), plain.err());
        CliRun decrypted = CliRun.of("analyze", d.resolve("client.pcapng").toString(), "--decrypt");
        assertFalse(decrypted.err().contains("--decrypt opens"), decrypted.err());
    }

    private static String last(String commaList) {
        String[] v = commaList.split(",");
        return v[v.length - 1];
    }

    private static String[] append(String[] a, String... more) {
        List<String> l = new ArrayList<>(List.of(a));
        l.addAll(List.of(more));
        return l.toArray(String[]::new);
    }
}
