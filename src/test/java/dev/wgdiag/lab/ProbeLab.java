package dev.wgdiag.lab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wgdiag.crypto.PrivateKey;
import dev.wgdiag.testing.Requirements;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The probe's lab: three network namespaces of its own (client, NAT, server), the NAT's nftables rules
 * given by the test (the truth), {@code wgdiag probe serve} in the server namespace (optionally with a
 * second address, {@code --alt-address}) and {@code wgdiag probe} in the client's. Addresses:
 * client 100.64.N.2, NAT 100.64.N.1 / 203.0.113.(4N+1), server 203.0.113.(4N+2) and 198.51.100.N;
 * over IPv6 ({@code v6}): client fd00:64:N::2, NAT fd00:64:N::1 / 2001:db8:N::1, server 2001:db8:N::2
 * and 2001:db8:ff:N::2 (the tunnel inside stays IPv4). Its config files hold private keys:
 * {@link #close()} removes them.
 */
final class ProbeLab implements AutoCloseable {
    final String client;
    final String nat;
    final String server;
    /** The NAT's outside interface (the name the rules' {@code @OUT@} stands for). */
    final String outside;
    final String clientAddress;
    final String natOutside;
    final String serverAddress;
    final String serverSecond;
    final int port;
    final Path dir;
    final boolean v6;
    private Process serve;

    /** The output of one {@code wgdiag probe --format json}: the profile, the progress, the wall time. */
    record Run(JsonNode profile, String progress, double wallSeconds, int exit) {
    }

    /** @param n 1-60: this lab's number (its subnets, interface names, port); different for labs that may run at once */
    ProbeLab(int n) throws IOException {
        this(n, false);
    }

    ProbeLab(int n, boolean v6) throws IOException {
        this.v6 = v6;
        String id = n + "x" + ProcessHandle.current().pid() % 10_000;
        client = "wgdpl-c-" + id;
        nat = "wgdpl-n-" + id;
        server = "wgdpl-s-" + id;
        outside = "wlm" + id;
        clientAddress = v6 ? "fd00:64:" + n + "::2" : "100.64." + n + ".2";
        natOutside = v6 ? "2001:db8:" + n + "::1" : "203.0.113." + (4 * n + 1);
        serverAddress = v6 ? "2001:db8:" + n + "::2" : "203.0.113." + (4 * n + 2);
        serverSecond = v6 ? "2001:db8:ff:" + n + "::2" : "198.51.100." + n;
        port = 47_400 + 2 * n;
        dir = Files.createTempDirectory("wgdiag-probe-lab");
    }

    /**
     * Builds the namespaces; {@code rules} is an nftables file for the NAT with {@code @OUT@} for the
     * outside interface and {@code @CLIENT@} for the client's address; sysctls ("key=value") are set in
     * the NAT namespace.
     */
    void build(String rules, String... natSysctls) throws IOException {
        Requirements.root();
        Requirements.commands("ip", "nft", "sysctl");
        teardown();
        ip("netns", "add", client);
        ip("netns", "add", nat);
        ip("netns", "add", server);
        String id = outside.substring(3);
        String vc = "wlc" + id, vn = "wln" + id, vs = "wls" + id;
        ip("link", "add", vc, "netns", client, "type", "veth", "peer", "name", vn, "netns", nat);
        ip("link", "add", vs, "netns", server, "type", "veth", "peer", "name", outside, "netns", nat);
        String inside = v6 ? clientAddress.substring(0, clientAddress.length() - 1) + "1"
                : clientAddress.substring(0, clientAddress.lastIndexOf('.')) + ".1";
        String net = v6 ? "/64" : "/30";
        String[] dad = v6 ? new String[]{"nodad"} : new String[0];
        ip(concat(new String[]{"-n", client, "addr", "add", clientAddress + net, "dev", vc}, dad));
        ip(concat(new String[]{"-n", nat, "addr", "add", inside + net, "dev", vn}, dad));
        ip(concat(new String[]{"-n", nat, "addr", "add", natOutside + net, "dev", outside}, dad));
        ip(concat(new String[]{"-n", server, "addr", "add", serverAddress + net, "dev", vs}, dad));
        ip(concat(new String[]{"-n", server, "addr", "add", serverSecond + (v6 ? "/128" : "/32"), "dev", vs}, dad));
        for (String[] l : new String[][]{{client, vc}, {client, "lo"}, {nat, vn}, {nat, outside}, {nat, "lo"}, {server, vs}, {server, "lo"}}) {
            ip("-n", l[0], "link", "set", l[1], "up");
        }
        String family = v6 ? "-6" : "-4";
        ip(family, "-n", client, "route", "add", "default", "via", inside);
        ip(family, "-n", nat, "route", "add", serverSecond + (v6 ? "/128" : "/32"), "via", serverAddress);
        exec(nat, "sysctl", "-qw", v6 ? "net.ipv6.conf.all.forwarding=1" : "net.ipv4.ip_forward=1");
        for (String s : natSysctls) exec(nat, "sysctl", "-qw", s);
        Path file = dir.resolve("nat.nft");
        Files.writeString(file, rules.replace("@OUT@", outside).replace("@CLIENT@", clientAddress));
        exec(nat, "nft", "-f", file.toString());
    }

    /** Starts {@code wgdiag probe serve} for {@code seconds}, with {@code --alt-address} when {@code secondAddress}. */
    void serve(boolean secondAddress, int seconds) throws Exception {
        SecureRandom r = new SecureRandom();
        PrivateKey s = PrivateKey.generate(r), c = PrivateKey.generate(r);
        Files.writeString(dir.resolve("server.conf"), "[Interface]\nPrivateKey = " + b64(s) + "\nListenPort = " + port
                + "\nAddress = 10.77.0.1/24\n\n[Peer]\nPublicKey = " + c.publicKey() + "\nAllowedIPs = 10.77.0.2/32\n");
        Files.writeString(dir.resolve("client.conf"), "[Interface]\nPrivateKey = " + b64(c) + "\nAddress = 10.77.0.2/24\n\n[Peer]\nPublicKey = "
                + s.publicKey() + "\nEndpoint = " + endpoint(serverAddress) + ":" + port + "\nAllowedIPs = 10.77.0.0/24\n");
        Files.setPosixFilePermissions(dir.resolve("server.conf"), PosixFilePermissions.fromString("rw-------"));
        Files.setPosixFilePermissions(dir.resolve("client.conf"), PosixFilePermissions.fromString("rw-------"));
        List<String> args = new ArrayList<>(List.of("probe", "serve", dir.resolve("server.conf").toString(), "-d", Integer.toString(seconds)));
        if (secondAddress) args.addAll(List.of("--alt-address", serverSecond));
        serve = wgdiag(server, dir.resolve("serve.out"), args.toArray(String[]::new));
        for (int i = 0; i < 100 && !Files.readString(dir.resolve("serve.out")).contains("UDP ports"); i++) Thread.sleep(100);
    }

    /** Runs {@code wgdiag probe client.conf --format json ARGS} in the client namespace. */
    Run probe(int timeoutSeconds, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("probe", dir.resolve("client.conf").toString(), "--format", "json"));
        all.addAll(List.of(args));
        long start = System.nanoTime();
        Process p = wgdiag(client, dir.resolve("probe.json"), all.toArray(String[]::new));
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the probe did not finish in " + timeoutSeconds + " s: " + Files.readString(dir.resolve("probe.json.err")));
        }
        double wall = (System.nanoTime() - start) / 1e9;
        String progress = Files.readString(dir.resolve("probe.json.err"));
        JsonNode profile = p.exitValue() == 0 ? new ObjectMapper().readTree(dir.resolve("probe.json").toFile()) : null;
        return new Run(profile, progress, wall, p.exitValue());
    }

    String serverLog() throws IOException {
        return Files.readString(dir.resolve("serve.out"));
    }

    void teardown() {
        for (String ns : List.of(client, nat, server)) Requirements.run(false, "ip", "netns", "del", ns);
    }

    @Override
    public void close() throws Exception {
        if (serve != null) {
            serve.destroy();
            serve.waitFor(5, TimeUnit.SECONDS);
            serve.destroyForcibly();
        }
        teardown();
        try (var files = Files.walk(dir)) { // the configs hold private keys: leave nothing behind
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    static Process wgdiag(String ns, Path out, String... args) throws IOException {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns, Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-XX:TieredStopAtLevel=1", "-cp", cp, "dev.wgdiag.cli.Main"));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(Path.of(out + ".err").toFile()).start();
    }

    /** An address as the host part of an Endpoint ("[v6]" in brackets). */
    static String endpoint(String address) {
        return address.contains(":") ? "[" + address + "]" : address;
    }

    private static String[] concat(String[] a, String[] b) {
        String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    static String b64(PrivateKey k) {
        return java.util.Base64.getEncoder().encodeToString(k.toBytes());
    }

    static void ip(String... args) {
        List<String> cmd = new ArrayList<>(List.of("ip"));
        cmd.addAll(List.of(args));
        Requirements.run(cmd.toArray(String[]::new));
    }

    static String exec(String ns, String... args) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        cmd.addAll(List.of(args));
        return Requirements.run(cmd.toArray(String[]::new));
    }
}
