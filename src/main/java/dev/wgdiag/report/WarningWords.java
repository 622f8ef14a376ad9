package dev.wgdiag.report;

import dev.wgdiag.timeline.AnalysisWarning;
import dev.wgdiag.timeline.Episodes;
import dev.wgdiag.timeline.Hole;

/** An analysis warning as the one line the text, HTML and JSON reports show. */
final class WarningWords {
    private WarningWords() {
    }

    static String line(AnalysisWarning w) {
        if (w instanceof AnalysisWarning.NoMessages n) return n.capture() + ": no WireGuard messages found";
        if (w instanceof AnalysisWarning.OverLimit o) {
            return o.capture() + ": " + o.messages() + " messages not analysed: they would have made more than "
                    + o.maxPeers() + " peers or tunnels, the most one analysis follows (AnalyzerOptions.maxPeers)";
        }
        if (w instanceof AnalysisWarning.CaptureHole c) {
            Hole hole = c.hole();
            return c.capture() + ": no WireGuard message from " + hole.from().clock() + " to " + hole.to().clock() + " UTC ("
                    + Math.round(hole.seconds()) + " s, longer than any WireGuard timer, " + Episodes.HOLE_NANOS / 1_000_000_000L
                    + " s): the capture has a hole there, or every tunnel was idle until all keys were gone; what follows is"
                    + " analysed as a separate episode";
        }
        if (w instanceof AnalysisWarning.NotJoined n) return "not joined with " + n.capture() + ": a capture with a hole is analysed alone";
        throw new IllegalArgumentException("no words for " + w);
    }
}
