package dev.wgdiag.timeline;

import dev.wgdiag.time.Timestamp;
import dev.wgdiag.wire.Datagram;
import dev.wgdiag.wire.Protocol;
import dev.wgdiag.wire.WgMessage;
import dev.wgdiag.wire.WgMessageHandler;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One capture split at its holes: a silence of every tunnel longer than any WireGuard timer starts a
 * new episode with a fresh {@link Analyzer}, so nothing (a gap, an endpoint change, a loss period, a
 * session) spans traces glued together from different days. Peer and tunnel ids continue across
 * episodes, so they stay unique in the document.
 */
public final class Episodes implements WgMessageHandler {
    /**
     * 3 x REJECT_AFTER_TIME (540 s): after it wireguard-go and the kernel have zeroed every key of a
     * silent peer (whitepaper 6.1; wireguard-go timers.go), the longest timer of the protocol, so nothing
     * after such a silence continues what came before: it needs new handshakes and new indices.
     */
    public static final long HOLE_NANOS = 3 * Protocol.REJECT_AFTER_TIME;

    private final AnalyzerOptions options;
    private final String captureName;
    private final List<Analyzer> episodes = new ArrayList<>();
    /** A silence longer than {@link #HOLE_NANOS} between two messages (capture clock, ns). */
    private record Silence(long from, long to) {
    }

    private final List<Silence> holes = new ArrayList<>();
    private Analyzer current;
    private long last = Long.MIN_VALUE;
    private int digits = 6;

    public Episodes(AnalyzerOptions options, String captureName) {
        this.options = options;
        this.captureName = captureName;
        this.current = new Analyzer(options).captureName(captureName);
        episodes.add(current);
    }

    @Override
    public void onMessage(Datagram d, WgMessage m) {
        long t = d.timeNanos();
        digits = d.timeDigits();
        if (last != Long.MIN_VALUE && t - last > HOLE_NANOS) {
            holes.add(new Silence(last, t));
            current = new Analyzer(options).captureName(captureName)
                    .continueIds(current.peerCount(), current.tunnelCount(), episodes.size() + 1);
            episodes.add(current);
        }
        if (t > last) last = t;
        current.onMessage(d, m);
    }

    /** The episodes' analyzers, in capture order (one when the capture has no hole). */
    List<Analyzer> analyzers() {
        return episodes;
    }

    public boolean hasHoles() {
        return !holes.isEmpty();
    }

    /** The whole capture: every episode's tunnels, the summary over all of them with the holes, a warning per hole. */
    public Analysis finish() {
        return finish(false);
    }

    /**
     * As {@link #finish()}, the last call: each episode's state is let go as its result is built (a capture
     * analysed alone, read by nothing afterwards), so that the state and the result are not held at once.
     */
    public Analysis finishReleasing() {
        return finish(true);
    }

    private Analysis finish(boolean release) {
        if (holes.isEmpty()) return release ? current.finishReleasing() : current.finish();
        List<Tunnel> tunnels = new ArrayList<>();
        Map<String, Long> counts = new LinkedHashMap<>();
        Set<dev.wgdiag.net.Endpoint> endpoints = new LinkedHashSet<>();
        List<AnalysisWarning> warnings = new ArrayList<>();
        List<SharedNat> nats = new ArrayList<>();
        Timestamp start = null, end = null;
        for (Analyzer a : episodes) {
            Analysis e = release ? a.finishReleasing() : a.finish();
            tunnels.addAll(e.tunnels());
            nats.addAll(e.sharedNats());
            e.summary().messages().forEach((k, v) -> counts.merge(k, v, Long::sum));
            endpoints.addAll(e.summary().endpoints());
            if (start == null && e.summary().start() != null) start = e.summary().start();
            if (e.summary().end() != null) end = e.summary().end();
            warnings.addAll(e.warnings());
        }
        List<Hole> hs = new ArrayList<>();
        for (Silence h : holes) {
            Hole hole = new Hole(Timestamp.of(h.from(), digits), Timestamp.of(h.to(), digits), Timestamp.seconds(h.to() - h.from()));
            hs.add(hole);
            warnings.add(new AnalysisWarning.CaptureHole(captureName, hole));
        }
        double duration = start == null ? 0 : Timestamp.seconds(end.nanos() - start.nanos());
        CaptureSummary s = new CaptureSummary(List.of(captureName), start, end, duration, counts, new ArrayList<>(endpoints), hs);
        return new Analysis(Analysis.SCHEMA_VERSION, s, tunnels, null, warnings, nats);
    }
}
