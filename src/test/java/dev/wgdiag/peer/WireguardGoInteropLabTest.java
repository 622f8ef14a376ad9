package dev.wgdiag.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.wgdiag.lab.LabTest;
import dev.wgdiag.testing.Requirements;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The core against real wireguard-go, both roles, through a throwaway driver ({@link InteropHarness})
 * in a child JVM inside a namespace: the truth is wireguard-go and its kernel TUN. Role 1: the core
 * initiates over IPv4 with a PresharedKey and pings wireguard-go's tunnel address; the Linux kernel
 * behind wireguard-go answers. Role 2: wireguard-go initiates over IPv6 (ping from its namespace), the
 * core responds and answers the echoes. Byte counters must equal `wg show transfer` crosswise. (The
 * `wgdiag peer` command's own interop matrix is the driver's lab suite.)
 */
@LabTest
class WireguardGoInteropLabTest {
    static String sh(String script) throws Exception {
        Process p = new ProcessBuilder("bash", "-c", script).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("lab script timed out: " + out);
        }
        if (p.exitValue() != 0) {
            fail("lab script failed (" + p.exitValue() + "): " + out);
        }
        return out;
    }

    static String harness(String ns, Path settings) {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return Requirements.run("ip", "netns", "exec", ns, java, "-XX:+UseSerialGC", "-cp", cp,
                InteropHarness.class.getName(), settings.toString());
    }

    static long field(String result, String name) {
        Matcher m = Pattern.compile(name + "=(\\d+)").matcher(result);
        assertTrue(m.find(), name + " in " + result);
        return Long.parseLong(m.group(1));
    }

    static String resultLine(String out) {
        return out.lines().filter(l -> l.startsWith("RESULT")).findFirst().orElseThrow(() -> new AssertionError("no RESULT: " + out));
    }

    /** rx and tx bytes of the one peer in `wg show IFACE transfer`. */
    static long[] transfer(String ns, String iface) throws Exception {
        String[] f = sh("ip netns exec " + ns + " wg show " + iface + " transfer").strip().split("\\s+");
        return new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])};
    }

    @Test
    void shouldInteroperateWithWireguardGoInBothRolesOverIpv4AndIpv6(@TempDir Path dir) throws Exception {
        String t = "wgp" + Long.toString(System.nanoTime() & 0xfffff, 36);
        String goKey = sh("wg genkey").strip();
        String goPub = sh("echo " + goKey + " | wg pubkey").strip();
        String myKey = sh("wg genkey").strip();
        String myPub = sh("echo " + myKey + " | wg pubkey").strip();
        String psk = sh("wg genpsk").strip();
        Files.writeString(dir.resolve("go.key"), goKey + "\n");
        Files.writeString(dir.resolve("psk"), psk + "\n");
        String teardown = "ip netns pids " + t + "-a 2>/dev/null | xargs -r kill 2>/dev/null; "
                + "ip netns pids " + t + "-b 2>/dev/null | xargs -r kill 2>/dev/null; sleep 0.3; "
                + "ip netns del " + t + "-a 2>/dev/null; ip netns del " + t + "-b 2>/dev/null; true";
        try {
            sh("set -e; T=" + t + "; D=" + dir + "\n"
                    + "ip netns add $T-a; ip netns add $T-b\n"
                    + "ip link add $T-va type veth peer name $T-vb\n"
                    + "ip link set $T-va netns $T-a; ip link set $T-vb netns $T-b\n"
                    + "ip -n $T-a addr add 192.0.2.1/24 dev $T-va; ip -n $T-b addr add 192.0.2.2/24 dev $T-vb\n"
                    + "ip -n $T-a addr add 2001:db8:77::1/64 dev $T-va nodad; ip -n $T-b addr add 2001:db8:77::2/64 dev $T-vb nodad\n"
                    + "ip -n $T-a link set $T-va up; ip -n $T-b link set $T-vb up\n"
                    + "ip -n $T-a link set lo up; ip -n $T-b link set lo up\n"
                    + "ip netns exec $T-a wireguard-go $T-wa >/dev/null 2>&1\n"
                    + "ip netns exec $T-a wg set $T-wa private-key $D/go.key listen-port 51820 "
                    + "peer " + myPub + " preshared-key $D/psk allowed-ips 100.64.99.2/32\n"
                    + "ip -n $T-a addr add 100.64.99.1/24 dev $T-wa; ip -n $T-a link set $T-wa up\n");

            // Role 1: the core initiates (IPv4 outer, PresharedKey), 4 pings to the kernel behind wireguard-go.
            Path one = dir.resolve("one");
            Files.write(one, List.of(myKey, goPub, psk, "192.0.2.1:51820", "100.64.99.2", "100.64.99.1", "4", "4"));
            String r1 = resultLine(harness(t + "-b", one));
            assertEquals(4, field(r1, "replies"), r1);
            assertTrue(r1.contains("role=INITIATOR"), r1);
            long[] go1 = transfer(t + "-a", t + "-wa");
            assertEquals(go1[0], field(r1, "tx"), "wireguard-go received what the core sent");
            assertEquals(go1[1], field(r1, "rx"), "the core received what wireguard-go sent");

            // Role 2: wireguard-go initiates (IPv6 outer, no PresharedKey); the core answers 3 echoes.
            sh("set -e; T=" + t + "\n"
                    + "ip netns exec $T-a wg set $T-wa peer " + myPub + " remove\n"
                    + "ip netns exec $T-a wg set $T-wa peer " + myPub + " allowed-ips 100.64.99.2/32 endpoint [2001:db8:77::2]:51820\n");
            Path two = dir.resolve("two");
            Files.write(two, List.of(myKey, goPub, "-", "-", "100.64.99.2", "100.64.99.1", "7", "0"));
            Process ping = new ProcessBuilder("bash", "-c",
                    "sleep 3; ip netns exec " + t + "-a ping -c 3 -i 0.5 -W 3 100.64.99.2").redirectErrorStream(true).start();
            String r2 = resultLine(harness(t + "-b", two));
            String pingOut = new String(ping.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            ping.waitFor(30, TimeUnit.SECONDS);
            assertTrue(pingOut.contains("3 received"), pingOut);
            assertEquals(3, field(r2, "answered"), r2);
            assertTrue(r2.contains("role=RESPONDER"), r2);
            assertTrue(r2.contains("endpoint=/[2001:db8:77:0:0:0:0:1]:51820"), r2);
            long[] go2 = transfer(t + "-a", t + "-wa");
            assertEquals(go2[0], field(r2, "tx"));
            assertEquals(go2[1], field(r2, "rx"));
        } finally {
            sh(teardown);
        }
    }
}
