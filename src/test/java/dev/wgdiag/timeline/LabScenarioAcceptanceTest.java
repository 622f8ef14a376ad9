package dev.wgdiag.timeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wgdiag.analysis.CaptureAnalysis;
import dev.wgdiag.net.Endpoint;
import dev.wgdiag.pcap.CaptureReader;
import dev.wgdiag.testing.Requirements;
import dev.wgdiag.wire.Protocol;
import dev.wgdiag.wire.WireGuardDecoder;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Acceptance of the timeline analysis on every lab scenario (real wireguard-go through a real Linux
 * NAT): the findings of the server capture alone, the client capture alone and both joined (in
 * either order) must agree with what the lab configured (truth.json {@code settings} and
 * {@code expected}, written from the scenario file), never with values this code computed:
 *
 * <ul>
 *   <li>the NAT timeout bracket (lower, upper] contains the configured conntrack timeout, is "not
 *       observed" with no bounds when there is no evidence, and has the bound the scenario makes
 *       visible (an expiry seen from outside gives an upper bound, a survived idle period a lower one);</li>
 *   <li>initiator swaps and their causes as configured, initiators in order, rekeys;</li>
 *   <li>persistent keepalive within 0.5 s of the configured interval, per sending peer;</li>
 *   <li>loss within 3 points of the true loss, which is counted here from the two captures by
 *       receiver index and counter (sent per the sender-side capture, missing in the receiver-side
 *       one), with the decoder only; one capture sees the loss upstream of itself only;</li>
 *   <li>endpoint changes: NAT rebinding vs roaming as configured (rebindings are invisible inside the NAT).</li>
 * </ul>
 *
 * <p>Captures: the bundled captures/ directory, plus the directories of lab runs named in the system
 * property {@code wgdiag.acceptance.dirs} (comma-separated; each either holding *.truth.json or one
 * sub-directory per scenario, as {@code wglab run --out} writes).
 */
class LabScenarioAcceptanceTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    enum Mode { SERVER, CLIENT, JOINED, JOINED_CLIENT_FIRST }

    @TestFactory
    Stream<DynamicTest> shouldAgreeWithTheLabSettingsOnEveryScenario() throws IOException {
        List<Path> truths = new ArrayList<>();
        collect(Requirements.projectDir().resolve("captures"), truths);
        String extra = System.getProperty("wgdiag.acceptance.dirs", "");
        for (String d : extra.split(",")) {
            if (!d.isBlank()) collect(Path.of(d.trim()), truths);
        }
        if (truths.isEmpty()) Requirements.unmet("no lab captures (*.truth.json) in captures/");
        return truths.stream().map(t -> DynamicTest.dynamicTest(
                t.getParent().getFileName() + "/" + t.getFileName(), () -> check(t)));
    }

    private static void collect(Path dir, List<Path> out) throws IOException {
        if (!Files.isDirectory(dir)) return;
        try (Stream<Path> s = Files.walk(dir, 2)) {
            s.filter(p -> p.getFileName().toString().endsWith(".truth.json")).sorted().forEach(out::add);
        }
    }

    // ------------------------------------------------------------------ one scenario

    static void check(Path truthFile) throws Exception {
        JsonNode truth = JSON.readTree(truthFile.toFile());
        Path dir = truthFile.getParent();
        String server = dir.resolve(truth.at("/files/server_pcap").asText()).toString();
        String client = dir.resolve(truth.at("/files/client_pcap").asText()).toString();
        Endpoint serverEndpoint = Endpoint.parse(truth.at("/addresses/server_endpoint").asText());
        TrueLoss trueLoss = TrueLoss.count(client, server, serverEndpoint);

        List<String> failures = new ArrayList<>();
        Analysis joined = null;
        for (Mode mode : Mode.values()) {
            List<String> files = switch (mode) {
                case SERVER -> List.of(server);
                case CLIENT -> List.of(client);
                case JOINED -> List.of(server, client);
                case JOINED_CLIENT_FIRST -> List.of(client, server);
            };
            Analysis a = CaptureAnalysis.analyze(files, AnalyzerOptions.defaults());
            System.out.println(truth.path("scenario").asText() + " " + mode + ": " + summary(a, serverEndpoint));
            if (mode == Mode.JOINED) joined = a;
            if (mode == Mode.JOINED_CLIENT_FIRST && !joined.tunnels().equals(a.tunnels())) {
                failures.add(mode + ": tunnel findings differ from the server-first join (order of files must not matter)");
            }
            checkMode(mode, a, truth, serverEndpoint, trueLoss, failures);
        }
        if (!failures.isEmpty()) {
            fail(truth.path("scenario").asText() + " disagrees with the lab:\n  " + String.join("\n  ", failures));
        }
    }

    private static void checkMode(Mode mode, Analysis a, JsonNode truth, Endpoint serverEndpoint, TrueLoss trueLoss,
                                  List<String> failures) {
        if (a.tunnels().size() != 1) {
            failures.add(mode + ": expected one tunnel, found " + a.tunnels().size());
            return;
        }
        Tunnel t = a.tunnels().get(0);
        String serverId = t.peers().stream().filter(p -> p.endpoints().contains(serverEndpoint))
                .map(Peer::id).findFirst().orElse(null);
        if (serverId == null) {
            failures.add(mode + ": no peer at the server endpoint " + serverEndpoint);
            return;
        }
        String clientId = t.peers().stream().map(Peer::id).filter(id -> !id.equals(serverId)).findFirst().orElseThrow();
        JsonNode settings = truth.path("settings");
        JsonNode expected = truth.path("expected");
        boolean outside = mode != Mode.CLIENT;

        // Swaps and their causes (scenario EXPECT_SWAPS: who:TIMER).
        List<String> wantSwaps = new ArrayList<>();
        for (String s : list(expected.path("swaps"))) {
            String who = s.substring(0, s.indexOf(':'));
            String timer = s.substring(s.indexOf(':') + 1);
            SwapCause cause = switch (timer) {
                case "KEEPALIVE_TIMEOUT+REKEY_TIMEOUT" -> SwapCause.NO_REPLY_AFTER_DATA;
                case "REJECT_AFTER_TIME" -> SwapCause.SESSION_EXPIRED;
                default -> throw new IllegalArgumentException("unknown swap timer in truth: " + timer);
            };
            wantSwaps.add(who + ":" + cause);
        }
        List<String> gotSwaps = new ArrayList<>();
        for (InitiatorSwap s : t.initiatorSwaps()) {
            gotSwaps.add(role(s.newInitiator(), serverId) + ":" + s.cause());
        }
        if (!wantSwaps.equals(gotSwaps)) failures.add(mode + ": swaps " + gotSwaps + ", configured " + wantSwaps);

        // Initiators of the answered handshakes, in order, and rekeys.
        List<String> wantInit = list(expected.path("initiators"));
        List<String> gotInit = new ArrayList<>();
        for (Handshake h : t.handshakes()) {
            if (h.responded()) gotInit.add(role(h.initiator(), serverId));
        }
        if (!wantInit.isEmpty() && !wantInit.equals(gotInit)) {
            failures.add(mode + ": initiators " + gotInit + ", configured " + wantInit);
        }
        for (String r : list(expected.path("rekeys"))) {
            String who = r.substring(0, r.indexOf(':'));
            boolean found = t.handshakes().stream().anyMatch(h -> h.trigger() == HandshakeTrigger.REKEY
                    && role(h.initiator(), serverId).equals(who));
            if (!found) failures.add(mode + ": no rekey by " + who + " (configured " + r + ")");
        }
        if (wantSwaps.isEmpty() && t.handshakes().stream().anyMatch(h -> h.responded() && h.trigger() == HandshakeTrigger.NO_REPLY_AFTER_DATA
                || h.trigger() == HandshakeTrigger.SESSION_EXPIRED)) {
            failures.add(mode + ": a swap trigger on an answered handshake although no swap is configured");
        }

        // Persistent keepalive per sending peer.
        keepalive(mode, "client", settings.path("client_persistent_keepalive_s").asDouble(),
                t.persistentKeepaliveSeconds().get(clientId), failures);
        keepalive(mode, "server", settings.path("server_persistent_keepalive_s").asDouble(),
                t.persistentKeepaliveSeconds().get(serverId), failures);

        // Endpoint changes: NAT rebinding vs roaming (inside the NAT a rebinding is invisible).
        List<String> wantChanges = new ArrayList<>();
        for (String c : list(expected.path("endpoint_changes"))) {
            if (outside || !c.equals("nat-rebind")) wantChanges.add(c);
        }
        List<String> gotChanges = new ArrayList<>();
        for (EndpointChange c : t.endpointChanges()) {
            gotChanges.add((c.kind() == ChangeKind.ROAMING ? "roam" : "nat-rebind") + "(" + role(c.peer(), serverId) + ")");
        }
        List<String> wantChangesByClient = wantChanges.stream().map(c -> c + "(client)").toList();
        if (!wantChangesByClient.equals(gotChanges)) {
            failures.add(mode + ": endpoint changes " + gotChanges + ", configured " + wantChangesByClient);
        }

        // Loss per direction: the whole true loss where the capture is downstream of it.
        // One capture counts counter gaps: loss after the last packet that reached it is invisible there.
        boolean single = mode == Mode.SERVER || mode == Mode.CLIENT;
        lossCheck(mode, t, clientId, serverId, "client->server", trueLoss.upPercent(),
                mode == Mode.CLIENT ? 0.0 : single ? trueLoss.upGapPercent() : trueLoss.upPercent(), failures);
        lossCheck(mode, t, serverId, clientId, "server->client", trueLoss.downPercent(),
                mode == Mode.SERVER ? 0.0 : single ? trueLoss.downGapPercent() : trueLoss.downPercent(), failures);

        // NAT mapping timeout.
        bracket(mode, t.natMappingTimeout(), clientId, truth, outside, failures);
    }

    private static void keepalive(Mode mode, String who, double configured, Double found, List<String> failures) {
        if (configured > 0 && (found == null || Math.abs(found - configured) > 0.5)) {
            failures.add(mode + ": " + who + " keepalive " + found + " s, configured " + configured + " s");
        }
        if (configured == 0 && found != null) {
            failures.add(mode + ": " + who + " keepalive " + found + " s, none configured");
        }
    }

    private static void lossCheck(Mode mode, Tunnel t, String from, String to, String what, double trueLoss, double want,
                                  List<String> failures) {
        Loss l = t.lossTotals().stream().filter(x -> x.from().equals(from) && x.to().equals(to)).findFirst().orElse(null);
        double got = l == null ? 0 : l.percent();
        if (Math.abs(got - want) > 3.0) {
            failures.add(String.format(Locale.ROOT, "%s: loss %s %.2f %%, true %.2f %% (%.2f %% between the sender and this capture point)",
                    mode, what, got, trueLoss, want));
        }
    }

    private static void bracket(Mode mode, MappingTimeout m, String clientId, JsonNode truth, boolean outside,
                                List<String> failures) {
        JsonNode settings = truth.path("settings");
        double udp = settings.path("nat_udp_timeout_s").asDouble();
        double stream = settings.path("nat_udp_timeout_stream_s").asDouble(udp);
        String b = "(" + m.lowerSeconds() + ", " + m.upperSeconds() + "]";
        if (!m.observed()) {
            if (m.lowerSeconds() != null || m.upperSeconds() != null) failures.add(mode + ": not observed but bounds " + b);
        } else {
            if (!clientId.equals(m.peer())) failures.add(mode + ": bracket of " + m.peer() + ", the NAT client is " + clientId);
            // Linux conntrack: udp_timeout until the flow is replied, udp_timeout_stream after; either may be the one that applied.
            boolean contains = false;
            for (double c : new double[] {udp, stream}) {
                if (m.lowerSeconds() != null && m.lowerSeconds() < c && (m.upperSeconds() == null || c <= m.upperSeconds())) {
                    contains = true;
                }
            }
            if (!contains) failures.add(mode + ": bracket " + b + " does not contain the configured timeout " + udp + "/" + stream + " s");
        }
        List<String> mapping = list(truth.path("expected").path("mapping"));
        List<String> changes = list(truth.path("expected").path("endpoint_changes"));
        boolean rebindVisible = outside && changes.contains("nat-rebind");
        if ((mapping.contains("expires") || mapping.contains("rebinds-every-keepalive")) && rebindVisible
                && (!m.observed() || m.upperSeconds() == null)) {
            failures.add(mode + ": the expiry the server saw (a new port) gives no upper bound: " + b);
        }
        boolean joined = mode == Mode.JOINED || mode == Mode.JOINED_CLIENT_FIRST;
        if (joined && mapping.contains("expires") && serverSendsIntoExpiredMapping(truth, Math.max(udp, stream))
                && (!m.observed() || m.upperSeconds() == null)) {
            failures.add(mode + ": the server sent into the expired mapping and the inside capture saw none of it, yet no upper bound: " + b);
        }
        double keepalive = settings.path("client_persistent_keepalive_s").asDouble();
        if (mapping.contains("rebinds-every-keepalive") && m.upperSeconds() != null && m.upperSeconds() > keepalive + 1) {
            failures.add(mode + ": upper bound " + m.upperSeconds() + " above the keepalive interval " + keepalive + " s that lost the mapping");
        }
        if (outside && mapping.contains("survives") && longestSleep(truth) >= 5 && (!m.observed() || m.lowerSeconds() == null)) {
            failures.add(mode + ": the mapping survived an idle period but the bracket has no lower bound: " + b);
        }
    }

    /**
     * A server step right after a sleep longer than the NAT timeout (client idle: it sends into a dead
     * mapping), and a client step later (the inside capture is still running when nothing arrives; a
     * capture file does not say how long it ran after its last packet).
     */
    private static boolean serverSendsIntoExpiredMapping(JsonNode truth, double timeout) {
        double slept = 0;
        boolean into = false;
        for (JsonNode s : truth.path("steps")) {
            String[] w = s.path("step").asText().split("\\s+");
            if (w[0].equals("sleep")) {
                slept += Double.parseDouble(w[1]);
            } else if ((w[0].equals("server") || (w[0].equals("bg") && w[1].equals("server"))) && slept > timeout) {
                into = true;
            } else {
                if (into && w[0].equals("client")) return true;
                slept = 0;
            }
        }
        return false;
    }

    private static double longestSleep(JsonNode truth) {
        double max = 0;
        for (JsonNode s : truth.path("steps")) {
            String[] w = s.path("step").asText().split("\\s+");
            if (w[0].equals("sleep")) max = Math.max(max, Double.parseDouble(w[1]));
        }
        return max;
    }

    private static String role(String peerId, String serverId) {
        return peerId.equals(serverId) ? "server" : "client";
    }

    /** A truth list: a JSON array, or a space-separated string where "none" means empty (older truth files). */
    private static List<String> list(JsonNode n) {
        List<String> out = new ArrayList<>();
        if (n.isArray()) {
            n.forEach(x -> out.add(x.asText()));
        } else if (n.isTextual() && !n.asText().isBlank() && !n.asText().equals("none")) {
            out.addAll(List.of(n.asText().trim().split("[\\s,]+")));
        }
        return out;
    }

    private static String summary(Analysis a, Endpoint serverEndpoint) {
        StringBuilder sb = new StringBuilder();
        for (Tunnel t : a.tunnels()) {
            String serverId = t.peers().stream().filter(p -> p.endpoints().contains(serverEndpoint))
                    .map(Peer::id).findFirst().orElse("?");
            MappingTimeout m = t.natMappingTimeout();
            sb.append("bracket ").append(m.observed() ? "(" + m.lowerSeconds() + ", " + m.upperSeconds() + "] " + m.refreshModel()
                    : "not observed").append(" [").append(m.viewpoint()).append("]");
            sb.append("; swaps ").append(t.initiatorSwaps().stream().map(s -> role(s.newInitiator(), serverId) + ":" + s.cause()).toList());
            sb.append("; keepalive ").append(t.persistentKeepaliveSeconds());
            sb.append("; loss ").append(t.lossTotals().stream().map(l -> role(l.from(), serverId) + ">" + l.percent() + "%").toList());
            sb.append("; changes ").append(t.endpointChanges().stream().map(c -> c.kind().toString()).toList());
        }
        return sb.toString();
    }

    // ------------------------------------------------------------------ truth from the two captures

    /** Transport loss counted from both captures by (receiver index, counter), with the decoder only. */
    record TrueLoss(long upSent, long upLost, long downSent, long downLost, long upGapSent, long upGapLost,
                    long downGapSent, long downGapLost) {
        /** Of the loss, the part below the highest counter that reached the receiver side (per receiver index). */
        double upGapPercent() {
            return upGapSent == 0 ? 0 : 100.0 * upGapLost / upGapSent;
        }

        double downGapPercent() {
            return downGapSent == 0 ? 0 : 100.0 * downGapLost / downGapSent;
        }

        double upPercent() {
            return upSent == 0 ? 0 : 100.0 * upLost / upSent;
        }

        double downPercent() {
            return downSent == 0 ? 0 : 100.0 * downLost / downSent;
        }

        static TrueLoss count(String clientPcap, String serverPcap, Endpoint server) throws Exception {
            Set<String> clientUp = new HashSet<>(), clientDown = new HashSet<>(), serverUp = new HashSet<>(), serverDown = new HashSet<>();
            read(clientPcap, server, clientUp, clientDown);
            read(serverPcap, server, serverUp, serverDown);
            long upLost = clientUp.stream().filter(k -> !serverUp.contains(k)).count();
            long downLost = serverDown.stream().filter(k -> !clientDown.contains(k)).count();
            long[] upGap = gapLoss(clientUp, serverUp), downGap = gapLoss(serverDown, clientDown);
            return new TrueLoss(clientUp.size(), upLost, serverDown.size(), downLost, upGap[0], upGap[1], downGap[0], downGap[1]);
        }

        /** {sent, lost} counting only counters below the highest one the receiver side saw for that receiver index. */
        private static long[] gapLoss(Set<String> sent, Set<String> received) {
            java.util.Map<String, Long> highest = new java.util.HashMap<>();
            for (String k : received) {
                String[] p = k.split(":");
                highest.merge(p[0], Long.parseLong(p[1]), Math::max);
            }
            long n = 0, lost = 0;
            for (String k : sent) {
                String[] p = k.split(":");
                Long h = highest.get(p[0]);
                if (h == null || Long.parseLong(p[1]) > h) continue;
                n++;
                if (!received.contains(k)) lost++;
            }
            return new long[] {n, lost};
        }

        private static void read(String pcap, Endpoint server, Set<String> up, Set<String> down) throws Exception {
            CaptureReader.read(pcap, new WireGuardDecoder((d, m) -> {
                if (m.wireType() != Protocol.MESSAGE_TRANSPORT_TYPE || !m.hasReceiver() || !m.hasCounter()) return;
                boolean toServer = d.dstPort() == server.port() && Endpoint.of(d.ipVersion(), d.dstHi(), d.dstLo(), d.dstPort()).equals(server);
                (toServer ? up : down).add(m.receiver() + ":" + m.counter());
            }), null);
        }
    }
}
