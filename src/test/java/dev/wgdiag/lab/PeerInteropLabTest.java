package dev.wgdiag.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wgdiag.lab.Tshark.WgPacket;
import dev.wgdiag.testing.Requirements;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code wgdiag peer} against wireguard-go, for real: the lab's namespaces and NAT, wgdiag on the
 * client side (behind the NAT, initiating) or on the server side (responding), over IPv4 and IPv6
 * outer transport, with and without a preshared key: eight runs of the peer-interop scenario (pings
 * both ways, IPv4 and IPv6 inside the tunnel). Judged by what wgdiag did not compute: the Linux
 * ping(8) output on the wireguard-go side (its echo requests answered by wgdiag's inner stack), the
 * tcpdump captures read by tshark, the lab's settings in the truth file, and tshark decrypting
 * wgdiag's {@code -w} file with nothing but its Decryption Secrets Blocks.
 */
@LabTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PeerInteropLabTest {
    private static final String SCENARIO = "peer-interop";
    /** Pings per step in peer-interop.scenario; two steps per side, IPv4 and IPv6 inside. */
    private static final int PINGS = 3;

    private final List<PeerLab.Side> matrix = new ArrayList<>();
    private Map<PeerLab.Side, CompletableFuture<LabRun>> runs;

    @BeforeAll
    void runTheMatrix() {
        for (String side : List.of("client", "server")) {
            for (int family : List.of(4, 6)) {
                for (boolean psk : List.of(false, true)) matrix.add(new PeerLab.Side(side, family, psk));
            }
        }
        long start = System.nanoTime();
        runs = PeerLab.runAll(matrix, s -> Lab.run(SCENARIO, Lab.projectDir().resolve("target/lab-peer").resolve(s.label()),
                PeerLab.env(s, PeerLab.peerScenarios())));
        runs.forEach((s, f) -> System.out.printf("interop %-24s %s%n", s.label(),
                f.isCompletedExceptionally() ? "FAILED" : String.format("%.1f s", f.join().wallTime().toMillis() / 1000.0)));
        System.out.printf("interop matrix: %d runs in %.1f s wall%n", matrix.size(), (System.nanoTime() - start) / 1e9);
    }

    @TestFactory
    Stream<DynamicTest> shouldPingBothWaysBetweenWgdiagAndWireguardGo() {
        return matrix.stream().map(side -> DynamicTest.dynamicTest(side.label(), () -> {
            LabRun run = PeerLab.get(runs.get(side));
            assertEquals("wgdiag", run.truth().path("implementations").path(side.wgdiag()).asText());
            assertEquals("wireguard-go", run.truth().path("implementations").path(side.other()).asText());
            assertEquals(side.family(), run.setting("outer_family"));
            assertEquals(side.psk(), run.truth().path("settings").path("preshared_key").asBoolean());
            assertEquals(side.psk(), Files.readString(run.clientConf()).contains("PresharedKey = "), "the config the lab wrote");

            // wireguard-go's side: Linux ping(8) through its TUN, answered by wgdiag's inner stack
            String linux = Files.readString(run.dir().resolve(SCENARIO + ".pings.txt"));
            assertEquals(2, count(linux, PINGS + " packets transmitted, " + PINGS + " received, 0% packet loss"), linux);
            // wgdiag's side: its --ping through wireguard-go, answered by the Linux stack behind it
            String own = Files.readString(wgdiagOut(run, side));
            for (String target : side.wgdiag().equals("client") ? List.of("10.0.0.1", "fd86:ea04:1119::1")
                    : List.of("10.0.0.2", "fd86:ea04:1119::2")) {
                int at = own.indexOf("--- " + target + " ping statistics ---");
                assertTrue(at >= 0, "no statistics for " + target + ":\n" + own);
                assertTrue(own.startsWith(PINGS + " packets transmitted, " + PINGS + " received, 0% packet loss",
                        own.indexOf('\n', at) + 1), own);
            }
        }));
    }

    @TestFactory
    Stream<DynamicTest> shouldCarryTheHandshakeOverTheConfiguredOuterFamilyWithTheClientInitiating() {
        return matrix.stream().map(side -> DynamicTest.dynamicTest(side.label(), () -> {
            LabRun run = PeerLab.get(runs.get(side));
            List<WgPacket> server = Tshark.wireGuard(run.serverPcap());
            String serverAddress = run.truth().path("addresses").path("server").get(side.family() == 6 ? 1 : 0).asText();
            String natOutside = run.truth().path("addresses").path("nat_outside").get(side.family() == 6 ? 1 : 0).asText();
            assertTrue(server.stream().allMatch(p -> p.src().contains(":") == (side.family() == 6)), "outer family " + side.family());
            List<WgPacket> handshakes = server.stream().filter(p -> p.type() == 1 || p.type() == 2).toList();
            assertEquals(List.of(1, 2), handshakes.stream().map(WgPacket::type).toList(), "one handshake");
            assertEquals(natOutside, handshakes.get(0).src(), "the client initiates from behind the NAT");
            assertEquals(serverAddress, handshakes.get(1).src(), "the server responds");
            assertEquals(4L * PINGS * 2, server.stream().filter(p -> p.type() == 4 && !p.isKeepalive()).count(),
                    "every echo request and reply as transport data");
        }));
    }

    @TestFactory
    Stream<DynamicTest> shouldWriteTheDatagramsTcpdumpSawOnItsSideAndLetTsharkDecryptThem() {
        return matrix.stream().map(side -> DynamicTest.dynamicTest(side.label(), () -> {
            LabRun run = PeerLab.get(runs.get(side));
            Path own = run.dir().resolve(SCENARIO + "." + side.wgdiag() + ".wgdiag.pcapng");
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(own)));
            Path tcpdump = side.wgdiag().equals("client") ? run.clientPcap() : run.serverPcap();
            // Each direction in the same order; between directions a socket reads a datagram a little after
            // tcpdump saw it, so a reply sent meanwhile may come first in wgdiag's file.
            List<String> seen = outer(tcpdump);
            List<String> written = outer(own);
            for (String direction : seen.stream().map(PeerInteropLabTest::direction).distinct().toList()) {
                assertEquals(seen.stream().filter(l -> direction(l).equals(direction)).toList(),
                        written.stream().filter(l -> direction(l).equals(direction)).toList(),
                        "wgdiag's frames against tcpdump's on the " + side.wgdiag() + " side, " + direction);
            }
            assertEquals(seen.size(), written.size());
            String echoes = Requirements.run("tshark", "-r", own.toString(), "-n", "-Y",
                    "icmp.type == 8 || icmp.type == 0 || icmpv6.type == 128 || icmpv6.type == 129",
                    "-T", "fields", "-e", "icmp.type", "-e", "icmpv6.type");
            assertEquals(4 * PINGS * 2, echoes.lines().filter(l -> !l.isBlank()).count(),
                    "tshark decrypts every echo from the file alone:\n" + echoes);
        }));
    }

    @Test
    void shouldLeaveNoNamespaceProcessOrSocketBehind() {
        for (CompletableFuture<LabRun> f : runs.values()) {
            LabRun run = PeerLab.get(f);
            assertEquals(List.of(), LabLeftovers.of(run.truth().path("run_id").asText()), run.dir().toString());
        }
    }

    @Test
    void shouldInteroperateWithTheKernelModuleWhereItIsLoaded() {
        // The one lab test that skips even under CI=true: no machine we run on has the module.
        if (!Files.isDirectory(Path.of("/sys/module/wireguard"))) {
            System.out.println("SKIPPED: the wireguard kernel module is not loaded on this machine (/sys/module/wireguard)");
            Assumptions.abort("the wireguard kernel module is not loaded on this machine (/sys/module/wireguard)");
        }
        PeerLab.Side side = new PeerLab.Side("client", 4, true);
        Map<String, String> env = new java.util.HashMap<>(PeerLab.env(side, PeerLab.peerScenarios()));
        env.put("WGLAB_SERVER_IMPL", "kernel");
        LabRun run = Lab.run(SCENARIO, Lab.projectDir().resolve("target/lab-peer/kernel"), env);
        try {
            assertEquals(2, count(Files.readString(run.dir().resolve(SCENARIO + ".pings.txt")),
                    PINGS + " packets transmitted, " + PINGS + " received"));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    // ------------------------------------------------------------------ helpers

    /** Outer datagrams as tshark reads them: addresses, ports, WireGuard type and length (no times). */
    private static List<String> outer(Path capture) {
        List<String> out = new ArrayList<>();
        String text = Requirements.run("tshark", "-r", capture.toString(), "-n", "-o", "wg.dissect_packet:FALSE",
                "-Y", "wg && !icmp && !icmpv6", "-T", "fields", "-E", "occurrence=f",
                "-e", "ip.src", "-e", "ipv6.src", "-e", "udp.srcport", "-e", "ip.dst", "-e", "ipv6.dst", "-e", "udp.dstport",
                "-e", "wg.type", "-e", "udp.length");
        text.lines().filter(l -> !l.isBlank()).forEach(out::add);
        assertFalse(out.isEmpty(), capture + ": no WireGuard datagrams");
        return out;
    }

    /** "source port -> destination port" of an {@link #outer} line. */
    private static String direction(String line) {
        String[] f = line.split("\t", -1);
        return f[0] + f[1] + ":" + f[2] + " -> " + f[3] + f[4] + ":" + f[5];
    }

    private static Path wgdiagOut(LabRun run, PeerLab.Side side) {
        return run.dir().resolve(SCENARIO + "." + side.wgdiag() + ".wgdiag.txt");
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) n++;
        return n;
    }
}
