package dev.wgdiag.cli;

import dev.wgdiag.config.ConfigException;
import dev.wgdiag.config.WgConfig;
import dev.wgdiag.peer.InnerStack;
import dev.wgdiag.peer.Pinger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code wgdiag peer CONFIG}: a userspace WireGuard peer from a wg-quick config, on one plain UDP
 * socket (no root, no TUN, no native library). It answers pings on its Address, pings with
 * {@code --ping}, prints live events in {@code wgdiag capture}'s words plus what only a peer knows,
 * and ends with the report {@code wgdiag analyze} gives of its own traffic.
 */
@Command(name = "peer", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run a userspace WireGuard peer from a wg-quick config: plain UDP, no root, no TUN device.",
                "Answers pings on its Address, pings with --ping, tells live what happens, and ends with the",
                "analysis of its own traffic. Stop with Ctrl-C, --duration, or the end of --ping."},
        footerHeading = "%nExamples:%n",
        // The man page's EXAMPLES come from here and the README's examples must be among them (ReadmeExamplesTest).
        footer = {
                "  wgdiag peer phone.conf --ping 10.0.0.1",
                "      On a laptop tethered to the phone: ping the server through the tunnel, like ping(8).",
                "  wgdiag peer phone.conf --ping 10.0.0.1 -i 30 -d 15m -w phone.pcapng",
                "      A ping every 30 s for 15 minutes; its own traffic kept with the session keys.",
                "  wgdiag peer wg0.conf -w server.pcapng --html server.html",
                "      On the server's side: answer the real phone app and report every handshake.",
                "  wgdiag peer wg0.conf --idle-probe 10,20,40,80,160",
                "      Against the stock phone app: how long its carrier keeps an idle mapping."})
public final class PeerCommand implements Callable<Integer> {
    enum Format { text, json }

    /** picocli's output streams (Main and tests set them on the command line), taken when the command runs. */
    PrintWriter out;
    PrintWriter err;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "CONFIG", description = "wg-quick config: [Interface] PrivateKey, ListenPort, Address; [Peer] sections.")
    Path config;

    @Option(names = "--ping", paramLabel = "ADDR", description = "Ping this tunnel address (IPv4 or IPv6) through the tunnel; repeatable.")
    List<String> pings = new ArrayList<>();

    @Option(names = {"-i", "--interval"}, paramLabel = "SECONDS", defaultValue = "1", description = "Seconds between pings (default ${DEFAULT-VALUE}).")
    double interval;

    @Option(names = {"-c", "--count"}, paramLabel = "N", description = "Stop each ping after N requests (default: until stopped).")
    Long count;

    @Option(names = {"-s", "--size"}, paramLabel = "BYTES", defaultValue = "" + InnerStack.DEFAULT_DATA_BYTES,
            description = "ICMP data bytes per ping (default ${DEFAULT-VALUE}, as ping(8)).")
    int size;

    @Option(names = {"-W", "--timeout"}, paramLabel = "SECONDS", defaultValue = "" + Pinger.DEFAULT_TIMEOUT_SECONDS,
            description = "With --count: seconds to wait for the last replies (default 10).")
    double timeout;

    @Option(names = {"-d", "--duration"}, paramLabel = "TIME", converter = CaptureCommand.DurationConverter.class,
            description = "Stop after this long (e.g. 90, 90s, 5m, 1h30m).")
    Long durationNanos;

    @Option(names = {"-w", "--write"}, paramLabel = "FILE", description = {"Write the peer's own datagrams to FILE (pcapng, mode 0600)",
            "with each session's keys in Decryption Secrets Blocks: tshark and analyze --decrypt open it."})
    Path write;

    @Option(names = "--keylog", paramLabel = "FILE", description = "Write a Wireshark WireGuard keylog of every session to FILE (mode 0600).")
    Path keylog;

    @Option(names = "--format", defaultValue = "text", description = "text or json: the closing report (with json, live lines go to standard error).")
    Format format;

    @Option(names = "--html", paramLabel = "FILE", description = "Also write the closing report as HTML to FILE.")
    Path html;

    @Option(names = "--idle-probe", paramLabel = "SECONDS", description = {"On the server's side of a stock phone app (one [Peer], PersistentKeepalive off on the phone):",
            "after each idle time of silence, an in-tunnel echo request to the phone; a reply proves the NAT mapping lived",
            "that long (e.g. 10,20,40,80,160; docs/probe.md)."})
    String idleProbe;

    @Option(names = "--no-status", description = "No status line, even on a terminal.")
    boolean noStatus;

    /** For scripted runs (the lab): lines "ping ADDR [COUNT [INTERVAL [SIZE]]]" read from FILE (a FIFO) as they come. */
    @Option(names = "--commands", paramLabel = "FILE", hidden = true)
    Path commands;

    @Override
    public Integer call() throws Exception {
        out = spec.commandLine().getOut();
        err = spec.commandLine().getErr();
        checkOptions();
        WgConfig wg;
        try {
            wg = WgConfig.parse(config);
        } catch (ConfigException e) {
            throw new UserError(ExitCode.BAD_INPUT, e.getMessage());
        }
        wg.warnings().forEach(w -> err.println("wgdiag: " + w));
        PeerSetup.Setup setup = PeerSetup.of(wg, PeerSetup.SYSTEM);
        setup.notes().forEach(n -> err.println("wgdiag: " + n));
        if (idleProbe != null) PeerIdleProbe.of(idleProbe, setup, l -> { }); // bad --idle-probe: refused before the socket opens
        List<InetAddress> targets = new ArrayList<>();
        for (String p : pings) targets.add(pingTarget(p, setup));
        err.flush();
        return new PeerRun(this, wg, setup, targets).go();
    }

    private void checkOptions() {
        if (!(interval >= 0.001)) throw new UserError(ExitCode.USAGE, "--interval must be at least 0.001 s");
        if (count != null && count < 1) throw new UserError(ExitCode.USAGE, "--count must be at least 1");
        if (count != null && pings.isEmpty()) throw new UserError(ExitCode.USAGE, "--count needs --ping ADDR");
        if (size < InnerStack.MIN_DATA_BYTES || size > InnerStack.MAX_DATA_BYTES) {
            throw new UserError(ExitCode.USAGE, "--size must be " + InnerStack.MIN_DATA_BYTES + "-" + InnerStack.MAX_DATA_BYTES
                    + " (the first 8 data bytes carry the send time)");
        }
        if (!(timeout >= 0)) throw new UserError(ExitCode.USAGE, "--timeout must not be negative");
    }

    static InetAddress pingTarget(String text, PeerSetup.Setup setup) {
        InetAddress a;
        try {
            a = PeerSetup.numeric(text.strip());
        } catch (IllegalArgumentException e) {
            throw new UserError(ExitCode.USAGE, "--ping " + text + ": not an IPv4 or IPv6 address (a tunnel address, as in AllowedIPs)");
        }
        if (new InnerStack(setup.addresses()).sourceFor(a).isEmpty()) {
            throw new UserError(ExitCode.USAGE, "--ping " + text + ": the config has no " + (a.getAddress().length == 4 ? "IPv4" : "IPv6")
                    + " Address to ping from");
        }
        if (PeerSetup.routeOf(setup.spec(), a) == null) {
            throw new UserError(ExitCode.USAGE, "--ping " + text + ": no [Peer]'s AllowedIPs contain it");
        }
        return a;
    }
}
