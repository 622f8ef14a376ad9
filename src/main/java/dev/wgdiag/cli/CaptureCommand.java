package dev.wgdiag.cli;

import dev.wgdiag.capture.CaptureSetupException;
import dev.wgdiag.capture.FileFormat;
import dev.wgdiag.capture.InterfaceInfo;
import dev.wgdiag.capture.LiveCapture;
import dev.wgdiag.report.EventLines;
import dev.wgdiag.capture.LiveOptions;
import dev.wgdiag.capture.LivePipeline;
import dev.wgdiag.capture.LiveStats;
import dev.wgdiag.capture.RotatingWriter;
import dev.wgdiag.advice.TrafficTap;
import dev.wgdiag.report.HtmlReport;
import dev.wgdiag.report.Report;
import dev.wgdiag.report.TextReport;
import dev.wgdiag.timeline.Analyzer;
import dev.wgdiag.timeline.AnalyzerOptions;
import dev.wgdiag.timeline.Event;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code wgdiag capture IFACE}: live capture with the analysis running on the stream. Events are
 * printed as they are inferred; on a terminal a status line shows packets, WireGuard messages and
 * libpcap's drops. Ctrl-C, SIGTERM or a limit end the capture cleanly: the file is flushed and
 * valid, and the same summary as {@code analyze} is printed.
 */
@Command(name = "capture", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Capture WireGuard traffic live (libpcap) and analyse it as it flows.",
                "Needs root, or CAP_NET_RAW and CAP_NET_ADMIN. Stop with Ctrl-C, or use --duration / --count."},
        footerHeading = "%nExamples:%n",
        // Examples: a command line, then its explanation indented; the man page's EXAMPLES come from here
        // and the README's examples must be among them (ReadmeExamplesTest).
        footer = {
                "  wgdiag capture --list",
                "      The interfaces.",
                "  sudo wgdiag capture eth0 -w trace.pcapng",
                "      UDP; events as they are inferred, the summary at Ctrl-C.",
                "  sudo wgdiag capture any --port 51820 -d 10m -w wg.pcap",
                "      Only the WireGuard port, for ten minutes.",
                "  sudo wgdiag capture wan0 -w ring.pcap -C 100M -W 10",
                "      A ring of ten 100 MB files.",
                "  sudo wgdiag capture eth0 --port 51820 -d 30m -w wg.pcapng --html report.html",
                "      Half an hour on a home server, then the report as one HTML page."})
public final class CaptureCommand implements Callable<Integer> {
    /** picocli's output streams (Main and tests set them on the command line), taken when the command runs. */
    private PrintWriter out;
    private PrintWriter err;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "IFACE", description = "Interface to capture on, or 'any' for all.")
    String iface;

    @Option(names = "--list", description = "List the interfaces libpcap can capture on, and exit.")
    boolean list;

    @Option(names = {"-p", "--port"}, paramLabel = "N", description = "WireGuard UDP port: capture and decode only this port.")
    Integer port;

    @Option(names = {"-f", "--filter"}, paramLabel = "EXPR",
            description = "BPF filter (tcpdump syntax) instead of the default, UDP and IP fragments; and-ed with --port.")
    String filter;

    @Option(names = {"-s", "--snaplen"}, paramLabel = "BYTES", defaultValue = "" + LiveOptions.DEFAULT_SNAPLEN,
            description = "Bytes kept per frame (default ${DEFAULT-VALUE}: every header and whole handshake messages, not the encrypted data).")
    int snaplen;

    @Option(names = {"-w", "--write"}, paramLabel = "FILE", description = "Write the frames to FILE (pcapng if it ends in .pcapng, else pcap).")
    Path write;

    @Option(names = "--format", paramLabel = "pcap|pcapng", description = "File format, overriding the file name's extension.")
    String format;

    @Option(names = {"-C", "--rotate-size"}, paramLabel = "SIZE", converter = SizeConverter.class,
            description = "Start a new file before this size (e.g. 10M, 500k; k=1000): FILE-00001.ext, FILE-00002.ext, ...")
    Long rotateSize;

    @Option(names = {"-W", "--rotate-count"}, paramLabel = "N", description = "With --rotate-size: keep only the newest N files (a ring).")
    Integer rotateCount;

    @Option(names = {"-d", "--duration"}, paramLabel = "TIME", converter = DurationConverter.class,
            description = "Stop after this long (e.g. 90, 90s, 5m, 1h30m).")
    Long durationNanos;

    @Option(names = {"-c", "--count"}, paramLabel = "N", description = "Stop after N captured frames.")
    Long count;

    @Option(names = "--html", paramLabel = "FILE", description = "Also write the report as HTML to FILE.")
    Path html;

    @Option(names = "--buffer-size", paramLabel = "SIZE", converter = SizeConverter.class,
            description = "libpcap's kernel buffer (default 8M); larger absorbs bursts.")
    Long bufferSize;

    @Option(names = "--promisc", description = "Put the interface in promiscuous mode.")
    boolean promisc;

    @Option(names = "--no-status", description = "No status line, even on a terminal.")
    boolean noStatus;

    @Override
    public Integer call() throws Exception {
        out = spec.commandLine().getOut();
        err = spec.commandLine().getErr();
        if (list) return listInterfaces();
        if (iface == null) throw new UserError(ExitCode.USAGE, "capture: name an interface (wgdiag capture --list shows them)");
        LiveOptions options = options();
        LiveCapture capture;
        try {
            capture = LiveCapture.open(options);
        } catch (CaptureSetupException e) {
            throw setupError(e);
        }
        try (capture) {
            return capture(capture, options);
        }
    }

    private LiveOptions options() {
        if (port != null && (port < 1 || port > 65535)) throw new UserError(ExitCode.USAGE, "--port must be 1-65535, got " + port);
        if (snaplen < 64 || snaplen > 262144) throw new UserError(ExitCode.USAGE, "--snaplen must be 64-262144, got " + snaplen);
        if (rotateCount != null && rotateSize == null) throw new UserError(ExitCode.USAGE, "--rotate-count needs --rotate-size");
        if (rotateCount != null && rotateCount < 1) throw new UserError(ExitCode.USAGE, "--rotate-count must be at least 1");
        if ((rotateSize != null || format != null) && write == null) {
            throw new UserError(ExitCode.USAGE, "--rotate-size and --format need -w FILE");
        }
        if (rotateSize != null && rotateSize < 4096) throw new UserError(ExitCode.USAGE, "--rotate-size must be at least 4k");
        if (count != null && count < 1) throw new UserError(ExitCode.USAGE, "--count must be at least 1");
        if (format != null && !format.equals("pcap") && !format.equals("pcapng")) {
            throw new UserError(ExitCode.USAGE, "--format must be pcap or pcapng, got '" + format + "'");
        }
        if (bufferSize != null && (bufferSize < 65536 || bufferSize > Integer.MAX_VALUE)) {
            throw new UserError(ExitCode.USAGE, "--buffer-size must be 64k to 2G");
        }
        return LiveOptions.builder(iface)
                .filter(LiveOptions.filterFor(port, filter))
                .snaplen(snaplen)
                .bufferBytes(bufferSize == null ? LiveOptions.DEFAULT_BUFFER_BYTES : bufferSize.intValue())
                .promiscuous(promisc)
                .packetLimit(count == null ? 0 : count)
                .durationNanos(durationNanos == null ? 0 : durationNanos)
                .build();
    }

    private int listInterfaces() {
        List<InterfaceInfo> all;
        try {
            all = LiveCapture.interfaces();
        } catch (CaptureSetupException e) {
            throw setupError(e);
        }
        for (InterfaceInfo i : all) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-18s %-4s", i.name(), i.up() ? "up" : "down"));
            if (!i.addresses().isEmpty()) line.append(' ').append(String.join(" ", i.addresses()));
            if (i.description() != null) line.append("  (").append(i.description()).append(')');
            out.println(line.toString().stripTrailing());
        }
        out.flush();
        return ExitCode.OK;
    }

    static UserError setupError(CaptureSetupException e) {
        int code = switch (e.kind()) {
            case BAD_FILTER, BAD_OPTION -> ExitCode.USAGE;
            default -> ExitCode.ENVIRONMENT;
        };
        return new UserError(code, e.getMessage(), e);
    }

    private int capture(LiveCapture capture, LiveOptions options) throws IOException {
        Terminal term = new Terminal(out, err, !noStatus && System.console() != null);
        AnalyzerOptions.Builder ao = AnalyzerOptions.builder().listener(term::event);
        if (port != null) ao.port(port);
        Analyzer analyzer = new Analyzer(ao.build()).captureName(write != null ? write.toString() : "live " + iface);
        RotatingWriter writer = null;
        if (write != null) {
            FileFormat f = format != null ? FileFormat.valueOf(format.toUpperCase(Locale.ROOT)) : FileFormat.forName(write.toString());
            try {
                writer = new RotatingWriter(write, f, capture.linkType(), options.snaplen(), iface,
                        rotateSize == null ? 0 : rotateSize, rotateCount == null ? 0 : rotateCount);
            } catch (IOException e) {
                throw new UserError(ExitCode.OUTPUT_FAILED, write + ": cannot write: " + Output.reason(e));
            }
        }
        TrafficTap traffic = new TrafficTap();
        LivePipeline pipeline = new LivePipeline(capture.linkType(), capture.timeDigits(), writer,
                port == null ? -1 : port, (d, m) -> {
                    analyzer.onMessage(d, m);
                    traffic.onMessage(d, m);
                });

        CountDownLatch done = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            capture.stop();
            try {
                done.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException ignored) {
                // exit now
            }
        }, "wgdiag-capture-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        Thread status = term.startStatus(() -> {
            LiveStats s = capture.stats();
            return String.format(Locale.ROOT, "%d packets, %d WireGuard messages, %s dropped by libpcap",
                    s.packets(), pipeline.wireGuardMessages(), s.dropped() < 0 ? "?" : Long.toString(s.dropped()));
        });
        term.note("capturing on " + iface + " (filter: " + options.filter() + ", snaplen " + options.snaplen()
                + (write != null ? ", writing " + write : "") + "); Ctrl-C stops");
        String writeError = null;
        int code = ExitCode.OK;
        try {
            capture.run(pipeline);
        } catch (IOException e) {
            writeError = diskMessage(writer, e);
            code = ExitCode.OUTPUT_FAILED;
        } catch (CaptureSetupException e) {
            writeError = e.getMessage();
            code = ExitCode.ENVIRONMENT;
        } finally {
            if (status != null) status.interrupt();
            term.clearStatus();
            try {
                if (writer != null) {
                    LiveStats s = capture.stats();
                    writer.setStatistics(s.received(), s.dropped(), s.ifDropped());
                    writer.close();
                }
            } catch (IOException e) {
                if (writeError == null) {
                    writeError = diskMessage(writer, e);
                    code = ExitCode.OUTPUT_FAILED;
                }
            }
            try {
                summary(capture, pipeline, analyzer, traffic, writer, writeError);
            } finally {
                done.countDown();
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException ignored) {
                    // shutting down: the hook is running and waits for done
                }
            }
        }
        return code;
    }

    private static String diskMessage(RotatingWriter writer, IOException e) {
        String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        boolean full = why.toLowerCase(Locale.ROOT).contains("no space");
        String file = writer == null ? "capture file" : writer.currentFile().toString();
        long kept = writer == null ? 0 : writer.packets();
        return file + ": " + (full ? "disk full" : "write failed") + " (" + why + "); capture stopped, the "
                + kept + " packets written so far are a valid capture; "
                + (full ? "free space, or bound the files with --rotate-size and --rotate-count" : "check the file system");
    }

    private void summary(LiveCapture capture, LivePipeline pipeline, Analyzer analyzer, TrafficTap traffic,
                         RotatingWriter writer, String writeError) {
        LiveStats s = capture.stats();
        Report report = Report.of(analyzer.finish(), List.of(traffic.result()));
        if (writeError != null) err.println("wgdiag: " + writeError);
        err.printf(Locale.ROOT, "wgdiag: %d packets captured, %d WireGuard messages, %s dropped by libpcap, %s dropped by the interface%n",
                s.packets(), pipeline.wireGuardMessages(), s.dropped() < 0 ? "?" : Long.toString(s.dropped()),
                s.ifDropped() < 0 ? "?" : Long.toString(s.ifDropped()));
        if (writer != null) {
            err.println("wgdiag: wrote " + writer.packets() + " packets to " + String.join(", ",
                    writer.files().stream().map(Path::toString).toList())
                    + (writer.deletedFiles() == 0 ? "" : " (" + writer.deletedFiles() + " older ring files deleted)"));
        }
        err.flush();
        out.println();
        TextReport.write(report, out);
        out.flush();
        if (html != null) writeHtml(report);
    }

    /** The same HTML stability report as {@code wgdiag analyze --html}, written whole or not at all. */
    private void writeHtml(Report report) {
        try (Output o = Output.file(html)) {
            HtmlReport.write(report, o.writer());
            o.commit();
        }
    }

    /** Event lines on out; the status line (terminal only) on err, cleared before each event. */
    static final class Terminal {
        private final PrintWriter out;
        private final PrintWriter err;
        private final boolean status;
        private boolean statusShown;

        Terminal(PrintWriter out, PrintWriter err, boolean status) {
            this.out = out;
            this.err = err;
            this.status = status;
        }

        synchronized void event(Event e) {
            clearStatus();
            out.println(EventLines.line(e));
            out.flush();
        }

        /** A line of output (e.g. ping's), on out. */
        synchronized void line(String line) {
            clearStatus();
            out.println(line);
            out.flush();
        }

        synchronized void note(String line) {
            clearStatus();
            err.println("wgdiag: " + line);
            err.flush();
        }

        synchronized void clearStatus() {
            if (statusShown) {
                err.print("\r\033[K");
                err.flush();
                statusShown = false;
            }
        }

        private synchronized void show(String line) {
            err.print("\r\033[K" + line);
            err.flush();
            statusShown = true;
        }

        Thread startStatus(java.util.function.Supplier<String> line) {
            if (!status) return null;
            Thread t = new Thread(() -> {
                try {
                    while (!Thread.currentThread().isInterrupted()) {
                        show(line.get());
                        Thread.sleep(500);
                    }
                } catch (InterruptedException ignored) {
                    // capture over
                }
            }, "wgdiag-capture-status");
            t.setDaemon(true);
            t.start();
            return t;
        }
    }

    /** Sizes: plain bytes or with k, M, G (powers of 1000, as tcpdump's -C counts millions of bytes). */
    static final class SizeConverter implements CommandLine.ITypeConverter<Long> {
        private static final Pattern SIZE = Pattern.compile("(\\d+)([kKmMgG]?)[bB]?");

        @Override
        public Long convert(String value) {
            Matcher m = SIZE.matcher(value.trim());
            if (!m.matches()) throw new CommandLine.TypeConversionException("'" + value + "' is not a size (e.g. 4096, 500k, 10M, 1G)");
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2).toLowerCase(Locale.ROOT)) {
                case "k" -> n * 1000L;
                case "m" -> n * 1000_000L;
                case "g" -> n * 1000_000_000L;
                default -> n;
            };
        }
    }

    /** Durations: seconds, or h/m/s parts such as 1h30m, 90s, 0.5s. */
    static final class DurationConverter implements CommandLine.ITypeConverter<Long> {
        private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|h|m|s)?");

        @Override
        public Long convert(String value) {
            String v = value.trim().toLowerCase(Locale.ROOT);
            Matcher m = PART.matcher(v);
            double nanos = 0;
            int at = 0;
            while (at < v.length() && m.find(at) && m.start() == at) {
                double n = Double.parseDouble(m.group(1));
                String unit = m.group(2) == null ? "s" : m.group(2);
                nanos += n * switch (unit) {
                    case "h" -> 3600e9;
                    case "m" -> 60e9;
                    case "ms" -> 1e6;
                    default -> 1e9;
                };
                at = m.end();
            }
            if (at == 0 || at != v.length() || nanos <= 0) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a duration (e.g. 30, 30s, 5m, 1h30m)");
            }
            return (long) nanos;
        }
    }

    /** Standalone entry for running inside a namespace ({@code ip netns exec NS java -cp ... dev.wgdiag.cli.CaptureCommand ...}). */
    public static void main(String[] args) {
        PrintWriter o = new PrintWriter(new java.io.OutputStreamWriter(System.out, StandardCharsets.UTF_8), false);
        PrintWriter e = new PrintWriter(new java.io.OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        CommandLine cl = new CommandLine(new CaptureCommand());
        cl.setOut(o);
        cl.setErr(e);
        cl.setExecutionExceptionHandler((ex, c, p) -> {
            c.getErr().println("wgdiag: " + Main.messageOf(ex));
            return ExitCode.of(ex);
        });
        cl.setExitCodeExceptionMapper(ExitCode::of);
        int code = cl.execute(args);
        o.flush();
        e.flush();
        System.exit(code);
    }
}
