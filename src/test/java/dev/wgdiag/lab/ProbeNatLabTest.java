package dev.wgdiag.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wgdiag.crypto.PrivateKey;
import dev.wgdiag.testing.Requirements;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code wgdiag probe} against a real NAT whose timers are set, not guessed: three network namespaces
 * of this test's own (client, NAT, server), nftables masquerade on the NAT, and the NAT namespace's
 * conntrack UDP timers set by sysctl to {@value #ONE_WAY_TRUTH} s (unanswered, {@code nf_conntrack_udp_timeout})
 * and {@value #STREAM_TRUTH} s (established, {@code nf_conntrack_udp_timeout_stream}). The probe's two
 * brackets must contain those values, read back from the namespace's sysctl. A forged initiation (a
 * key not in the server's config) sent straight to {@code probe serve} must get nothing back.
 */
@LabTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProbeNatLabTest {
    static final int ONE_WAY_TRUTH = 6;
    static final int STREAM_TRUTH = 12;
    private static final int PORT = 47_310;

    private final String id = Long.toString(ProcessHandle.current().pid() % 100_000);
    private final String client = "wgdpr-c-" + id;
    private final String nat = "wgdpr-n-" + id;
    private final String server = "wgdpr-s-" + id;
    private Path dir;
    private JsonNode profile;
    private String progress;
    private String serverLog;
    private int oneWaySysctl;
    private int streamSysctl;
    private double wallSeconds;
    private Process serve;

    @BeforeAll
    void runTheProbeThroughTheNat() throws Exception {
        Requirements.root();
        Requirements.commands("ip", "nft", "sysctl");
        dir = Files.createTempDirectory("wgdiag-probe-lab");
        teardown();
        ip("netns", "add", client);
        ip("netns", "add", nat);
        ip("netns", "add", server);
        String vc = "wpc" + id, vn = "wpn" + id, vs = "wps" + id, vm = "wpm" + id;
        ip("link", "add", vc, "netns", client, "type", "veth", "peer", "name", vn, "netns", nat);
        ip("link", "add", vs, "netns", server, "type", "veth", "peer", "name", vm, "netns", nat);
        ip("-n", client, "addr", "add", "100.64.201.2/30", "dev", vc);
        ip("-n", nat, "addr", "add", "100.64.201.1/30", "dev", vn);
        ip("-n", nat, "addr", "add", "203.0.113.201/30", "dev", vm);
        ip("-n", server, "addr", "add", "203.0.113.202/30", "dev", vs);
        for (String[] l : new String[][]{{client, vc}, {client, "lo"}, {nat, vn}, {nat, vm}, {nat, "lo"}, {server, vs}, {server, "lo"}}) {
            ip("-n", l[0], "link", "set", l[1], "up");
        }
        ip("-n", client, "route", "add", "default", "via", "100.64.201.1");
        exec(nat, "sysctl", "-qw", "net.ipv4.ip_forward=1");
        Path rules = dir.resolve("nat.nft");
        Files.writeString(rules, "table ip wgdprobe {\n chain post {\n  type nat hook postrouting priority srcnat; policy accept;\n"
                + "  oifname \"" + vm + "\" masquerade\n }\n}\n");
        exec(nat, "nft", "-f", rules.toString());
        exec(nat, "sysctl", "-qw", "net.netfilter.nf_conntrack_udp_timeout=" + ONE_WAY_TRUTH);
        exec(nat, "sysctl", "-qw", "net.netfilter.nf_conntrack_udp_timeout_stream=" + STREAM_TRUTH);
        // the truth, as the NAT's kernel holds it
        oneWaySysctl = Integer.parseInt(exec(nat, "sysctl", "-n", "net.netfilter.nf_conntrack_udp_timeout").strip());
        streamSysctl = Integer.parseInt(exec(nat, "sysctl", "-n", "net.netfilter.nf_conntrack_udp_timeout_stream").strip());

        SecureRandom r = new SecureRandom();
        PrivateKey s = PrivateKey.generate(r), c = PrivateKey.generate(r);
        Files.writeString(dir.resolve("server.conf"), "[Interface]\nPrivateKey = " + b64(s) + "\nListenPort = " + PORT
                + "\nAddress = 10.77.0.1/24\n\n[Peer]\nPublicKey = " + c.publicKey() + "\nAllowedIPs = 10.77.0.2/32\n");
        Files.writeString(dir.resolve("client.conf"), "[Interface]\nPrivateKey = " + b64(c) + "\nAddress = 10.77.0.2/24\n\n[Peer]\nPublicKey = "
                + s.publicKey() + "\nEndpoint = 203.0.113.202:" + PORT + "\nAllowedIPs = 10.77.0.0/24\n");
        Files.setPosixFilePermissions(dir.resolve("server.conf"), java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        Files.setPosixFilePermissions(dir.resolve("client.conf"), java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));

        serve = wgdiag(server, dir.resolve("serve.out"), "probe", "serve", dir.resolve("server.conf").toString(), "-d", "150");
        Thread.sleep(1500);
        long start = System.nanoTime();
        Process probe = wgdiag(client, dir.resolve("probe.json"), "probe", dir.resolve("client.conf").toString(),
                "--schedule", "2,4,8,16", "--format", "json");
        assertTrue(probe.waitFor(150, TimeUnit.SECONDS), "the probe finished in time");
        wallSeconds = (System.nanoTime() - start) / 1e9;
        progress = Files.readString(dir.resolve("probe.json.err"));
        assertEquals(0, probe.exitValue(), progress);
        profile = new ObjectMapper().readTree(dir.resolve("probe.json").toFile());
        System.out.printf("probe lab: one-way truth %d s, bracket %s; established truth %d s, bracket %s; %.1f s wall%n",
                oneWaySysctl, profile.path("mapping").path("oneWayLifetimeSeconds"), streamSysctl,
                profile.path("mapping").path("lifetimeSeconds"), wallSeconds);
    }

    @AfterAll
    void teardown() throws Exception {
        if (serve != null) {
            serve.destroy();
            serve.waitFor(5, TimeUnit.SECONDS);
            serve.destroyForcibly();
        }
        for (String ns : List.of(client, nat, server)) Requirements.run(false, "ip", "netns", "del", ns);
        if (dir != null && serve != null) { // the configs hold private keys: leave nothing behind
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    @Test
    void shouldBracketTheOneWayTimerTheNatWasGiven() {
        JsonNode b = profile.path("mapping").path("oneWayLifetimeSeconds");
        assertEquals(ONE_WAY_TRUTH, oneWaySysctl, "the sysctl took");
        assertTrue(b.path("lower").asDouble() < oneWaySysctl && oneWaySysctl <= b.path("upper").asDouble(),
                "one-way bracket " + b + " holds " + oneWaySysctl + "\n" + progress);
    }

    @Test
    void shouldBracketTheEstablishedTimerTheNatWasGiven() {
        JsonNode b = profile.path("mapping").path("lifetimeSeconds");
        assertEquals(STREAM_TRUTH, streamSysctl, "the sysctl took");
        assertTrue(b.path("lower").asDouble() < streamSysctl && streamSysctl <= b.path("upper").asDouble(),
                "established bracket " + b + " holds " + streamSysctl + "\n" + progress);
    }

    @Test
    void shouldRecommendAKeepaliveShorterThanTheShortestTimer() {
        int k = profile.path("recommendation").path("persistentKeepalive").asInt(-1);
        assertTrue(k >= 1 && k < Math.min(oneWaySysctl, streamSysctl), "keepalive " + k);
    }

    @Test
    void shouldReportTheNatsOutsideAddressAndPreservedPortsOfPlainMasquerade() {
        // the lab's truth: masquerade to 203.0.113.201 without "random", so Linux keeps each free source port
        JsonNode eps = profile.path("mapping").path("publicEndpoints");
        assertTrue(eps.isArray() && eps.size() >= 2, eps.toString());
        for (JsonNode e : eps) assertTrue(e.asText().startsWith("203.0.113.201:"), e.asText());
        assertTrue(profile.path("mapping").path("portPreservation").asBoolean(false), profile.path("mapping").toString());
        assertEquals("preserved", profile.path("mapping").path("portAllocation").asText());
    }

    @Test
    void shouldFindThatServerOnlyTrafficRefreshesAConntrackMapping() {
        // truth: conntrack refreshes a flow's timeout on every packet of either direction (nf_ct_refresh_acct
        // in nf_conntrack_proto_udp.c's udp_packet), so inbound traffic alone keeps the mapping
        assertTrue(profile.path("mapping").path("inboundRefresh").asBoolean(false), profile.path("mapping") + "\n" + progress);
    }

    @Test
    void shouldFinishWithinTwoMinutes() {
        assertTrue(wallSeconds < 120, wallSeconds + " s");
        assertFalse(profile.path("observations").isEmpty());
    }

    private Process wgdiag(String ns, Path out, String... args) throws IOException {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns, Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-XX:TieredStopAtLevel=1", "-cp", cp, "dev.wgdiag.cli.Main"));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(Path.of(out + ".err").toFile()).start();
    }

    private static String b64(PrivateKey k) {
        return java.util.Base64.getEncoder().encodeToString(k.toBytes());
    }

    private static void ip(String... args) {
        List<String> cmd = new ArrayList<>(List.of("ip"));
        cmd.addAll(List.of(args));
        Requirements.run(cmd.toArray(String[]::new));
    }

    private static String exec(String ns, String... args) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        cmd.addAll(List.of(args));
        return Requirements.run(cmd.toArray(String[]::new));
    }
}
