package dev.wgdiag.cli;

import dev.wgdiag.advice.TrafficTap;
import dev.wgdiag.capture.LiveEvents;
import dev.wgdiag.capture.LivePipeline;
import dev.wgdiag.config.ConfigException;
import dev.wgdiag.config.WgConfig;
import dev.wgdiag.crypto.PublicKey;
import dev.wgdiag.keys.KeyRing;
import dev.wgdiag.keys.PeerIdentifier;
import dev.wgdiag.peer.InnerStack;
import dev.wgdiag.peer.PeerEvent;
import dev.wgdiag.peer.PeerSpec;
import dev.wgdiag.peer.Pinger;
import dev.wgdiag.peer.SessionSecrets;
import dev.wgdiag.peer.WgInterface;
import dev.wgdiag.peer.net.KeylogFile;
import dev.wgdiag.peer.net.OwnTraffic;
import dev.wgdiag.peer.net.PeerCaptureFile;
import dev.wgdiag.peer.net.SyntheticFrames;
import dev.wgdiag.peer.net.UdpDriver;
import dev.wgdiag.report.HtmlReport;
import dev.wgdiag.report.JsonReport;
import dev.wgdiag.report.PeersText;
import dev.wgdiag.report.Report;
import dev.wgdiag.report.TextReport;
import dev.wgdiag.timeline.Analyzer;
import dev.wgdiag.timeline.AnalyzerOptions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code wgdiag peer CONFIG}: a userspace WireGuard peer from a wg-quick config, on one plain UDP
 * socket (no root, no TUN, no native library). It answers pings on its Address, pings with
 * {@code --ping}, prints live events in {@code wgdiag capture}'s words plus what only a peer knows,
 * and ends with the report {@code wgdiag analyze} gives of its own traffic.
 */
@Command(name = "peer", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run a userspace WireGuard peer from a wg-quick config: plain UDP, no root, no TUN device.",
                "Answers pings on its Address, pings with --ping, tells live what happens, and ends with the",
                "analysis of its own traffic. Stop with Ctrl-C, --duration, or the end of --ping."})
public final class PeerCommand implements Callable<Integer> {
    enum Format { text, json }

    /** Output streams; set by Main (or a test) — else picocli's. */
    public PrintWriter out;
    public PrintWriter err;

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

    @Option(names = "--no-status", description = "No status line, even on a terminal.")
    boolean noStatus;

    /** For scripted runs (the lab): lines "ping ADDR [COUNT [INTERVAL [SIZE]]]" read from FILE (a FIFO) as they come. */
    @Option(names = "--commands", paramLabel = "FILE", hidden = true)
    Path commands;

    public PeerCommand() {
    }

    public PeerCommand(PrintWriter out, PrintWriter err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() throws Exception {
        if (out == null) out = spec.commandLine().getOut();
        if (err == null) err = spec.commandLine().getErr();
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
        List<InetAddress> targets = new ArrayList<>();
        for (String p : pings) targets.add(pingTarget(p, setup));
        err.flush();
        return new Run(wg, setup, targets).go();
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

    private static InetAddress pingTarget(String text, PeerSetup.Setup setup) {
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

    /** One run of the peer: files, analysis, driver, then the summary and report. */
    private final class Run implements UdpDriver.Listener {
        private final WgConfig wg;
        private final PeerSetup.Setup setup;
        private final List<InetAddress> targets;
        private final Map<PublicKey, String> names = new HashMap<>();
        private final Map<PublicKey, InetSocketAddress> endpoints = new HashMap<>();
        private final SecureRandom random = new SecureRandom();
        private CaptureCommand.Terminal term;
        private PeerCaptureFile file;
        private KeylogFile keys;
        private OwnTraffic traffic;
        private UdpDriver driver;
        /** Released when the report is out: a Ctrl-C / SIGTERM hook waits for it before the JVM ends. */
        private final CountDownLatch done = new CountDownLatch(1);
        private long pingsAnswered;
        private long lastSendFailureNote = Long.MIN_VALUE;
        private long sendFailuresUnsaid;

        Run(WgConfig wg, PeerSetup.Setup setup, List<InetAddress> targets) {
            this.wg = wg;
            this.setup = setup;
            this.targets = targets;
            for (PeerSpec p : setup.spec().peers()) {
                names.put(p.publicKey(), p.name());
                if (p.endpoint() != null) endpoints.put(p.publicKey(), p.endpoint());
            }
        }

        int go() throws IOException {
            WgInterface core = new WgInterface(setup.spec(), random);
            InnerStack inner = new InnerStack(setup.addresses());
            PrintWriter lines = format == Format.json ? err : out;
            term = new CaptureCommand.Terminal(lines, err, !noStatus && System.console() != null);

            KeyRing ring = KeyRing.builder().addConfig(wg).build();
            PeerIdentifier identifier = new PeerIdentifier(ring, false);
            String captureName = write != null ? write.toString() : "wgdiag peer " + config;
            identifier.startCapture(captureName);
            Analyzer analyzer = new Analyzer(AnalyzerOptions.builder().listener(e -> term.event(e)).names(identifier::nameOf).build())
                    .captureName(captureName);
            TrafficTap tap = new TrafficTap();
            LivePipeline pipeline = new LivePipeline(SyntheticFrames.LINKTYPE_RAW, 9, null, -1, (d, m) -> {
                analyzer.onMessage(d, m);
                tap.onMessage(d, m);
                identifier.onMessage(d, m);
            });
            // The socket first: a refused port leaves no key file behind.
            driver = open(core, inner);
            try {
                openFiles();
            } catch (RuntimeException e) {
                driver.close();
                throw e;
            }
            traffic = new OwnTraffic(file, pipeline);
            try (UdpDriver d = driver) {
                return report(runDriver(), analyzer, tap, identifier, inner);
            } finally {
                done.countDown();
            }
        }

        private int report(int runCode, Analyzer analyzer, TrafficTap tap, PeerIdentifier identifier, InnerStack inner) {
            int code = runCode;
            Report report = Report.of(analyzer.finish(), List.of(tap.result())).withIdentification(identifier.result());
            err.printf(Locale.ROOT, "wgdiag: %d datagrams sent, %d received; %d echo requests answered%s%n", driver.sent(), driver.received(),
                    inner.answered(), inner.drops().isEmpty() ? "" : "; inner packets dropped: " + PeerLines.drops(inner.drops()));
            if (file != null) {
                err.println("wgdiag: wrote " + file.packets() + " packets and " + file.secretsBlocks()
                        + " Decryption Secrets Blocks to " + file.path() + " (it holds keys: keep it private)");
            }
            if (keys != null) err.println("wgdiag: wrote the session keys to " + keys.path());
            err.flush();
            if (html != null) {
                try (Output o = Output.file(html)) {
                    HtmlReport.write(report, o.writer());
                    o.commit();
                }
            }
            if (format == Format.json) {
                JsonReport.write(report, out);
            } else {
                out.println();
                TextReport.write(report, out);
                if (report.identification() != null) PeersText.write(report.identification(), out);
            }
            out.flush();
            if (code == ExitCode.OK && !targets.isEmpty() && pingsAnswered == 0) code = ExitCode.NO_REPLY;
            return code;
        }

        private void openFiles() {
            if (write != null) {
                List<String> statics = new ArrayList<>();
                statics.add("LOCAL_STATIC_PRIVATE_KEY = " + setup.spec().privateKey().toBase64());
                for (PeerSpec p : setup.spec().peers()) statics.add("REMOTE_STATIC_PUBLIC_KEY = " + p.publicKey().toBase64());
                try {
                    file = PeerCaptureFile.create(write, statics);
                } catch (IOException e) {
                    throw new UserError(ExitCode.OUTPUT_FAILED, write + ": cannot write: " + Output.reason(e));
                }
            }
            if (keylog != null) {
                try {
                    keys = KeylogFile.create(keylog);
                } catch (IOException e) {
                    closeFiles();
                    throw new UserError(ExitCode.OUTPUT_FAILED, keylog + ": cannot write: " + Output.reason(e));
                }
            }
        }

        private void closeFiles() {
            for (java.io.Closeable c : new java.io.Closeable[] {file, keys}) {
                if (c == null) continue;
                try {
                    c.close();
                } catch (IOException ignored) {
                    // reported by the run that failed, if any
                }
            }
        }

        private UdpDriver open(WgInterface core, InnerStack inner) throws IOException {
            int port = setup.listenPort();
            try {
                return UdpDriver.open(core, inner, port, this, write != null || keylog != null);
            } catch (SocketException e) {
                // Java reports both EADDRINUSE and EACCES on bind as a BindException: tell them by the message.
                String why = e.getMessage() == null ? "" : e.getMessage();
                String lower = why.toLowerCase(Locale.ROOT);
                if (lower.contains("permission") || lower.contains("access")) {
                    throw new UserError(ExitCode.ENVIRONMENT, "binding UDP port " + port + " was refused (" + why
                            + "): ports below 1024 need root or CAP_NET_BIND_SERVICE");
                }
                if (e instanceof BindException || lower.contains("in use")) {
                    throw new UserError(ExitCode.ENVIRONMENT, "UDP port " + port + " (ListenPort of " + config
                            + ") is in use: stop the other WireGuard interface or peer, or change ListenPort");
                }
                throw new UserError(ExitCode.ENVIRONMENT, "cannot open UDP port " + port + ": " + why);
            }
        }

        private int runDriver() {
            Thread hook = new Thread(() -> {
                driver.stop();
                try {
                    done.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException ignored) {
                    // exit now
                }
            }, "wgdiag-peer-stop");
            Runtime.getRuntime().addShutdownHook(hook);
            Thread status = term.startStatus(() -> PeerLines.status(driver.status()));
            term.note("peer " + config + " on UDP " + PeerLines.endpoint(driver.bound()) + " as "
                    + setup.spec().privateKey().publicKey().shortForm() + ", " + setup.spec().peers().size() + " peer"
                    + (setup.spec().peers().size() == 1 ? "" : "s") + "; Ctrl-C stops");
            for (InetAddress t : targets) {
                Pinger p = new Pinger(t, random.nextInt(0x10000), count == null ? 0 : count, nanos(interval), nanos(timeout), size);
                term.line(PeerLines.pingHeader(p));
                driver.addPing(p, true);
            }
            Thread reader = commands == null ? null : startCommandReader();
            int code = ExitCode.OK;
            try {
                driver.run(durationNanos == null ? Long.MAX_VALUE : driver.now() + durationNanos);
            } catch (IOException e) {
                String where = file != null ? file.path().toString() : "peer";
                term.note(where + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + "; peer stopped");
                code = ExitCode.OUTPUT_FAILED;
            } finally {
                if (status != null) status.interrupt();
                if (reader != null) reader.interrupt();
                term.clearStatus();
                try {
                    if (file != null) file.close();
                    if (keys != null) keys.close();
                } catch (IOException e) {
                    term.note("cannot finish the output files: " + e.getMessage());
                    code = ExitCode.OUTPUT_FAILED;
                }
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException ignored) {
                    // shutting down: the hook runs and waits for done
                }
            }
            return code;
        }

        /** The lab's scripted pings: each line starts a ping that does not end the run. */
        private Thread startCommandReader() {
            Thread t = new Thread(() -> {
                // A FIFO is opened again after each writer leaves; a regular file is read once.
                do {
                    readCommands();
                } while (!Files.isRegularFile(commands) && Files.exists(commands) && !Thread.currentThread().isInterrupted());
            }, "wgdiag-peer-commands");
            t.setDaemon(true);
            t.start();
            return t;
        }

        private void readCommands() {
            try (BufferedReader r = Files.newBufferedReader(commands, StandardCharsets.UTF_8)) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    String[] w = line.strip().split("\\s+");
                    if (w.length < 2 || !w[0].equals("ping")) continue;
                    try {
                        InetAddress target = pingTarget(w[1], setup);
                        long n = w.length > 2 ? Long.parseLong(w[2]) : 3;
                        double every = w.length > 3 ? Double.parseDouble(w[3]) : 1;
                        int bytes = w.length > 4 ? Integer.parseInt(w[4]) : InnerStack.DEFAULT_DATA_BYTES;
                        Pinger p = new Pinger(target, random.nextInt(0x10000), n, nanos(every), nanos(timeout), bytes);
                        driver.submit(() -> {
                            term.line(PeerLines.pingHeader(p));
                            driver.addPing(p, false);
                        });
                    } catch (RuntimeException e) {
                        term.note("--commands: ignored '" + line + "': " + e.getMessage());
                    }
                }
            } catch (IOException e) {
                term.note("--commands " + commands + ": " + Output.reason(e));
            }
        }

        private static long nanos(double seconds) {
            return Math.round(seconds * 1e9);
        }

        // ---------------------------------------------------------------- the driver's listener

        @Override
        public void onDatagram(long now, InetSocketAddress local, InetSocketAddress remote, byte[] data, int off, int len,
                               boolean sent) throws IOException {
            traffic.datagram(now, local, remote, data, off, len, sent);
        }

        @Override
        public void onEvent(PeerEvent event) {
            InetSocketAddress previous = event.peer() == null ? null : endpoints.get(event.peer());
            if (event.kind() == PeerEvent.Kind.ENDPOINT_CHANGED && event.peer() != null) endpoints.put(event.peer(), event.endpoint());
            String line = PeerLines.event(event, names, previous);
            if (line != null) term.line(line);
        }

        @Override
        public void onSessionSecrets(SessionSecrets s) throws IOException {
            List<String> lines = s.keylogLines();
            if (file != null) file.session(lines, s.initiator());
            if (keys != null) keys.session(lines);
        }

        @Override
        public void onPingReply(Pinger pinger, Pinger.Reply reply) {
            if (!reply.duplicate() && targets.contains(pinger.target())) pingsAnswered++;
            term.line(PeerLines.pingReply(reply));
        }

        @Override
        public void onPingFinished(Pinger pinger, Pinger.Statistics statistics) {
            for (String l : PeerLines.pingStatistics(statistics)) term.line(l);
        }

        @Override
        public void onSendFailed(InetSocketAddress to, String reason, long now) {
            if (now - lastSendFailureNote < 1_000_000_000L) {
                sendFailuresUnsaid++;
                return;
            }
            term.note("cannot send to " + PeerLines.endpoint(to) + ": " + reason
                    + (sendFailuresUnsaid > 0 ? " (" + sendFailuresUnsaid + " more failures)" : ""));
            lastSendFailureNote = now;
            sendFailuresUnsaid = 0;
        }

        @Override
        public void onTick(long now) throws IOException {
            if (file != null) file.tick(now);
        }
    }
}
