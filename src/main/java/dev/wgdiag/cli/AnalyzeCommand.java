package dev.wgdiag.cli;

import dev.wgdiag.pcap.CaptureException;
import dev.wgdiag.pcap.CaptureReader;
import dev.wgdiag.pcap.CaptureStats;
import dev.wgdiag.report.MessageListWriter;
import dev.wgdiag.wire.WireGuardDecoder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code wgdiag analyze FILE [FILE2]}: decode a capture and explain the tunnel. */
@Command(name = "analyze", mixinStandardHelpOptions = true,
        description = {"Decode the WireGuard messages in a capture (pcap, pcapng, gzip, or - for stdin) and analyse them.",
                "Two captures of one tunnel (e.g. server side and client side) are joined."})
final class AnalyzeCommand implements Callable<Integer> {
    enum Format { text, json }

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..2", paramLabel = "FILE", description = "Capture file(s); - reads standard input.")
    List<String> files;

    @Option(names = "--list", description = "One line per WireGuard message instead of the analysis.")
    boolean list;

    @Option(names = "--format", defaultValue = "text", description = "text or json (with --list: JSON Lines).")
    Format format;

    @Option(names = "--port", paramLabel = "N", description = "Decode only UDP to or from this port (default: any port).")
    Integer port;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write the output to FILE (whole or not at all).")
    Path output;

    @Override
    public Integer call() throws CaptureException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
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
        throw new UserError(ExitCode.INTERNAL, "analysis is not available yet; use --list");
    }

    static void warn(PrintWriter err, CaptureStats stats) {
        for (String w : stats.warnings()) {
            err.println("wgdiag: warning: " + w);
        }
    }
}
