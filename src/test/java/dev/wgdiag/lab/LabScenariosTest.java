package dev.wgdiag.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wgdiag.lab.Tshark.WgPacket;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Runs every lab scenario once (in parallel) and checks, with tshark's decode of the captures and
 * the lab's own measurements, that the lab produced what each scenario's settings say. These checks
 * are about the lab, independent of wgdiag's analyzer.
 */
@LabTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LabScenariosTest {
    // Timer values from the WireGuard whitepaper section 6.1 / wireguard-go device/constants.go.
    private static final double REKEY_AFTER_TIME = 120;
    private static final double REJECT_AFTER_TIME = 180;
    private static final double KEEPALIVE_TIMEOUT = 10;
    private static final double REKEY_TIMEOUT = 5;
    private static final int INITIATION = 1;
    private static final int RESPONSE = 2;

    private Map<String, LabRun> runs;

    @BeforeAll
    void runAllScenariosInParallel() {
        long start = System.nanoTime();
        runs = LabCaptures.getAll(Lab.scenarioNames());
        runs.values().forEach(r -> System.out.printf("lab scenario %-22s %5.1f s%n", r.scenario(),
                r.wallTime().toMillis() / 1000.0));
        System.out.printf("lab scenarios: %d in %.1f s wall (%d in parallel)%n", runs.size(),
                (System.nanoTime() - start) / 1e9, LabCaptures.PARALLEL_RUNS);
    }

    @Test
    void shouldCarryTheFirstHandshakeFromBehindTheNat() {
        LabRun run = runs.get("handshake-ping");
        List<WgPacket> server = Tshark.wireGuard(run.serverPcap());
        List<WgPacket> client = Tshark.wireGuard(run.clientPcap());
        String natOutside = run.truth().path("addresses").path("nat_outside").get(0).asText();
        String clientInside = run.truth().path("addresses").path("client_inside").get(0).asText();
        int listenPort = run.truth().path("measured").path("client_listen_port").asInt();

        WgPacket first = server.get(0);
        assertEquals(INITIATION, first.type());
        assertEquals(natOutside, first.src());
        assertEquals(51820, first.dstPort());
        assertEquals(RESPONSE, server.get(1).type());
        assertEquals(INITIATION, client.get(0).type());
        assertEquals(clientInside, client.get(0).src());
        assertEquals(listenPort, client.get(0).srcPort());
        assertFalse(server.stream().anyMatch(p -> p.src().startsWith("100.64.") || p.dst().startsWith("100.64.")),
                "inside addresses must not leave the NAT");
        assertTrue(server.stream().filter(p -> p.type() == 4).count() >= 14, "pings both ways carried as transport data");
    }

    @Test
    void shouldBringTheClientBackFromANewPortAfterTheMappingExpires() {
        assertMappingExpiredAndClientReturnedFromNewPort(runs.get("mapping-expiry"));
    }

    @Test
    void shouldCarryTheTunnelOverIpv6ThroughNat66() {
        LabRun run = runs.get("ipv6-outer");
        List<WgPacket> server = Tshark.wireGuard(run.serverPcap());
        assertEquals(6, run.setting("outer_family"));
        assertTrue(server.stream().allMatch(p -> p.src().contains(":") && p.dst().contains(":")), "all outer packets IPv6");
        String natOutside = run.truth().path("addresses").path("nat_outside").get(1).asText();
        assertTrue(fromClient(run, server).stream().allMatch(p -> p.src().equals(natOutside)),
                "the server sees only the NAT66's outside address " + natOutside);
        assertMappingExpiredAndClientReturnedFromNewPort(run);
    }

    @Test
    void shouldKeepOnePublicPortWhenTheKeepaliveIsShorterThanTheNatTimeout() {
        LabRun run = runs.get("keepalive-short");
        List<WgPacket> up = fromClient(run, Tshark.wireGuard(run.serverPcap()));
        int keepalive = run.setting("client_persistent_keepalive_s");
        assertTrue(keepalive < run.setting("nat_udp_timeout_s"));
        assertEquals(1, endpoints(up).size(), "one public endpoint: " + endpoints(up));
        assertTrue(up.stream().filter(WgPacket::isKeepalive).count() >= 3, "persistent keepalives seen");
        assertTrue(maxGap(up) <= keepalive + 1.5, "largest client silence " + maxGap(up) + " s");
        assertTrue(run.expected("endpoint_changes").isEmpty());
    }

    @Test
    void shouldRebindAtEveryKeepaliveWhenTheKeepaliveIsLongerThanTheNatTimeout() {
        LabRun run = runs.get("keepalive-long");
        List<WgPacket> up = fromClient(run, Tshark.wireGuard(run.serverPcap()));
        int timeout = run.setting("nat_udp_timeout_s");
        assertTrue(run.setting("client_persistent_keepalive_s") > timeout);
        List<String> endpoints = new ArrayList<>(endpoints(up));
        assertEquals(run.expected("endpoint_changes").size() + 1, endpoints.size(), "endpoints " + endpoints);
        for (int i = 1; i < up.size(); i++) {
            if (up.get(i).srcPort() != up.get(i - 1).srcPort()) {
                assertTrue(up.get(i).isKeepalive(), "each new port starts with a keepalive");
                assertTrue(up.get(i).time() - up.get(i - 1).time() > timeout, "rebind only after the NAT timeout");
            }
        }
        assertEquals(endpoints, serverViewOfClient(run));
    }

    @Test
    void shouldSwapTheInitiatorWhenTheServerStopsHearingBack() {
        LabRun run = runs.get("swap-no-reply");
        List<WgPacket> server = Tshark.wireGuard(run.serverPcap());
        String serverAddr = serverAddress(run);
        WgPacket firstInit = first(server, p -> p.type() == INITIATION);
        assertFalse(firstInit.src().equals(serverAddr), "the client initiates first");
        WgPacket serverInit = first(server, p -> p.type() == INITIATION && p.src().equals(serverAddr));
        // The server's data into the dead mapping starts at the "bg server ping" step.
        double serverDataStart = stepTime(run, "bg server ping");
        double waited = serverInit.time() - serverDataStart;
        assertTrue(waited >= KEEPALIVE_TIMEOUT + REKEY_TIMEOUT - 0.5 && waited < KEEPALIVE_TIMEOUT + REKEY_TIMEOUT + 3,
                "server initiated " + waited + " s after it started sending unanswered data");
        WgPacket response = first(server, p -> p.type() == RESPONSE && !p.src().equals(serverAddr) && p.time() > serverInit.time());
        assertTrue(response.time() > stepTime(run, "client ping 10.0.0.1 3 0.5", 1),
                "the server's initiations are answered only after the client speaks again");
        assertEquals(List.of("server:KEEPALIVE_TIMEOUT+REKEY_TIMEOUT"), run.expected("swaps"));
        assertTrue(endpoints(fromClient(run, server)).size() >= 2, "the client came back from a new port");
        assertTrue(run.truth().path("measured").path("wireguard_go").path("server_stopped_hearing_back").asInt() >= 1);
    }

    @Test
    void shouldSwapTheInitiatorWhenTheServerKeypairIsOlderThanRejectAfterTime() {
        LabRun run = runs.get("swap-reject-after");
        List<WgPacket> server = Tshark.wireGuard(run.serverPcap());
        String serverAddr = serverAddress(run);
        WgPacket firstResponse = first(server, p -> p.type() == RESPONSE && p.src().equals(serverAddr));
        WgPacket serverInit = first(server, p -> p.type() == INITIATION && p.src().equals(serverAddr));
        double age = serverInit.time() - firstResponse.time();
        assertTrue(age >= REJECT_AFTER_TIME, "server initiated with a keypair " + age + " s old");
        assertTrue(server.stream().filter(p -> p.type() == INITIATION && !p.src().equals(serverAddr)).count() == 1,
                "the client initiated only the first handshake");
        assertTrue(server.stream().anyMatch(p -> p.type() == RESPONSE && !p.src().equals(serverAddr) && p.time() > serverInit.time()),
                "the client answered the server's initiation (the mapping held)");
        assertEquals(1, endpoints(fromClient(run, server)).size());
    }

    @Test
    void shouldRekeyBySameInitiatorAfterRekeyAfterTime() {
        LabRun run = runs.get("rekey-same-initiator");
        List<WgPacket> server = Tshark.wireGuard(run.serverPcap());
        String serverAddr = serverAddress(run);
        List<WgPacket> inits = server.stream().filter(p -> p.type() == INITIATION).toList();
        assertTrue(inits.stream().noneMatch(p -> p.src().equals(serverAddr)), "the server never initiates");
        assertEquals(2, inits.size(), "the first handshake and one rekey");
        double gap = inits.get(1).time() - inits.get(0).time();
        assertTrue(gap >= REKEY_AFTER_TIME && gap < REKEY_AFTER_TIME + 5, "rekey " + gap + " s after the first handshake");
        assertEquals(List.of("client:REKEY_AFTER_TIME"), run.expected("rekeys"));
    }

    @Test
    void shouldLoseAboutTheConfiguredShareOfPacketsEachWay() {
        LabRun run = runs.get("loss");
        List<WgPacket> client = Tshark.wireGuard(run.clientPcap());
        List<WgPacket> server = Tshark.wireGuard(run.serverPcap());
        String serverAddr = serverAddress(run);
        long upSent = client.stream().filter(p -> p.dst().equals(serverAddr)).count();
        long upArrived = server.stream().filter(p -> p.dst().equals(serverAddr)).count();
        long downSent = server.stream().filter(p -> p.src().equals(serverAddr)).count();
        long downArrived = client.stream().filter(p -> p.src().equals(serverAddr)).count();
        double up = 100.0 * (upSent - upArrived) / upSent;
        double down = 100.0 * (downSent - downArrived) / downSent;
        // about 60 packets each way: 15 % +- 3 standard deviations is roughly 0..30 %
        assertTrue(up > 0 && up <= 2 * run.setting("loss_up_percent"), "up loss " + up + " % of " + upSent);
        assertTrue(down > 0 && down <= 2 * run.setting("loss_down_percent"), "down loss " + down + " % of " + downSent);
    }

    @Test
    void shouldShowANewPublicAddressWhenTheClientRoams() {
        LabRun run = runs.get("roaming");
        List<WgPacket> up = fromClient(run, Tshark.wireGuard(run.serverPcap()));
        JsonNode nat = run.truth().path("addresses").path("nat_outside");
        List<String> addresses = up.stream().map(WgPacket::src).distinct().toList();
        assertEquals(List.of(nat.get(0).asText(), nat.get(2).asText()), addresses);
        List<String> inside = Tshark.wireGuard(run.clientPcap()).stream()
                .filter(p -> p.type() != 2 && p.dst().equals(serverAddress(run))).map(WgPacket::src).distinct().toList();
        assertEquals(List.of("100.64.0.2", "100.64.1.2"), inside);
        assertEquals(List.of("roam"), run.expected("endpoint_changes"));
    }

    @Test
    void shouldHideTheExpiryBehindAPreservedPortWithAFixedListenPort() {
        LabRun run = runs.get("fixed-port-preserve");
        List<WgPacket> up = fromClient(run, Tshark.wireGuard(run.serverPcap()));
        int port = run.setting("client_listen_port");
        assertEquals(Set.of(run.truth().path("addresses").path("nat_outside").get(0).asText() + ":" + port), endpoints(up));
        assertTrue(maxGap(up) > run.setting("nat_udp_timeout_s"), "an idle gap longer than the NAT timeout");
        // The lab's conntrack samples show the mapping gone in between, then back with the same port.
        JsonNode samples = run.truth().path("measured").path("nat_udp_mappings");
        boolean emptySeen = false;
        boolean backAfterEmpty = false;
        for (JsonNode s : samples) {
            if (s.path("mappings").isEmpty()) {
                emptySeen = true;
            } else if (emptySeen) {
                backAfterEmpty = s.path("mappings").get(0).asText().endsWith(":" + port);
            }
        }
        assertTrue(emptySeen && backAfterEmpty, "conntrack samples " + samples);
    }

    @Test
    void shouldMatchTheLabsOwnCountOfInitiationsWithTheClientSideCapture() {
        for (LabRun run : runs.values()) {
            String serverAddr = serverAddress(run);
            long seen = Tshark.wireGuard(run.clientPcap()).stream()
                    .filter(p -> p.type() == INITIATION && p.dst().equals(serverAddr)).count();
            assertEquals(run.truth().path("measured").path("wireguard_go").path("client_initiations_sent").asLong(), seen,
                    run.scenario());
        }
    }

    @Test
    void shouldWriteTruthAndConfigsNextToEveryCapture() throws Exception {
        for (LabRun run : runs.values()) {
            assertEquals(run.scenario(), run.truth().path("scenario").asText());
            assertTrue(Files.size(run.clientPcap()) < 1_000_000 && Files.size(run.serverPcap()) < 1_000_000);
            String serverConf = Files.readString(run.serverConf());
            assertTrue(serverConf.contains("THROWAWAY") && serverConf.contains("PublicKey = " + run.clientPublicKey()),
                    run.serverConf().toString());
            assertTrue(Files.readString(run.clientConf()).contains("PublicKey = " + run.serverPublicKey()));
        }
    }

    @Test
    void shouldLeaveNoNamespaceProcessOrSocketBehind() {
        for (LabRun run : runs.values()) {
            assertEquals(List.of(), LabLeftovers.of(run.truth().path("run_id").asText()), run.scenario());
        }
    }

    // ------------------------------------------------------------------ helpers

    private static void assertMappingExpiredAndClientReturnedFromNewPort(LabRun run) {
        List<WgPacket> all = Tshark.wireGuard(run.serverPcap());
        List<WgPacket> up = fromClient(run, all);
        List<String> endpoints = new ArrayList<>(endpoints(up));
        assertEquals(2, endpoints.size(), "old and new public endpoint: " + endpoints);
        WgPacket firstNew = first(up, p -> p.srcEndpoint().equals(endpoints.get(1)));
        double lastOld = all.stream().filter(p -> p.time() < firstNew.time()).mapToDouble(WgPacket::time).max().orElseThrow();
        assertTrue(firstNew.time() - lastOld > run.setting("nat_udp_timeout_s"),
                "new port only after an idle gap longer than the NAT timeout");
        assertEquals(endpoints, serverViewOfClient(run));
        assertEquals(List.of("nat-rebind"), run.expected("endpoint_changes"));
    }

    private static String serverAddress(LabRun run) {
        return run.setting("outer_family") == 6
                ? run.truth().path("addresses").path("server").get(1).asText()
                : run.truth().path("addresses").path("server").get(0).asText();
    }

    private static List<WgPacket> fromClient(LabRun run, List<WgPacket> packets) {
        String server = serverAddress(run);
        return packets.stream().filter(p -> p.dst().equals(server) && p.dstPort() == 51820).toList();
    }

    private static Set<String> endpoints(List<WgPacket> up) {
        Set<String> out = new LinkedHashSet<>();
        up.forEach(p -> out.add(p.srcEndpoint()));
        return out;
    }

    /** The endpoints `wg show endpoints` reported on the server over time (lab measurement). */
    private static List<String> serverViewOfClient(LabRun run) {
        List<String> out = new ArrayList<>();
        for (JsonNode e : run.truth().path("measured").path("server_view_of_client_endpoint")) {
            if (!e.path("endpoint").asText().equals("(none)")) {
                out.add(e.path("endpoint").asText());
            }
        }
        return out;
    }

    private static double maxGap(List<WgPacket> packets) {
        double max = 0;
        for (int i = 1; i < packets.size(); i++) {
            max = Math.max(max, packets.get(i).time() - packets.get(i - 1).time());
        }
        return max;
    }

    private static WgPacket first(List<WgPacket> packets, Predicate<WgPacket> p) {
        return packets.stream().filter(p).findFirst().orElseThrow(() -> new AssertionError("no such packet"));
    }

    private static double stepTime(LabRun run, String step) {
        return stepTime(run, step, 0);
    }

    /** Start time of the n-th (0-based) step starting with this text. */
    private static double stepTime(LabRun run, String step, int n) {
        int seen = 0;
        for (JsonNode s : run.truth().path("steps")) {
            if (s.path("step").asText().startsWith(step) && seen++ == n) {
                return s.path("t_epoch").asDouble();
            }
        }
        throw new AssertionError(run.scenario() + ": no step '" + step + "' #" + n);
    }
}
