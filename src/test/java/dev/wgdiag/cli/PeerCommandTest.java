package dev.wgdiag.cli;

import dev.wgdiag.config.ConfigException;
import dev.wgdiag.config.WgConfig;
import dev.wgdiag.crypto.Keylog;
import dev.wgdiag.crypto.PresharedKey;
import dev.wgdiag.crypto.PrivateKey;
import dev.wgdiag.testing.Requirements;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code wgdiag peer} as a user runs it, without the lab: two peers on the loopback interface pinging
 * through a real handshake (ping(8)'s line formats, the keylog tshark decrypts with, no key in any
 * other output), and every refusal as one line with its exit code (the config parser's typed error, a
 * port in use, an Endpoint that does not resolve, a port the user may not bind), and no native library
 * (pcap4j, JNA) loaded by the command.
 */
class PeerCommandTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    @TempDir
    Path dir;

    private final PrivateKey a = PrivateKey.generate(RANDOM);
    private final PrivateKey b = PrivateKey.generate(RANDOM);
    private final PresharedKey psk = PresharedKey.generate(RANDOM);

    @Test
    void shouldPingAnotherPeerOverLoopbackLikePingAndKeepKeysInTheFilesAsked() throws Exception {
        int port = freePort();
        Path server = write("server.conf", "[Interface]\nPrivateKey = " + b.toBase64() + "\nListenPort = " + port
                + "\nAddress = 10.0.0.1/32, fd86:ea04:1119::1/128\n\n# phone\n[Peer]\nPublicKey = " + a.publicKey().toBase64()
                + "\nPresharedKey = " + psk.toBase64() + "\nAllowedIPs = 10.0.0.2/32, fd86:ea04:1119::2/128\n");
        Path phone = write("phone.conf", "[Interface]\nPrivateKey = " + a.toBase64()
                + "\nAddress = 10.0.0.2/32, fd86:ea04:1119::2/128\nDNS = 10.0.0.1\nMTU = 1380\n\n# home\n[Peer]\nPublicKey = "
                + b.publicKey().toBase64() + "\nPresharedKey = " + psk.toBase64()
                + "\nAllowedIPs = 10.0.0.0/24, fd86:ea04:1119::/64\nEndpoint = 127.0.0.1:" + port + "\n");
        Path pcap = dir.resolve("phone.pcapng");
        Path keys = dir.resolve("phone.keys");

        CompletableFuture<CliRun> serverRun = CompletableFuture.supplyAsync(() -> CliRun.of("peer", server.toString(), "-d", "8s",
                "--no-status"));
        Thread.sleep(1500);
        CliRun run = CliRun.of("peer", phone.toString(), "--ping", "10.0.0.1", "--ping", "fd86:ea04:1119::1", "-c", "3", "-i", "0.3",
                "-w", pcap.toString(), "--keylog", keys.toString(), "--no-status");
        CliRun other = serverRun.join();

        assertEquals(0, run.exitCode(), run.err());
        assertEquals(0, other.exitCode(), other.err());
        List<String> lines = run.out().lines().toList();
        assertTrue(lines.contains("PING 10.0.0.1 (10.0.0.1) 56(84) bytes of data."), run.out());
        assertTrue(lines.contains("PING fd86:ea04:1119::1(fd86:ea04:1119::1) 56 data bytes"), run.out());
        // iputils ping's reply and summary lines
        Pattern reply = Pattern.compile("64 bytes from (10\\.0\\.0\\.1|fd86:ea04:1119::1): icmp_seq=[123] ttl=64 time=[0-9.]+ ms");
        assertEquals(6, lines.stream().filter(l -> reply.matcher(l).matches()).count(), run.out());
        for (String target : List.of("10.0.0.1", "fd86:ea04:1119::1")) {
            int at = lines.indexOf("--- " + target + " ping statistics ---");
            assertTrue(at > 0 && lines.get(at - 1).isEmpty(), run.out());
            assertTrue(lines.get(at + 1).matches("3 packets transmitted, 3 received, 0% packet loss, time \\d+ms"), lines.get(at + 1));
            assertTrue(lines.get(at + 2).matches("rtt min/avg/max/mdev = \\d+\\.\\d{3}/\\d+\\.\\d{3}/\\d+\\.\\d{3}/\\d+\\.\\d{3} ms"),
                    lines.get(at + 2));
        }
        assertEquals(1, run.err().lines().filter(l -> l.contains("note:")).count(), run.err());
        assertTrue(run.err().contains("ignoring DNS, MTU"), run.err());
        assertTrue(other.err().contains("6 echo requests answered"), other.err());
        assertTrue(run.out().contains("handshakes: 1 (1 answered)"), "the closing report of its own traffic:\n" + run.out());
        assertTrue(run.out().contains("home ("), "peers named from the config's comments:\n" + run.out());

        // the keylog: 0600, Wireshark's format, and tshark decrypts the capture with it
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keys)));
        Keylog keylog = Keylog.parse(keys);
        assertEquals(1, keylog.ephemerals().size());
        assertEquals(psk, keylog.ephemerals().get(0).psk());
        Requirements.commands("tshark");
        String echoes = Requirements.run("tshark", "-r", pcap.toString(), "-n", "-o", "wg.keylog_file:" + keys,
                "-Y", "icmp.type == 8 || icmp.type == 0 || icmpv6.type == 128 || icmpv6.type == 129", "-T", "fields", "-e", "frame.number");
        assertEquals(12, echoes.lines().count(), echoes);

        // no key anywhere else
        List<String> secrets = new ArrayList<>(List.of(a.toBase64(), b.toBase64(), psk.toBase64()));
        keylog.ephemerals().forEach(e -> secrets.add(e.key().toBase64()));
        for (String s : secrets) {
            for (String output : List.of(run.out(), run.err(), other.out(), other.err())) assertFalse(output.contains(s));
        }
    }

    @Test
    void shouldRejectABadConfigWithTheParsersTypedError() throws Exception {
        Path conf = write("bad.conf", "[Interface]\nPrivateKey = " + a.toBase64() + "\n\n[Peer]\nPublicKey = not-a-key\n");
        String typed;
        try {
            WgConfig.parse(conf);
            throw new AssertionError("the parser accepted it");
        } catch (ConfigException e) {
            typed = e.getMessage();
        }
        CliRun run = CliRun.of("peer", conf.toString());
        assertEquals(ExitCode.BAD_INPUT, run.exitCode());
        assertEquals("wgdiag: " + typed + "\n", run.err());
        assertFalse(run.err().contains(a.toBase64()));
    }

    @Test
    void shouldSayInOneLineThatTheListenPortIsInUse() throws Exception {
        try (DatagramChannel taken = DatagramChannel.open()) {
            taken.bind(new InetSocketAddress(0));
            int port = ((InetSocketAddress) taken.getLocalAddress()).getPort();
            Path conf = write("busy.conf", config(a, port, "127.0.0.1:51820"));
            Path pcap = dir.resolve("never.pcapng");
            CliRun run = CliRun.of("peer", conf.toString(), "-d", "1", "-w", pcap.toString());
            assertEquals(ExitCode.ENVIRONMENT, run.exitCode());
            assertEquals("wgdiag: UDP port " + port + " (ListenPort of " + conf + ") is in use: stop the other WireGuard interface"
                    + " or peer, or change ListenPort\n", run.err());
            assertFalse(Files.exists(pcap), "no file with keys left behind by a refused start");
        }
    }

    @Test
    void shouldSayInOneLineThatAnEndpointDoesNotResolve() throws Exception {
        // .invalid never resolves (RFC 2606 section 2)
        Path conf = write("dns.conf", config(a, 0, "vpn.example.invalid:51820"));
        CliRun run = CliRun.of("peer", conf.toString(), "-d", "1");
        assertEquals(ExitCode.ENVIRONMENT, run.exitCode());
        assertEquals("wgdiag: " + conf + ": [Peer] home: Endpoint vpn.example.invalid:51820: cannot resolve host name"
                + " 'vpn.example.invalid'\n", run.err());
    }

    @Test
    void shouldRefuseAPingOutsideEveryAllowedIps() throws Exception {
        Path conf = write("route.conf", config(a, 0, "127.0.0.1:51820"));
        CliRun run = CliRun.of("peer", conf.toString(), "--ping", "192.0.2.1");
        assertEquals(ExitCode.USAGE, run.exitCode());
        assertEquals("wgdiag: --ping 192.0.2.1: no [Peer]'s AllowedIPs contain it\n", run.err());
    }

    @Test
    void shouldSayInOneLineThatAPrivilegedPortNeedsRoot() throws Exception {
        int start = Integer.parseInt(Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_unprivileged_port_start")).get(0).strip());
        if (start <= 80) Requirements.unmet("this machine lets anyone bind port 80 (net.ipv4.ip_unprivileged_port_start=" + start + ")");
        Requirements.commands("setpriv");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path conf = write("priv.conf", config(a, 80, "127.0.0.1:51820"));
        Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("rw-r--r--"));
        List<String> cmd = new ArrayList<>(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", java(), "-cp",
                readableClassPath(), "dev.wgdiag.cli.Main", "peer", conf.toString(), "-d", "1"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(ExitCode.ENVIRONMENT, p.waitFor());
        String last = out.strip().lines().reduce((x, y) -> y).orElse("");
        assertTrue(last.startsWith("wgdiag: binding UDP port 80 was refused (") && last.endsWith(
                "): ports below 1024 need root or CAP_NET_BIND_SERVICE"), out);
    }

    @Test
    void shouldLoadNoNativeCaptureLibrary() throws Exception {
        Path conf = write("plain.conf", config(a, 0, "127.0.0.1:9"));
        List<String> cmd = List.of(java(), "-verbose:class", "-cp", classPath(), "dev.wgdiag.cli.Main", "peer", conf.toString(),
                "--ping", "10.0.0.1", "-c", "1", "-W", "0.5", "--no-status");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        assertTrue(out.contains("dev.wgdiag.peer.net.UdpDriver"), "the peer ran:\n" + out.lines().filter(l -> l.contains("wgdiag")).toList());
        List<String> native_ = out.lines().filter(l -> l.contains("org.pcap4j") || l.contains("com.sun.jna")).toList();
        assertEquals(List.of(), native_);
    }

    // ------------------------------------------------------------------ helpers

    private String config(PrivateKey key, int port, String endpoint) {
        return "[Interface]\nPrivateKey = " + key.toBase64() + (port > 0 ? "\nListenPort = " + port : "")
                + "\nAddress = 10.0.0.2/32\n\n# home\n[Peer]\nPublicKey = " + b.publicKey().toBase64()
                + "\nAllowedIPs = 10.0.0.1/32\nEndpoint = " + endpoint + "\n";
    }

    private Path write(String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
        return p;
    }

    private static int freePort() throws Exception {
        try (DatagramChannel c = DatagramChannel.open()) {
            c.bind(new InetSocketAddress(0));
            return ((InetSocketAddress) c.getLocalAddress()).getPort();
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static String classPath() {
        return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    }

    /** A copy of the class path the unprivileged user may read (the Maven repository under /root is not). */
    private String readableClassPath() throws Exception {
        Path root = dir.resolve("cp");
        Files.createDirectories(root);
        List<String> entries = new ArrayList<>();
        int i = 0;
        for (String e : classPath().split(File.pathSeparator)) {
            Path from = Path.of(e);
            if (!Files.exists(from)) continue;
            Path to = root.resolve(i++ + "-" + from.getFileName());
            if (Files.isDirectory(from)) {
                try (var walk = Files.walk(from)) {
                    for (Path p : (Iterable<Path>) walk::iterator) {
                        Path t = to.resolve(from.relativize(p).toString());
                        if (Files.isDirectory(p)) Files.createDirectories(t);
                        else Files.copy(p, t);
                    }
                }
            } else {
                Files.copy(from, to);
            }
            entries.add(to.toString());
        }
        try (var walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                if (p.getFileName().toString().endsWith(".conf")) continue;
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
        return String.join(File.pathSeparator, entries);
    }
}
