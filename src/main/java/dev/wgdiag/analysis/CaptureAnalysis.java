package dev.wgdiag.analysis;

import dev.wgdiag.pcap.CaptureException;
import dev.wgdiag.pcap.CaptureOptions;
import dev.wgdiag.pcap.CaptureReader;
import dev.wgdiag.pcap.CaptureStats;
import dev.wgdiag.pcap.IcmpHandler;
import dev.wgdiag.pcap.SecretsHandler;
import dev.wgdiag.timeline.Analysis;
import dev.wgdiag.timeline.AnalyzerOptions;
import dev.wgdiag.timeline.CaptureJoin;
import dev.wgdiag.timeline.Episodes;
import dev.wgdiag.wire.WgMessageHandler;
import dev.wgdiag.wire.WireGuardDecoder;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.function.LongConsumer;

/**
 * Reads one or two capture files into an {@link Analysis}: each capture through {@link CaptureReader}
 * and {@link WireGuardDecoder} into its {@link Episodes}, then one capture's result or the two joined
 * ({@link CaptureJoin#of}). The file reading the analysis engine ({@code timeline}) does not do: this is
 * what {@code wgdiag analyze FILE [FILE2]} calls.
 */
public final class CaptureAnalysis {
    private CaptureAnalysis() {
    }

    /**
     * Reads one capture (an {@link Analysis} of it) or two captures of one tunnel, in either order (the
     * outside capture's tunnels with the inside capture's findings merged in, and {@link Analysis#join()}
     * holding the join and both captures' own analyses).
     *
     * @throws CaptureException with a one-line message naming the file when a capture cannot be read
     */
    public static Analysis analyze(List<String> captures, AnalyzerOptions options) throws CaptureException {
        return analyze(captures, options, stats -> { }, null);
    }

    /**
     * As {@link #analyze(List, AnalyzerOptions)}, telling the caller what each read saw (warnings such
     * as a truncation, skipped frames) and how far it got.
     *
     * @param onRead   receives each capture's {@link CaptureStats} when its read ends
     * @param progress receives bytes consumed of the capture being read (may be null)
     */
    public static Analysis analyze(List<String> captures, AnalyzerOptions options, Consumer<CaptureStats> onRead,
                                   LongConsumer progress) throws CaptureException {
        return analyze(captures, options, onRead, progress, i -> null);
    }

    /**
     * As {@link #analyze(List, AnalyzerOptions, Consumer, LongConsumer)}, also handing every decoded
     * message of capture {@code i} to {@code taps.apply(i)} after the analyzer (e.g. a report's per-type
     * message counts); a null tap is skipped. A tap that is also an {@link IcmpHandler} receives the
     * capture's ICMP errors quoting UDP too, and one that is a {@link SecretsHandler} its pcapng Decryption
     * Secrets Blocks.
     */
    public static Analysis analyze(List<String> captures, AnalyzerOptions options, Consumer<CaptureStats> onRead,
                                   LongConsumer progress, IntFunction<WgMessageHandler> taps) throws CaptureException {
        if (captures.isEmpty() || captures.size() > 2) {
            throw new IllegalArgumentException("one or two captures, got " + captures.size());
        }
        List<Episodes> analyzers = new ArrayList<>();
        for (int i = 0; i < captures.size(); i++) {
            String c = captures.get(i);
            Episodes a = new Episodes(options, c);
            WgMessageHandler tap = taps.apply(i);
            WgMessageHandler h = tap == null ? a : (d, m) -> {
                a.onMessage(d, m);
                tap.onMessage(d, m);
            };
            CaptureOptions.Builder readOptions = CaptureOptions.builder();
            if (tap instanceof IcmpHandler icmp) readOptions.icmpHandler(icmp);
            if (tap instanceof SecretsHandler secrets) readOptions.secretsHandler(secrets);
            onRead.accept(CaptureReader.read(c, new WireGuardDecoder(h, options.port()), progress, readOptions.build()));
            analyzers.add(a);
        }
        if (analyzers.size() == 1) return analyzers.get(0).finishReleasing(); // alone: nothing reads its state after
        return CaptureJoin.of(captures.get(0), analyzers.get(0), captures.get(1), analyzers.get(1));
    }

    /** Path convenience for {@link #analyze(List, AnalyzerOptions)}. */
    public static Analysis analyzePaths(List<Path> captures, AnalyzerOptions options) throws CaptureException {
        List<String> names = new ArrayList<>();
        for (Path p : captures) names.add(p.toString());
        return analyze(names, options);
    }
}
