package dev.wgdiag.timeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wgdiag.analysis.CaptureAnalysis;
import dev.wgdiag.testing.Requirements;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two captures joined: the first packet the server sent into the client's idle gap after the last one
 * delivered inside the NAT, followed by at least one more that never arrived either, proves the mapping
 * was dead when it was sent, so the bracket's upper end is at most its idle time, and it is cited.
 *
 * <p>The truth is tshark's view of the two bundled lab captures (which packets the server capture shows
 * sent to the client's public endpoint while the client was silent, which of them the client capture
 * shows delivered, matched by receiver index and counter or by sender index) and the lab's conntrack
 * timeout, which must stay inside the bracket. late-return is the scenario made for it: the server's
 * packets are lost 18 s into the gap and the client returns 3 s later from a new port.
 */
class JoinUpperBoundTest {
    private static final long IDLE_GAP = 5_000_000_000L;

    @TestFactory
    Stream<DynamicTest> shouldBoundTheTimeoutByTheFirstPacketThatNeverArrivedInsideTheNat() throws IOException {
        Requirements.commands("tshark");
        Path dir = Requirements.projectDir().resolve("captures");
        List<Path> truths;
        try (Stream<Path> s = Files.list(dir)) {
            truths = s.filter(p -> p.getFileName().toString().endsWith(".truth.json")).sorted().toList();
        }
        return truths.stream().map(t -> DynamicTest.dynamicTest(t.getFileName().toString(), () -> check(dir, t)));
    }

    record Packet(long nanos, String src, String dst, int type, String key) {
    }

    private static void check(Path dir, Path truthFile) throws Exception {
        JsonNode truth = new ObjectMapper().readTree(truthFile.toFile());
        String name = truth.path("scenario").asText();
        Path server = dir.resolve(name + ".server.pcap"), client = dir.resolve(name + ".client.pcap");
        String serverEndpoint = truth.at("/addresses/server_endpoint").asText();
        List<Packet> outside = read(server), inside = read(client);
        Set<String> delivered = new HashSet<>();
        for (Packet p : inside) delivered.add(p.key());
        long insideEnd = inside.isEmpty() ? Long.MIN_VALUE : inside.get(inside.size() - 1).nanos();
        boolean random = truth.at("/settings/nat_mode").asText().equals("random");

        // Expected: per idle gap of the client (seen at the server), the first server packet after the last delivered one.
        Long expectedSent = null;
        double expectedIdle = Double.MAX_VALUE;
        long lastOut = -1;
        String clientAt = null;
        List<Packet> into = new ArrayList<>();
        for (int i = 0; i <= outside.size(); i++) {
            Packet p = i < outside.size() ? outside.get(i) : null;
            boolean fromClient = p != null && !p.src().equals(serverEndpoint);
            if (p == null || fromClient) {
                // The gap closes: the client spoke again (or the capture ended).
                boolean sameEndpointReturn = p != null && p.src().equals(clientAt);
                if (lastOut >= 0 && !(sameEndpointReturn && random) && !into.isEmpty()) {
                    int lastDelivered = -1;
                    for (int k = 0; k < into.size(); k++) if (delivered.contains(into.get(k).key())) lastDelivered = k;
                    int undelivered = into.size() - lastDelivered - 1;
                    if (undelivered >= 2 && insideEnd >= into.get(into.size() - 1).nanos()) {
                        Packet first = into.get(lastDelivered + 1);
                        double idle = (first.nanos() - lastOut) / 1e9;
                        if (idle < expectedIdle) {
                            expectedIdle = idle;
                            expectedSent = first.nanos();
                        }
                    }
                }
                if (p == null) break;
                lastOut = p.nanos();
                clientAt = p.src();
                into.clear();
            } else if (p.dst().equals(clientAt) && lastOut >= 0 && p.nanos() - lastOut >= IDLE_GAP) {
                into.add(p);
            }
        }
        Analysis joined = CaptureAnalysis.analyze(List.of(server.toString(), client.toString()), AnalyzerOptions.defaults());
        MappingTimeout m = joined.tunnels().get(0).natMappingTimeout();
        if (expectedSent == null) {
            System.out.println(name + ": no run of undelivered packets into a client gap (tshark)");
            return;
        }
        System.out.println(name + ": first undelivered packet after " + expectedIdle + " s idle (tshark); joined bracket ("
                + m.lowerSeconds() + ", " + m.upperSeconds() + "]");
        assertTrue(m.observed(), name + ": " + m.note());
        assertNotNull(m.upperSeconds(), name + ": no upper bound although tshark shows packets into the gap never arrived");
        assertTrue(m.upperSeconds() <= expectedIdle + 1e-6, name + ": upper bound " + m.upperSeconds()
                + " s above the idle time of the first packet that never arrived inside the NAT, " + expectedIdle + " s");
        long sent = expectedSent;
        assertTrue(m.evidence().stream().anyMatch(e -> e.outcome() == GapOutcome.EXPIRED && Math.abs(e.time().nanos() - sent) < 1_000),
                name + ": the undelivered packet is not cited: " + m.evidence());
        double timeout = truth.at("/settings/nat_udp_timeout_s").asDouble();
        assertTrue(m.lowerSeconds() < timeout && timeout <= m.upperSeconds(),
                name + ": the lab's conntrack timeout " + timeout + " s is outside (" + m.lowerSeconds() + ", " + m.upperSeconds() + "]");
        if (name.equals("late-return")) {
            assertEquals(expectedIdle, m.upperSeconds(), 2e-6, "late-return: the first lost server packet sets the upper bound");
        }
    }

    /** WireGuard messages as tshark decodes them; key: "t:receiver:counter" for transport, "i:sender" for initiations. */
    private static List<Packet> read(Path pcap) {
        String out = Requirements.run("tshark", "-n", "-r", pcap.toString(), "-Y", "wg && !icmp && !icmpv6", "-T", "fields",
                "-E", "separator=\t", "-e", "frame.time_epoch", "-e", "ip.src", "-e", "ipv6.src", "-e", "udp.srcport",
                "-e", "ip.dst", "-e", "ipv6.dst", "-e", "udp.dstport", "-e", "wg.type", "-e", "wg.sender", "-e", "wg.receiver",
                "-e", "wg.counter");
        List<Packet> packets = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (line.isBlank()) continue;
            String[] f = line.split("\t", -1);
            long nanos = new BigDecimal(f[0]).movePointRight(9).longValueExact();
            String src = endpoint(f[1].isEmpty() ? f[2] : f[1], f[3]);
            String dst = endpoint(f[4].isEmpty() ? f[5] : f[4], f[6]);
            int type = Integer.parseInt(f[7]);
            String key = type == 4 ? "t:" + f[9] + ":" + f[10] : type == 1 ? "i:" + f[8] : type + ":" + f[8] + ":" + f[9];
            packets.add(new Packet(nanos, src, dst, type, key));
        }
        return packets;
    }

    private static String endpoint(String address, String port) {
        return (address.contains(":") ? "[" + address + "]" : address) + ":" + port;
    }
}
