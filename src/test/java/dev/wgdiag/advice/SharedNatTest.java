package dev.wgdiag.advice;

import dev.wgdiag.report.AdviceWords;
import dev.wgdiag.config.Attribute;
import dev.wgdiag.net.Endpoint;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wgdiag.analysis.CaptureAnalysis;
import dev.wgdiag.testing.Requirements;
import dev.wgdiag.timeline.Analysis;
import dev.wgdiag.timeline.AnalyzerOptions;
import dev.wgdiag.timeline.MappingTimeout;
import dev.wgdiag.timeline.Peer;
import dev.wgdiag.timeline.Role;
import dev.wgdiag.timeline.SharedNat;
import dev.wgdiag.timeline.Tunnel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One NAT, many peers: three bundled lab server captures made behind the same kind of NAT (Linux
 * conntrack, 15 s UDP timeout, public address 198.51.100.1, server 198.51.100.2:51820) overlaid in time
 * with editcap -t and mergecap, 5 s apart: three phones behind one public address talking to one
 * server. Truth: each run's truth.json (its NAT timeout, the client's public endpoints the server saw).
 * keepalive-short's client sends a keepalive every 10 s and never rebinds; its two neighbours rebind.
 */
class SharedNatTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> RUNS = List.of("keepalive-short", "mapping-expiry", "late-return");

    @Test
    void shouldPoolThePhonesEvidenceIntoOneBracketAndAdviseEveryTunnelBehindTheAddress(@TempDir Path tmp) throws Exception {
        Requirements.commands("editcap", "mergecap", "tshark");
        Path c = Requirements.projectDir().resolve("captures");
        BigDecimal base = first(c.resolve(RUNS.get(0) + ".server.pcap"));
        List<String> parts = new ArrayList<>(List.of("mergecap", "-F", "pcap", "-w", tmp.resolve("phones.pcap").toString()));
        List<Set<String>> clientEndpoints = new ArrayList<>();
        List<JsonNode> truths = new ArrayList<>();
        for (int i = 0; i < RUNS.size(); i++) {
            Path src = c.resolve(RUNS.get(i) + ".server.pcap"), out = tmp.resolve(i + ".pcap");
            BigDecimal shift = base.subtract(first(src)).add(BigDecimal.valueOf(5L * i));
            Requirements.run("editcap", "-t", shift.toPlainString(), src.toString(), out.toString());
            parts.add(out.toString());
            JsonNode truth = JSON.readTree(c.resolve(RUNS.get(i) + ".truth.json").toFile());
            truths.add(truth);
            Set<String> eps = new HashSet<>();
            truth.at("/measured/server_view_of_client_endpoint").forEach(v -> {
                if (!v.path("endpoint").asText().equals("(none)")) eps.add(v.path("endpoint").asText());
            });
            clientEndpoints.add(eps);
        }
        Requirements.run(parts.toArray(String[]::new));

        Analysis a = CaptureAnalysis.analyze(List.of(tmp.resolve("phones.pcap").toString()), AnalyzerOptions.defaults());
        Advice advice = Advisor.advise(a);

        // One tunnel per phone, each with exactly the public endpoints its own lab run's server saw.
        assertEquals(3, a.tunnels().size(), a.tunnels().toString());
        List<Tunnel> byRun = new ArrayList<>();
        for (Set<String> eps : clientEndpoints) {
            Tunnel t = a.tunnels().stream().filter(x -> x.peers().stream().anyMatch(p -> p.endpoints().stream().map(Endpoint::toString).collect(java.util.stream.Collectors.toSet()).equals(eps)))
                    .findFirst().orElse(null);
            assertNotNull(t, "no tunnel whose client used exactly " + eps + ": " + a.tunnels());
            byRun.add(t);
        }
        // One shared NAT at the lab NAT's public address, its pooled bracket containing the lab's timeout.
        assertEquals(1, a.sharedNats().size(), a.sharedNats().toString());
        SharedNat nat = a.sharedNats().get(0);
        assertEquals(truths.get(0).at("/addresses/nat_outside/0").asText(), nat.address());
        assertEquals(Set.of("tunnel1", "tunnel2", "tunnel3"), new HashSet<>(nat.tunnels()));
        MappingTimeout pooled = nat.mappingTimeout();
        double timeout = truths.get(0).at("/settings/nat_udp_timeout_s").asDouble();
        for (JsonNode t : truths) assertEquals(timeout, t.at("/settings/nat_udp_timeout_s").asDouble(), "the three runs' NATs are alike");
        assertTrue(pooled.observed() && pooled.lowerSeconds() > 0 && pooled.lowerSeconds() < timeout
                && pooled.upperSeconds() != null && timeout <= pooled.upperSeconds(), pooled.toString());
        for (Tunnel t : byRun) {
            MappingTimeout own = t.natMappingTimeout();
            if (own.lowerSeconds() != null) assertTrue(pooled.lowerSeconds() >= own.lowerSeconds(), own + " vs pooled " + pooled);
            if (own.upperSeconds() != null) assertTrue(pooled.upperSeconds() <= own.upperSeconds(), own + " vs pooled " + pooled);
        }
        // The phone with the 10 s keepalive sits behind the same NAT: named so, advised so, and its working keepalive kept.
        Tunnel quiet = byRun.get(0);
        Peer phone = quiet.peers().stream().filter(p -> p.id().equals(quiet.natMappingTimeout().peer())).findFirst().orElseThrow();
        assertEquals(Role.NAT_CLIENT, phone.role(), phone.toString());
        TunnelAdvice quietAdvice = advice.forTunnel(quiet.id());
        assertFalse(quietAdvice.notes().stream().map(AdviceWords::note).anyMatch(n -> n.contains("nothing in this capture shows a NAT")), quietAdvice.toString());
        int configured = truths.get(0).at("/settings/client_persistent_keepalive_s").asInt();
        for (Recommendation r : quietAdvice.recommendations()) {
            if (r.setting() == Attribute.PERSISTENT_KEEPALIVE) assertTrue(Integer.parseInt(r.value()) <= configured, r.toString());
        }
        // Every tunnel behind it gets a keepalive below the lab's timeout, or keeps a working one.
        for (Tunnel t : byRun) {
            TunnelAdvice ta = advice.forTunnel(t.id());
            boolean kept = ta.notes().stream().map(AdviceWords::note).anyMatch(n -> n.startsWith("PersistentKeepalive: "));
            List<Recommendation> k = ta.recommendations().stream().filter(r -> r.setting() == Attribute.PERSISTENT_KEEPALIVE).toList();
            assertTrue(kept || !k.isEmpty(), t.id() + ": " + ta);
            for (Recommendation r : k) assertTrue(Integer.parseInt(r.value()) < timeout, r.toString());
        }
        // The verdict names the one NAT once.
        String v = AdviceWords.verdict(advice.verdict());
        assertEquals(1, v.split("forgot", -1).length - 1, v);
        assertTrue(v.contains(nat.address()), v);
    }

    private static BigDecimal first(Path pcap) {
        return new BigDecimal(Requirements.run("tshark", "-n", "-r", pcap.toString(), "-T", "fields", "-e", "frame.time_epoch")
                .strip().lines().findFirst().orElseThrow());
    }
}
