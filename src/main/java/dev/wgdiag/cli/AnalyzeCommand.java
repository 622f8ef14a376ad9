package dev.wgdiag.cli;

import dev.wgdiag.analysis.CaptureAnalysis;
import dev.wgdiag.config.ConfigException;
import dev.wgdiag.config.WgConfig;
import dev.wgdiag.crypto.Keylog;
import dev.wgdiag.crypto.KeylogException;
import dev.wgdiag.keys.Identification;
import dev.wgdiag.keys.KeyRing;
import dev.wgdiag.keys.NoConnect;
import dev.wgdiag.keys.NoConnectFinding;
import dev.wgdiag.keys.PeerIdentifier;
import dev.wgdiag.pcap.CaptureException;
import dev.wgdiag.pcap.IcmpError;
import dev.wgdiag.pcap.IcmpHandler;
import dev.wgdiag.pcap.SecretsHandler;
import dev.wgdiag.wire.Datagram;
import dev.wgdiag.wire.WgMessage;
import dev.wgdiag.wire.WgMessageHandler;
import dev.wgdiag.pcap.CaptureReader;
import dev.wgdiag.pcap.CaptureStats;
import dev.wgdiag.advice.Line;
import dev.wgdiag.advice.Traffic;
import dev.wgdiag.net.MapRule;
import dev.wgdiag.net.PortSet;
import dev.wgdiag.advice.TrafficTap;
import dev.wgdiag.report.HtmlReport;
import dev.wgdiag.report.JsonReport;
import dev.wgdiag.report.Report;
import dev.wgdiag.report.MessageListWriter;
import dev.wgdiag.report.PeersText;
import dev.wgdiag.report.TextReport;
import dev.wgdiag.timeline.Analysis;
import dev.wgdiag.timeline.AnalyzerOptions;
import dev.wgdiag.wire.WireGuardDecoder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.LongConsumer;
import java.util.concurrent.Callable;

/** {@code wgdiag analyze FILE [FILE2]}: decode a capture and explain the tunnel. */
@Command(name = "analyze", mixinStandardHelpOptions = true,
        description = {"Decode the WireGuard messages in a capture (pcap, pcapng, gzip, or - for stdin) and analyse them.",
                "Two captures of one tunnel (e.g. server side and client side) are joined."},
        footerHeading = "%nExamples:%n",
        // Examples: a command line, then its explanation indented; the man page's EXAMPLES come from here
        // and the README's examples must be among them (ReadmeExamplesTest).
        footer = {
                "  wgdiag analyze trace.pcap",
                "      The analysis: tunnels, handshakes, swaps, NAT timeout, loss.",
                "  wgdiag analyze trace.pcap --format json",
                "      The same as JSON (schema: docs/analysis-json.md).",
                "  wgdiag analyze server.pcap phone.pcap",
                "      Two captures of one tunnel joined: NAT translation, delay, fates.",
                "  wgdiag analyze trace.pcap --list",
                "      One line per WireGuard message.",
                "  wgdiag analyze trace.pcap --list --format json",
                "      JSON Lines, one object per message.",
                "  wgdiag analyze server.pcap --peer 203.0.113.7:40123",
                "      Only the tunnels of one peer (name, public key, endpoint or address).",
                "  wgdiag analyze trace.pcap --port 51820",
                "      Only UDP to or from port 51820.",
                "  wgdiag analyze trace.pcap -o report.json --format json",
                "      The file appears whole or not at all.",
                "  tcpdump -i any -w - udp | wgdiag analyze - --list",
                "      From standard input.",
                "  wgdiag analyze server.pcap client.pcap --html report.html",
                "      Verdict, recommendations and charts as one HTML page.",
                "  wgdiag analyze server.pcap --format json",
                "      The report as JSON: tunnels[].recommendations, verdict.",
                "  wgdiag analyze trace.pcap --config /etc/wireguard/wg0.conf --config phone.conf",
                "      Peers named by the configs; each handshake's sender proven by its mac1.",
                "  wgdiag analyze trace.pcap --config wg0.conf --keylog wg.keys --decrypt",
                "      Transport data opened with the session keys: inner protocols, ping times.",
                "  wgdiag analyze trace.pcap --config wg0.conf --port-set 4096-4111,8192-8207",
                "      A port-restricted line (MAP-E, port-block CGNAT): ListenPort advice inside the set.",
                "  wgdiag analyze trace.pcap --map-prefix 2001:db8:12:3400::/56 \\",
                "      --map-rule ipv6=2001:db8::/40,ipv4=192.0.2.0/24,ea-bits=16",
                "      The same with the port set computed from the line's MAP rule (RFC 7597).",
                "  wgdiag analyze phone.pcapng --config wg0.conf --config phone.conf",
                "      A tunnel that does not connect: the cause and the config line to fix.",
                "  wgdiag analyze phone.pcapng --decrypt --config wg0.conf --config phone.conf",
                "      Connected but nothing works: the inner packets say why (keys from",
                "      wgdiag peer -w or --keylog)."})
final class AnalyzeCommand implements Callable<Integer> {
    enum Format { text, json }

    @Spec
    CommandSpec spec;

    // Paths so that shell completion offers files; used as the names given (- is standard input).
    @Parameters(arity = "1..2", paramLabel = "FILE", description = "Capture file(s); - reads standard input.")
    List<Path> paths;

    private List<String> files;

    @Option(names = "--list", description = "One line per WireGuard message instead of the analysis.")
    boolean list;

    @Option(names = "--format", defaultValue = "text", description = "text or json (with --list: JSON Lines).")
    Format format;

    @Option(names = "--port", paramLabel = "N", description = "Decode only UDP to or from this port (default: any port).")
    Integer port;

    @Option(names = "--config", paramLabel = "FILE", description = {"A wg-quick / wg(8) config (repeatable): names peers",
            "(a comment in or above [Peer], PiVPN/wg-easy/wireguard-install/wireguard-ui markers; the file for",
            "[Interface]) and proves who sent each handshake."})
    List<Path> configs = new ArrayList<>();

    @Option(names = "--keylog", paramLabel = "FILE", description = "A Wireshark WireGuard keylog (repeatable): session keys.")
    List<Path> keylogs = new ArrayList<>();

    @Option(names = "--decrypt", description = {"Open transport data with the session keys (from --keylog or the capture's",
            "Decryption Secrets Blocks) to count inner protocols and time pings. Payload bytes are never printed."})
    boolean decrypt;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write the output to FILE (whole or not at all).")
    Path output;

    @Option(names = "--html", paramLabel = "FILE", description = "Also write the report as one self-contained HTML page (verdict, recommendations, charts) to FILE.")
    Path html;

    @Option(names = "--port-set", paramLabel = "PORTS", description = {"The UDP ports your line may use (port-block CGNAT, MAP-E),",
            "e.g. 4096-4111,8192-8207: ListenPort advice picks one inside and flags configured ones outside."})
    String portSet;

    @Option(names = "--map-rule", paramLabel = "RULE", description = {"The line's MAP-E/MAP-T Basic Mapping Rule (RFC 7597), e.g.",
            "ipv6=2001:db8::/40,ipv4=192.0.2.0/24,ea-bits=16,psid-offset=6; with --map-prefix gives the port set."})
    String mapRule;

    @Option(names = "--map-prefix", paramLabel = "PREFIX", description = "The IPv6 prefix delegated to your line, e.g. 2001:db8:12:3400::/56.")
    String mapPrefix;

    @Option(names = "--peer", paramLabel = "NAME|KEY|ENDPOINT", description = {"Only the tunnels of one peer: its id in the report",
            "(peer3), its name or public key (with --config), an endpoint (address:port) or its address."})
    String peer;

    @Option(names = "--progress", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Show a progress bar on standard error when it is a terminal (default: on).")
    boolean progress;

    @Override
    public Integer call() throws CaptureException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        files = paths.stream().map(Path::toString).toList();
        if (port != null && (port < 0 || port > 65535)) {
            throw new UserError(ExitCode.USAGE, "--port must be 0-65535, got " + port);
        }
        if (list) {
            return listMessages(out, err);
        }
        return summarize(out, err);
    }

    private int listMessages(PrintWriter out, PrintWriter err) throws CaptureException {
        try (Output o = Output.of(output, out)) {
            MessageListWriter writer = new MessageListWriter(o.writer(),
                    format == Format.json ? MessageListWriter.Format.JSON : MessageListWriter.Format.TEXT);
            WireGuardDecoder decoder = new WireGuardDecoder(writer, port == null ? -1 : port);
            for (String f : files) {
                CaptureStats stats = CaptureReader.read(f, decoder, null);
                warn(err, stats);
            }
            writer.finish();
            o.commit();
        }
        return ExitCode.OK;
    }

    private int summarize(PrintWriter out, PrintWriter err) throws CaptureException {
        AnalyzerOptions.Builder options = AnalyzerOptions.builder();
        if (port != null) options.port(port);
        PortSet lineSet = null;
        String lineFrom = null;
        if (portSet != null && mapRule != null) throw new UserError(ExitCode.USAGE, "--port-set and --map-rule both give the port set: use one");
        if ((mapRule == null) != (mapPrefix == null)) throw new UserError(ExitCode.USAGE, "--map-rule and --map-prefix go together");
        try {
            if (portSet != null) {
                lineSet = PortSet.parse(portSet);
                lineFrom = "--port-set " + portSet;
            } else if (mapRule != null) {
                MapRule.Assignment as = MapRule.parse(mapRule).assign(mapPrefix);
                lineSet = as.ports();
                lineFrom = "MAP rule for " + mapPrefix + ": " + as.ipv4() + String.format(Locale.ROOT, ", PSID 0x%x of %d bits", as.psid(), as.psidLength());
            }
        } catch (IllegalArgumentException e) {
            throw new UserError(ExitCode.USAGE, (portSet != null ? "--port-set" : "--map-rule/--map-prefix") + ": " + e.getMessage());
        }
        // One read of each capture: the keys' identification rides along with the analysis and the
        // report's traffic counts, and names the analysis' peers when it finishes.
        KeyRing ring = !configs.isEmpty() || !keylogs.isEmpty() || decrypt ? keyRing(err) : KeyRing.EMPTY;
        PeerIdentifier identifier = !configs.isEmpty() || !keylogs.isEmpty() || decrypt ? new PeerIdentifier(ring, decrypt) : null;
        if (identifier != null) options.names(identifier::nameOf);
        List<NoConnect> noConnects = new ArrayList<>();
        List<TrafficTap> taps = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) taps.add(new TrafficTap());
        List<boolean[]> keysSeen = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) keysSeen.add(new boolean[1]);
        ProgressBar bar = progress && System.console() != null ? new ProgressBar(err, files) : null;
        Analysis analysis;
        try {
            analysis = CaptureAnalysis.analyze(files, options.build(), stats -> {
                if (bar != null) bar.next();
                warn(err, stats);
            }, bar, i -> {
                // causes are judged per capture: a join of two captures shows each message twice
                NoConnect nc = new NoConnect(ring, files.get(i));
                noConnects.add(nc);
                if (identifier != null) {
                    identifier.startCapture(files.get(i));
                    identifier.reportingTo(nc);
                }
                return new ReadTap(taps.get(i), identifier, nc, keysSeen.get(i));
            });
        } finally {
            if (bar != null) bar.clear();
        }
        Identification identification = identifier == null ? null : identifier.result();
        if (identifier != null) identifier.warnings().forEach(w -> err.println("wgdiag: warning: " + w));
        List<Traffic> traffic = new ArrayList<>();
        for (TrafficTap t : taps) traffic.add(t.result());
        if (!decrypt) {
            for (int i = 0; i < taps.size(); i++) {
                if (keysSeen.get(i)[0]) {
                    err.println("wgdiag: note: " + files.get(i) + " carries WireGuard keys (Decryption Secrets Blocks): --decrypt"
                            + " opens the inner packets and says why nothing works through a tunnel that connects");
                }
            }
        }
        Line line = new Line(lineSet, lineFrom, configuredPorts);
        List<NoConnectFinding> causes = new ArrayList<>();
        boolean lost = false;
        if (noConnects.size() == 2) {
            causes.addAll(NoConnect.lostAnswers(noConnects.get(0), noConnects.get(1)));
            causes.addAll(NoConnect.lostAnswers(noConnects.get(1), noConnects.get(0)));
            lost = !causes.isEmpty();
            causes.addAll(NoConnect.lostInitiations(noConnects.get(0), noConnects.get(1)));
            causes.addAll(NoConnect.lostInitiations(noConnects.get(1), noConnects.get(0)));
        }
        boolean joined = !causes.isEmpty();
        for (NoConnect nc : noConnects) {
            for (NoConnectFinding f : nc.result()) {
                // from the answering side, lost answers look like a PresharedKey mismatch: the join tells them apart
                if (lost && f.cause() == dev.wgdiag.keys.NoConnectCause.PRESHARED_KEY_MISMATCH) continue;
                // one capture's "never answered" is settled by the other capture
                if (joined && f.cause() == dev.wgdiag.keys.NoConnectCause.NOT_ANSWERED) continue;
                if (causes.stream().noneMatch(c -> c.cause() == f.cause())) causes.add(f);
            }
        }
        causes.sort((x, y) -> x.cause().compareTo(y.cause()));
        if (peer != null) {
            Analysis narrowed = dev.wgdiag.report.PeerFilter.narrow(analysis, identification, peer);
            if (narrowed == null) throw new UserError(ExitCode.USAGE, "--peer " + peer + ": no tunnel of such a peer in " + String.join(", ", files));
            analysis = narrowed;
        }
        Report report = Report.of(analysis, traffic, line).withIdentification(identification).withNoConnect(causes);
        if (html != null) {
            try (Output o = Output.file(html)) {
                HtmlReport.write(report, o.writer());
                o.commit();
            }
        }
        try (Output o = Output.of(output, out)) {
            if (format == Format.json) {
                JsonReport.write(report, o.writer());
            } else {
                PrintWriter pw = new PrintWriter(o.writer());
                TextReport.write(report, pw);
                if (identification != null) PeersText.write(identification, pw);
                pw.flush();
            }
            o.commit();
        }
        return ExitCode.OK;
    }

    /**
     * A bar on standard error, {@code [#####     ]  45% 120/266 MB}, redrawn with a carriage return at
     * most 10 times a second and cleared at the end; bytes only when the size is unknown (stdin, gzip:
     * the reader counts decompressed bytes). Used only when the console is a terminal.
     */
    static final class ProgressBar implements LongConsumer {
        private static final int WIDTH = 24;
        private static final long REDRAW_NANOS = 100_000_000L;
        private final PrintWriter err;
        private final List<String> files;
        private int index;
        private long total;
        private long lastDraw;
        private int drawnLength;

        ProgressBar(PrintWriter err, List<String> files) {
            this.err = err;
            this.files = files;
            this.total = sizeOf(0);
        }

        private long sizeOf(int i) {
            if (i >= files.size()) return -1;
            String f = files.get(i);
            if (f.equals("-") || f.endsWith(".gz")) return -1;
            try {
                Path p = Path.of(f);
                return Files.isRegularFile(p) ? Files.size(p) : -1;
            } catch (IOException | RuntimeException e) {
                return -1;
            }
        }

        /** The current capture's read ended: the next one starts. */
        void next() {
            index++;
            total = sizeOf(index);
            lastDraw = 0;
        }

        @Override
        public void accept(long bytes) {
            long now = System.nanoTime();
            if (lastDraw != 0 && now - lastDraw < REDRAW_NANOS) return;
            lastDraw = now;
            draw(line(bytes, total, files.size() > 1 ? (index + 1) + "/" + files.size() + " " : ""));
        }

        static String line(long bytes, long total, String prefix) {
            if (total <= 0) return prefix + "read " + mb(bytes) + " MB";
            double f = Math.min(1.0, (double) bytes / total);
            int filled = (int) Math.round(f * WIDTH);
            return prefix + "[" + "#".repeat(filled) + " ".repeat(WIDTH - filled) + "] "
                    + String.format(Locale.ROOT, "%3d%% %s/%s MB", Math.round(f * 100), mb(bytes), mb(total));
        }

        private static String mb(long b) {
            return b >= 10_000_000 ? Long.toString(b / 1_000_000) : String.format(Locale.ROOT, "%.1f", b / 1e6);
        }

        private void draw(String s) {
            String pad = s.length() < drawnLength ? " ".repeat(drawnLength - s.length()) : "";
            err.print("\r" + s + pad);
            err.flush();
            drawnLength = s.length();
        }

        void clear() {
            if (drawnLength > 0) {
                err.print("\r" + " ".repeat(drawnLength) + "\r");
                err.flush();
                drawnLength = 0;
            }
        }
    }

    /** Hands each message to the report's traffic counts and to the keys' identification, ICMP and secrets to their owner. */
    private record ReadTap(TrafficTap traffic, PeerIdentifier identifier, NoConnect noConnect, boolean[] keysSeen)
            implements WgMessageHandler, IcmpHandler, SecretsHandler {
        @Override
        public void onMessage(Datagram d, WgMessage m) {
            traffic.onMessage(d, m);
            noConnect.onMessage(d, m);
            if (identifier != null) identifier.onMessage(d, m);
        }

        @Override
        public void onIcmpError(IcmpError error) {
            traffic.onIcmpError(error);
            noConnect.onIcmpError(error);
        }

        @Override
        public void onSecrets(int secretsType, byte[] data) {
            if (secretsType == WIREGUARD_KEY_LOG) keysSeen[0] = true;
            if (identifier != null) identifier.onSecrets(secretsType, data);
        }
    }

    /** The configs' [Interface] ListenPorts, by the peer name the keys give their interface (the file's stem). */
    private final List<Line.ConfiguredPort> configuredPorts = new ArrayList<>();

    private KeyRing keyRing(PrintWriter err) {
        KeyRing.Builder ring = KeyRing.builder();
        for (Path c : configs) {
            try {
                WgConfig config = WgConfig.parse(c);
                if (config.iface().listenPort().isPresent()) {
                    String file = c.getFileName().toString();
                    int dot = file.lastIndexOf('.');
                    configuredPorts.add(new Line.ConfiguredPort(dot > 0 ? file.substring(0, dot) : file,
                            config.iface().listenPort().getAsInt(), config.name() + " [Interface]"));
                }
                config.warnings().forEach(w -> err.println("wgdiag: " + (w.startsWith("Warning") ? w : "warning: " + w)));
                PeerNameNotes.of(config).forEach(n -> err.println("wgdiag: note: " + n));
                ring.addConfig(config);
            } catch (ConfigException e) {
                throw new UserError(ExitCode.BAD_INPUT, e.getMessage());
            }
        }
        for (Path k : keylogs) {
            try {
                ring.addKeylog(Keylog.parse(k), k.toString());
            } catch (KeylogException e) {
                throw new UserError(ExitCode.BAD_INPUT, e.getMessage());
            }
        }
        return ring.build();
    }

    static void warn(PrintWriter err, CaptureStats stats) {
        for (String w : stats.warnings()) {
            err.println("wgdiag: warning: " + w);
        }
    }
}
