package dev.wgdiag.timeline;

import java.util.List;

/**
 * Everything inferred from one capture (or two captures of one tunnel, then {@code join} is set).
 * Text, JSON and HTML reports all render this one model; JSON layout in docs/analysis-json.md.
 */
public record Analysis(String schemaVersion, CaptureSummary summary, List<Tunnel> tunnels, CaptureJoin.Result join,
                       List<String> warnings) {
    /** Bumped on any incompatible change of the JSON layout (docs/analysis-json.md). */
    public static final String SCHEMA_VERSION = "1.1";

    Analysis withJoin(CaptureJoin.Result j) {
        return new Analysis(schemaVersion, summary, tunnels, j, warnings);
    }
}
