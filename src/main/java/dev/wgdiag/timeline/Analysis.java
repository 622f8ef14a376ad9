package dev.wgdiag.timeline;

import java.util.List;

/**
 * Everything inferred from one capture (or two captures of one tunnel, then {@code join} is set).
 * Text, JSON and HTML reports all render this one model; JSON layout in docs/analysis-json.md.
 *
 * @param sharedNats tunnels whose clients share one public address, with their pooled NAT bracket
 */
public record Analysis(String schemaVersion, CaptureSummary summary, List<Tunnel> tunnels, CaptureJoin.Result join,
                       List<AnalysisWarning> warnings, List<SharedNat> sharedNats) {
    /** Bumped on any incompatible change of the JSON layout (docs/analysis-json.md). */
    public static final String SCHEMA_VERSION = "1.1";

    public Analysis {
        sharedNats = List.copyOf(sharedNats);
    }

    /** An analysis with no shared NAT. */
    public Analysis(String schemaVersion, CaptureSummary summary, List<Tunnel> tunnels, CaptureJoin.Result join, List<AnalysisWarning> warnings) {
        this(schemaVersion, summary, tunnels, join, warnings, List.of());
    }

    Analysis withJoin(CaptureJoin.Result j) {
        return new Analysis(schemaVersion, summary, tunnels, j, warnings, sharedNats);
    }

    /** The shared NAT a tunnel's client sits behind, or null. */
    public SharedNat sharedNatOf(String tunnelId) {
        for (SharedNat n : sharedNats) {
            if (n.tunnels().contains(tunnelId)) return n;
        }
        return null;
    }
}
