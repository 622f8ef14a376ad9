package dev.wgdiag.timeline;

/** What limits an analysis, as values: the report writes each as one line (report/AnalysisWarnings). */
public sealed interface AnalysisWarning {
    /** {@code capture} held no WireGuard message. */
    record NoMessages(String capture) implements AnalysisWarning {
    }

    /** {@code messages} of {@code capture} were counted, not analysed: they would have made more than {@code maxPeers} peers or tunnels. */
    record OverLimit(String capture, long messages, int maxPeers) implements AnalysisWarning {
    }

    /** {@code capture} has a hole ({@link Hole}): what follows it is analysed as a separate episode ({@link Episodes}). */
    record CaptureHole(String capture, Hole hole) implements AnalysisWarning {
    }

    /** {@code capture} was not joined with the first: a capture with a hole is analysed alone. */
    record NotJoined(String capture) implements AnalysisWarning {
    }
}
