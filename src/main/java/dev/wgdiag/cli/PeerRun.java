package dev.wgdiag.cli;

import dev.wgdiag.advice.TrafficTap;
import dev.wgdiag.capture.LivePipeline;
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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One run of {@code wgdiag peer} for {@link PeerCommand}: the socket, the files, the live analysis (the
 * same pipeline as {@code capture}), the driver's loop until a stop, then the summary and the report.
 * Also the driver's listener: datagrams become frames, events and pings become lines.
 */
final class PeerRun implements UdpDriver.Listener {
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
    /** The inner stack, used on the driver's thread only. */
    private InnerStack inner;
    private long lastSendFailureNote = Long.MIN_VALUE;
    private long sendFailuresUnsaid;
    private PeerIdleProbe idleProbe;

    private final Path config;
    private final Path write;
    private final Path keylog;
    private final Path html;
    private final Path commands;
    private final PeerCommand.Format format;
    private final boolean noStatus;
    private final Long count;
    private final double interval;
    private final double timeout;
    private final int size;
    private final Long durationNanos;
    private final PrintWriter out;
    private final PrintWriter err;
    private final String idleProbeText;

    PeerRun(PeerCommand c, WgConfig wg, PeerSetup.Setup setup, List<InetAddress> targets) {
        this.config = c.config;
        this.write = c.write;
        this.keylog = c.keylog;
        this.html = c.html;
        this.commands = c.commands;
        this.format = c.format;
        this.noStatus = c.noStatus;
        this.count = c.count;
        this.interval = c.interval;
        this.timeout = c.timeout;
        this.size = c.size;
        this.durationNanos = c.durationNanos;
        this.out = c.out;
        this.err = c.err;
        this.idleProbeText = c.idleProbe;
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
        this.inner = inner;
        PrintWriter lines = format == PeerCommand.Format.json ? err : out;
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
        if (idleProbeText != null) {
            idleProbe = PeerIdleProbe.of(idleProbeText, setup, l -> term.line(l));
            idleProbe.attach(core, driver);
        }
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
        if (format == PeerCommand.Format.json) {
            JsonReport.write(report, out);
        } else {
            out.println();
            TextReport.write(report, out);
            if (report.identification() != null) PeersText.write(report.identification(), out);
        }
        out.flush();
        if (idleProbe != null) { // a live line's place: standard error with --format json (its output stays JSON)
            PrintWriter w = format == PeerCommand.Format.json ? err : out;
            w.println(idleProbe.summary());
            w.flush();
        }
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
                if (w.length >= 2 && w[0].equals("dns")) {
                    dnsQueries(line, w);
                    continue;
                }
                if (w.length < 2 || !w[0].equals("ping")) continue;
                try {
                    InetAddress target = PeerCommand.pingTarget(w[1], setup);
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

    /** {@code dns ADDRESS [COUNT [EVERY]]}: DNS queries through the tunnel, one every EVERY seconds, on a thread of their own. */
    private void dnsQueries(String line, String[] w) {
        try {
            InetAddress resolver = PeerCommand.pingTarget(w[1], setup);
            int n = w.length > 2 ? Integer.parseInt(w[2]) : 3;
            long every = Math.round((w.length > 3 ? Double.parseDouble(w[3]) : 1) * 1000);
            int port = 49152 + random.nextInt(16384);
            Thread t = new Thread(() -> {
                try {
                    for (int i = 0; i < n; i++) {
                        int id = random.nextInt(0x10000);
                        driver.submit(() -> {
                            try {
                                driver.sendInner(inner.dnsQuery(resolver, port, id));
                            } catch (IOException | RuntimeException e) {
                                term.note("--commands: DNS query to " + resolver.getHostAddress() + ": " + e.getMessage());
                            }
                        });
                        Thread.sleep(every);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "wgdiag-peer-dns");
            t.setDaemon(true);
            t.start();
        } catch (RuntimeException e) {
            term.note("--commands: ignored '" + line + "': " + e.getMessage());
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
        if (idleProbe != null) idleProbe.onDatagram(now, remote);
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
        if (idleProbe != null && idleProbe.onPingReply(pinger, driver.now())) return;
        if (!reply.duplicate() && targets.contains(pinger.target())) pingsAnswered++;
        term.line(PeerLines.pingReply(reply));
    }

    @Override
    public void onPingFinished(Pinger pinger, Pinger.Statistics statistics) {
        if (idleProbe != null && idleProbe.onPingFinished(pinger, statistics)) return;
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
        if (idleProbe != null) idleProbe.onTick(now);
    }
}
