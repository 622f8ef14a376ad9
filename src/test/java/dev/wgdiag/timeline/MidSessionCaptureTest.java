package dev.wgdiag.timeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wgdiag.analysis.CaptureAnalysis;
import dev.wgdiag.lab.MidSession;
import dev.wgdiag.net.Endpoint;
import dev.wgdiag.testing.Requirements;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Captures that start in the middle of a session (tcpdump started after the tunnel was up): every
 * bundled lab capture is cut with tshark to begin 1.5 s after its first handshake response
 * ({@link MidSession}), server side, client side and both joined. Against the lab's settings, never
 * values computed here:
 * <ul>
 *   <li>the peer at the lab's server endpoint is the server, the other the client, with a confidence,
 *       whenever the settings leave a clue after the cut (a client keepalive, a random client port
 *       against the server's 51820, the client's inside address, a new port the server saw); without one
 *       (both on 51820, no keepalive) "unknown" is the honest answer, a wrong role never is;</li>
 *   <li>the client's persistent keepalive is found within 0.5 s of the configured interval;</li>
 *   <li>the NAT timeout bracket, when observed, is the client's and contains the configured conntrack
 *       timeout; it has a lower bound when the traffic after the cut left the tunnel idle for 5 s or more
 *       and the lab says the mapping survived, and an upper bound when the server saw a new port.</li>
 * </ul>
 */
class MidSessionCaptureTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @TestFactory
    Stream<DynamicTest> shouldInferRolesAndBoundTheTimeoutWithoutTheFirstHandshake() throws IOException {
        Path dir = Requirements.projectDir().resolve("captures");
        List<Path> truths;
        try (Stream<Path> s = Files.list(dir)) {
            truths = s.filter(p -> p.getFileName().toString().endsWith(".truth.json")).sorted().toList();
        }
        return truths.stream().map(t -> DynamicTest.dynamicTest(t.getFileName().toString(), () -> check(dir, t)));
    }

    private void check(Path dir, Path truthFile) throws Exception {
        JsonNode truth = JSON.readTree(truthFile.toFile());
        String name = truth.path("scenario").asText();
        Path server = tmp.resolve(name + ".server.pcap"), client = tmp.resolve(name + ".client.pcap");
        BigDecimal from = MidSession.cut(dir.resolve(name + ".server.pcap"), server);
        MidSession.cut(dir.resolve(name + ".client.pcap"), client);
        Endpoint serverEndpoint = Endpoint.parse(truth.at("/addresses/server_endpoint").asText());
        JsonNode settings = truth.path("settings");
        double keepalive = settings.path("client_persistent_keepalive_s").asDouble();
        double udp = settings.path("nat_udp_timeout_s").asDouble(), stream = settings.path("nat_udp_timeout_stream_s").asDouble(udp);
        List<String> mapping = new ArrayList<>();
        truth.at("/expected/mapping").forEach(n -> mapping.add(n.asText()));
        boolean rebindSeen = rebindSeenAfter(truth, from.doubleValue());
        double idleAfterCut = longestSleepAfter(truth, from.doubleValue());
        List<String> failures = new ArrayList<>();
        for (String mode : List.of("server", "client", "joined")) {
            List<String> files = switch (mode) {
                case "server" -> List.of(server.toString());
                case "client" -> List.of(client.toString());
                default -> List.of(server.toString(), client.toString());
            };
            Analysis a = CaptureAnalysis.analyze(files, AnalyzerOptions.defaults());
            if (a.tunnels().size() != 1) {
                failures.add(mode + ": " + a.tunnels().size() + " tunnels");
                continue;
            }
            Tunnel t = a.tunnels().get(0);
            // The clues the lab's settings leave after the cut: a keepalive, a random client port against the
            // server's fixed one, the client's inside (RFC 6598) address, a new port the server saw.
            boolean clues = keepalive > 0 || settings.path("client_listen_port").isNull() || mode.equals("client") || rebindSeen;
            String clientId = null;
            for (Peer p : t.peers()) {
                boolean isServer = p.endpoints().contains(serverEndpoint);
                if (!isServer) clientId = p.id();
                boolean right = isServer ? p.role() == Role.SERVER : p.role() == Role.CLIENT || p.role() == Role.NAT_CLIENT;
                boolean unknown = p.role() == Role.UNKNOWN && p.roleConfidence() == null;
                if (!(right && p.roleConfidence() != null) && !(unknown && !clues)) {
                    failures.add(mode + ": " + p.id() + " at " + p.endpoints() + " is " + p.role() + " (" + p.roleConfidence() + ")");
                }
            }
            Double found = t.persistentKeepaliveSeconds().get(clientId);
            if (keepalive > 0 && (found == null || Math.abs(found - keepalive) > 0.5)) {
                failures.add(mode + ": client keepalive " + found + " s, configured " + keepalive + " s");
            }
            MappingTimeout m = t.natMappingTimeout();
            String b = "(" + m.lowerSeconds() + ", " + m.upperSeconds() + "]";
            if (m.observed()) {
                if (!m.peer().equals(clientId)) failures.add(mode + ": bracket of " + m.peer() + ", the client is " + clientId);
                boolean contains = false;
                for (double c : new double[] {udp, stream}) {
                    contains |= (m.lowerSeconds() == null || m.lowerSeconds() < c) && (m.upperSeconds() == null || c <= m.upperSeconds());
                }
                if (!contains) failures.add(mode + ": bracket " + b + " does not contain the configured " + udp + "/" + stream + " s");
            }
            if (!mode.equals("client") && mapping.contains("survives") && idleAfterCut >= 5
                    && (!m.observed() || m.lowerSeconds() == null || m.lowerSeconds() <= 0)) {
                failures.add(mode + ": the mapping survived " + idleAfterCut + " s idle after the cut, no lower bound: " + b + " " + m.note());
            }
            if (!mode.equals("client") && rebindSeen && (!m.observed() || m.upperSeconds() == null)) {
                failures.add(mode + ": the server saw a new port after the cut, no upper bound: " + b + " " + m.note());
            }
        }
        assertEquals(List.of(), failures, name);
    }

    /** A new port on the same NAT address that the lab's server saw after the cut. */
    private static boolean rebindSeenAfter(JsonNode truth, double from) {
        Endpoint last = null;
        for (JsonNode v : truth.at("/measured/server_view_of_client_endpoint")) {
            if (v.path("endpoint").asText().equals("(none)")) continue;
            Endpoint e = Endpoint.parse(v.path("endpoint").asText());
            if (last != null && e.sameAddress(last) && !e.equals(last) && v.path("t_epoch").asDouble() > from) return true;
            last = e;
        }
        return false;
    }

    /** The longest sleep step that starts after the cut. */
    private static double longestSleepAfter(JsonNode truth, double from) {
        double max = 0;
        for (JsonNode s : truth.path("steps")) {
            String[] w = s.path("step").asText().split("\\s+");
            if (w[0].equals("sleep") && s.path("t_epoch").asDouble() > from) max = Math.max(max, Double.parseDouble(w[1]));
        }
        return max;
    }
}
