package dev.wgdiag.advice;

import dev.wgdiag.report.AdviceWords;
import dev.wgdiag.config.Attribute;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wgdiag.analysis.CaptureAnalysis;
import dev.wgdiag.net.Endpoint;
import dev.wgdiag.testing.Requirements;
import dev.wgdiag.timeline.Analysis;
import dev.wgdiag.timeline.AnalyzerOptions;
import dev.wgdiag.timeline.Peer;
import dev.wgdiag.timeline.Role;
import dev.wgdiag.timeline.Tunnel;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Role words only with evidence. On every bundled lab scenario, from the server's capture, the
 * client's and both joined: the peer at the lab's server endpoint is the server and the other the
 * client (truth.json addresses); the client is called "behind a NAT" exactly when the capture shows
 * one, which the lab's own records say: a port change the server saw on the same NAT address
 * ({@code measured.server_view_of_client_endpoint}), the client's inside address when the capture is
 * inside the NAT ({@code addresses.client_inside}, RFC 6598 shared space), or the NAT's translation
 * when both captures are joined. And the advice never says "nothing shows a NAT" about a peer the
 * roles call behind one, nor advises a keepalive for a NAT the roles do not name.
 */
class RoleWordsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TestFactory
    Stream<DynamicTest> shouldCallAPeerBehindANatOnlyWhenTheCaptureShowsTheNat() throws IOException {
        Path dir = Requirements.projectDir().resolve("captures");
        List<Path> truths;
        try (Stream<Path> s = Files.list(dir)) {
            truths = s.filter(p -> p.getFileName().toString().endsWith(".truth.json")).sorted().toList();
        }
        return truths.stream().map(t -> DynamicTest.dynamicTest(t.getFileName().toString(), () -> check(dir, t)));
    }

    private static void check(Path dir, Path truthFile) throws Exception {
        JsonNode truth = JSON.readTree(truthFile.toFile());
        String name = truth.path("scenario").asText();
        String server = dir.resolve(name + ".server.pcap").toString(), client = dir.resolve(name + ".client.pcap").toString();
        Endpoint serverEndpoint = Endpoint.parse(truth.at("/addresses/server_endpoint").asText());
        // What the lab recorded: did the server see the client change port on the same address?
        List<Endpoint> seen = new ArrayList<>();
        for (JsonNode v : truth.at("/measured/server_view_of_client_endpoint")) {
            if (!v.path("endpoint").asText().equals("(none)")) seen.add(Endpoint.parse(v.path("endpoint").asText()));
        }
        boolean rebindSeenOutside = false;
        for (int i = 1; i < seen.size(); i++) rebindSeenOutside |= seen.get(i).sameAddress(seen.get(i - 1)) && !seen.get(i).equals(seen.get(i - 1));
        List<String> failures = new ArrayList<>();
        for (String mode : List.of("server", "client", "joined")) {
            List<String> files = switch (mode) {
                case "server" -> List.of(server);
                case "client" -> List.of(client);
                default -> List.of(server, client);
            };
            Analysis a = CaptureAnalysis.analyze(files, AnalyzerOptions.defaults());
            Advice advice = Advisor.advise(a);
            Tunnel t = a.tunnels().get(0);
            // Inside the NAT the client speaks from the lab's inside (RFC 6598) address; joined, the translation shows.
            boolean natVisible = switch (mode) {
                case "server" -> rebindSeenOutside;
                default -> true;
            };
            for (Peer p : t.peers()) {
                boolean isServer = p.endpoints().contains(serverEndpoint);
                Role want = isServer ? Role.SERVER : natVisible ? Role.NAT_CLIENT : Role.CLIENT;
                if (p.role() != want) failures.add(mode + ": " + p.id() + " at " + p.endpoints() + " is " + p.role() + ", want " + want);
            }
            TunnelAdvice ta = advice.tunnels().get(0);
            boolean saysNoNat = ta.notes().stream().map(AdviceWords::note).anyMatch(n -> n.contains("nothing in this capture shows a NAT"));
            boolean keepaliveForNat = ta.recommendations().stream().anyMatch(r -> r.setting() == Attribute.PERSISTENT_KEEPALIVE);
            boolean natNamed = t.peers().stream().anyMatch(p -> p.role() == Role.NAT_CLIENT);
            if (natNamed && saysNoNat) failures.add(mode + ": roles name a NAT, advice says nothing shows one");
            if (!natNamed && keepaliveForNat) failures.add(mode + ": keepalive advice for a NAT the roles do not name");
            if (natNamed && !keepaliveForNat && ta.notes().stream().map(AdviceWords::note).noneMatch(n -> n.startsWith("PersistentKeepalive: "))) {
                failures.add(mode + ": roles name a NAT, advice neither recommends nor confirms a keepalive: "
                        + ta.notes().stream().map(AdviceWords::note).toList());
            }
        }
        assertEquals(List.of(), failures, name);
    }
}
