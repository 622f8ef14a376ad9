package dev.wgdiag.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wgdiag.crypto.PrivateKey;
import dev.wgdiag.testing.Requirements;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code wgdiag peer --idle-probe} against a stock WireGuard implementation: wireguard-go in the client
 * namespace of a {@link ProbeLab} (nothing of ours on that side; the namespace's kernel answers the
 * echo requests on its tunnel address), behind {@code masquerade fully-random} with conntrack's stream
 * timer set to {@value #STREAM_TRUTH} s by sysctl (the truth). The client pings once (handshake, the
 * flow becomes two-way), then stays silent; the server probes 4, 8 and 16 s of silence. After the
 * unanswered request the client pings again: fully-random gives the new mapping a new port, so the
 * server sees the phone come back from a new endpoint and calls the mapping dead.
 */
@LabTest
class PeerIdleProbeLabTest {
    static final int STREAM_TRUTH = 12;

    @Test
    void shouldBracketTheStreamTimerOfAStockClientsNatFromTheServerSide() throws Exception {
        Requirements.commands("wireguard-go", "wg", "ping");
        try (ProbeLab lab = new ProbeLab(21)) {
            lab.build(ProbeBehaviourLabTest.FULLY_RANDOM, "net.netfilter.nf_conntrack_udp_timeout_stream=" + STREAM_TRUTH);
            int truth = Integer.parseInt(ProbeLab.exec(lab.nat, "sysctl", "-n", "net.netfilter.nf_conntrack_udp_timeout_stream").strip());
            assertEquals(STREAM_TRUTH, truth, "the sysctl took");
            SecureRandom r = new SecureRandom();
            PrivateKey s = PrivateKey.generate(r), c = PrivateKey.generate(r);
            Path conf = lab.dir.resolve("server.conf");
            Files.writeString(conf, "[Interface]\nPrivateKey = " + ProbeLab.b64(s) + "\nListenPort = " + lab.port
                    + "\nAddress = 10.77.0.1/24\n\n[Peer]\nPublicKey = " + c.publicKey() + "\nAllowedIPs = 10.77.0.2/32\n");
            Path key = lab.dir.resolve("client.key");
            Files.writeString(key, ProbeLab.b64(c) + "\n");
            for (Path p : List.of(conf, key)) Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
            Path log = lab.dir.resolve("peer.out");
            Process server = ProbeLab.wgdiag(lab.server, log, "peer", conf.toString(), "--idle-probe", "4,8,16", "-d", "120", "--no-status");
            String ifn = "wgi" + lab.outside.substring(3);
            Process wgGo = new ProcessBuilder("ip", "netns", "exec", lab.client, "wireguard-go", "-f", ifn)
                    .redirectErrorStream(true).redirectOutput(lab.dir.resolve("wg-go.out").toFile()).start();
            try {
                waitFor(Path.of(log + ".err"), "Ctrl-C stops", 30); // the server listens
                for (int i = 0; i < 50 && !Files.exists(Path.of("/var/run/wireguard", ifn + ".sock")); i++) Thread.sleep(100);
                ProbeLab.exec(lab.client, "wg", "set", ifn, "private-key", key.toString(), "peer", s.publicKey().toString(),
                        "endpoint", lab.serverAddress + ":" + lab.port, "allowed-ips", "10.77.0.0/24");
                ProbeLab.exec(lab.client, "ip", "addr", "add", "10.77.0.2/24", "dev", ifn);
                ProbeLab.exec(lab.client, "ip", "link", "set", ifn, "up");
                ProbeLab.exec(lab.client, "ping", "-c", "1", "-W", "10", "10.77.0.1");
                String out = waitFor(log, "no reply within", 90);
                // the phone comes back: wireguard-go sends from its same socket, the NAT picks a new port
                ProbeLab.exec(lab.client, "ping", "-c", "1", "-W", "10", "10.77.0.1");
                out = waitFor(log, "idle probe: mapping lifetime", 20);
                System.out.println(out.lines().filter(l -> l.contains("idle probe")).reduce("", (a, b) -> a + b + "\n"));
                assertTrue(out.contains("4 s: reply: the mapping lived 4 s idle") && out.contains("8 s: reply: the mapping lived 8 s idle"), out);
                assertTrue(out.contains("the mapping died within 16 s idle"), out);
                Matcher m = Pattern.compile("idle probe: mapping lifetime \\((\\d+), (\\d+)] s").matcher(out);
                assertTrue(m.find(), out);
                assertTrue(Integer.parseInt(m.group(1)) < truth && truth <= Integer.parseInt(m.group(2)),
                        "(" + m.group(1) + ", " + m.group(2) + "] holds " + truth);
            } finally {
                server.destroy();
                server.waitFor(10, TimeUnit.SECONDS);
                server.destroyForcibly();
                wgGo.destroy();
                wgGo.waitFor(5, TimeUnit.SECONDS);
                wgGo.destroyForcibly();
            }
        }
    }

    private static String waitFor(Path log, String text, int seconds) throws Exception {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        String out = "";
        while (System.nanoTime() < end) {
            out = Files.exists(log) ? Files.readString(log) : "";
            if (out.contains(text)) return out;
            Thread.sleep(200);
        }
        throw new AssertionError("no '" + text + "' in " + seconds + " s:\n" + out);
    }
}
