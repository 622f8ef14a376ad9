package dev.wgdiag.cli;

import dev.wgdiag.config.ConfigException;
import dev.wgdiag.config.WgConfig;
import dev.wgdiag.probe.ProbeServer;
import dev.wgdiag.probe.net.ProbeServerDriver;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code wgdiag probe serve CONFIG}: the public side of {@code wgdiag probe} (docs/probe.md). */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"The public side of `wgdiag probe`: answer the probe of the peers in CONFIG on the",
                "ListenPort and a second UDP port. WireGuard authentication: nothing is sent to an",
                "address that has not completed a handshake from it."},
        footerHeading = "%nExamples:%n",
        footer = {
                "  wgdiag probe serve server.conf",
                "      On a VPS: ListenPort and ListenPort+1, until stopped.",
                "  wgdiag probe serve server.conf --alt-port 51900 -d 1h",
                "      A chosen second port, for an hour.",
                "  wgdiag probe serve server.conf --alt-address 192.0.2.7",
                "      A second address of this machine: the address tests run too."})
public final class ProbeServeCommand implements Callable<Integer> {
    /** picocli's output streams (Main and tests set them on the command line), taken when the command runs. */
    private PrintWriter out;
    private PrintWriter err;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "CONFIG", description = "wg-quick config: [Interface] PrivateKey, ListenPort, Address; a [Peer] per probing client.")
    Path config;

    @Option(names = "--alt-port", paramLabel = "PORT", description = "The second UDP port (default ListenPort+1).")
    Integer altPort;

    @Option(names = "--alt-address", paramLabel = "ADDR", description = "A second address of this machine that clients reach directly (not behind a 1:1 NAT): mapping and filtering tests against another address (RFC 5780 4.3-4.4).")
    String altAddress;

    @Option(names = {"-d", "--duration"}, paramLabel = "TIME", converter = CaptureCommand.DurationConverter.class,
            description = "Stop after this long (e.g. 90, 90s, 5m, 1h30m).")
    Long durationNanos;

    @Override
    public Integer call() throws Exception {
        out = spec.commandLine().getOut();
        err = spec.commandLine().getErr();
        WgConfig wg;
        try {
            wg = WgConfig.parse(config);
        } catch (ConfigException e) {
            throw new UserError(ExitCode.BAD_INPUT, e.getMessage());
        }
        wg.warnings().forEach(w -> err.println("wgdiag: " + w));
        PeerSetup.Setup setup = PeerSetup.of(wg, PeerSetup.SYSTEM);
        if (setup.listenPort() == 0) throw new UserError(ExitCode.BAD_INPUT, wg.name() + ": [Interface] ListenPort: missing (clients dial it)");
        if (setup.addresses().isEmpty()) throw new UserError(ExitCode.BAD_INPUT, wg.name() + ": [Interface] Address: missing (the probe's echo replies come from it)");
        int alt = altPort != null ? altPort : setup.listenPort() + 1;
        if (alt < 1 || alt > 65535 || alt == setup.listenPort()) {
            throw new UserError(ExitCode.USAGE, "--alt-port must be 1-65535 and differ from ListenPort " + setup.listenPort());
        }
        List<InetAddress> others = new ArrayList<>();
        if (altAddress != null) {
            InetAddress a;
            try {
                a = PeerSetup.numeric(altAddress.strip());
            } catch (IllegalArgumentException e) {
                throw new UserError(ExitCode.USAGE, "--alt-address " + altAddress + ": not an IPv4 or IPv6 address");
            }
            if (a.isAnyLocalAddress()) throw new UserError(ExitCode.USAGE, "--alt-address " + altAddress + ": a wildcard, not an address of this machine");
            others.add(a);
        }
        ProbeServerDriver driver;
        try {
            driver = new ProbeServerDriver(List.of(setup.listenPort(), alt), others);
        } catch (IOException e) {
            throw new UserError(ExitCode.ENVIRONMENT, "probe serve: cannot bind UDP ports " + setup.listenPort() + " and " + alt
                    + (others.isEmpty() ? "" : " (and on --alt-address)") + ": " + e.getMessage());
        }
        ProbeServer core = new ProbeServer(setup.spec(), new SecureRandom(), driver.locals());
        try (driver) {
            out.printf(Locale.ROOT, "probe server: UDP ports %s, %d peer(s) from %s%n", driver.ports(), setup.spec().peers().size(), wg.name());
            List<String> addrs = publicAddresses();
            out.println("  addresses: " + (addrs.isEmpty() ? "none found" : String.join(", ", addrs)));
            if (others.isEmpty()) {
                out.println("  no --alt-address: the address-dependent mapping and filtering tests (RFC 5780 4.3-4.4) cannot run;");
                out.println("  the port-dependent ones use the second port");
            } else {
                out.println("  second address " + others.get(0).getHostAddress() + " on both ports: every mapping and filtering test runs");
            }
            out.flush();
            long deadline = System.nanoTime() + (durationNanos == null ? Long.MAX_VALUE / 2 : durationNanos);
            driver.serve(core, deadline, e -> {
                out.printf(Locale.ROOT, "%s  %-13s port %d  %s  peer %s%s%n", Instant.ofEpochMilli(e.nanos() / 1_000_000).toString(),
                        e.kind().name().toLowerCase(Locale.ROOT).replace('_', ' '), e.localPort(), PeerLines.endpoint(e.client()), e.peer(),
                        e.code() == null ? "" : "  " + dev.wgdiag.report.ProbeWords.timer(e.code().timer()) + " idle "
                                + dev.wgdiag.report.ProbeWords.seconds(e.code().idleSeconds()) + " s");
                out.flush();
            });
        }
        return ExitCode.OK;
    }

    /** Global-looking addresses of this machine (not loopback or link-local). */
    private static List<String> publicAddresses() {
        List<String> list = new ArrayList<>();
        try {
            for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InetAddress a : Collections.list(ni.getInetAddresses())) {
                    if (a.isLoopbackAddress() || a.isLinkLocalAddress()) continue;
                    if (a instanceof Inet4Address || a instanceof Inet6Address) list.add(a.getHostAddress().replaceAll("%.*", ""));
                }
            }
        } catch (java.net.SocketException e) {
            return list;
        }
        return list;
    }
}
