package dev.wgdiag.timeline;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What one side's idle gaps showed (filled by {@link GapTracker}): gaps its mapping survived or lost,
 * packets delivered to it after its own silence, and the packets sent into its current silence.
 */
final class SideGaps {
    /** Packets into one idle gap whose times are kept for a join (the first undelivered one is nearly always among them). */
    static final int LATE_KEPT = 16;

    int rebindings;
    List<Evidence> survived = List.of();  // an ArrayList from the first add (most tunnels have none)
    List<Evidence> expired = List.of();
    List<Evidence> inboundSurvived = List.of();
    /** First packet sent to this peer after it was silent for an idle gap (-1: none since its last packet), and how many. */
    long lateProbe = -1;
    long lateProbeSilent;
    long lateCount;
    /** The latest such packet, and the times of the first {@link #LATE_KEPT} of them. */
    long lateLast = -1;
    long[] lateTimes; // null before the first
    /** Its idle gaps with packets sent to it meanwhile (seen here), closed when it spoke again: for a join. */
    List<IntoGap> intoGaps = List.of();

    /** The side sent a packet: its silence, and the packets into it, are over (no-op while {@code lateCount} is 0). */
    void spoke() {
        lateProbe = -1;
        lateLast = -1;
        lateCount = 0;
    }

    /** The packets into the silence that began at {@code silenceStart}, closed at {@code end}. */
    IntoGap intoGap(long silenceStart, long end, GapOutcome outcome, int gapIndex) {
        int kept = (int) Math.min(lateCount, LATE_KEPT);
        long[] times = kept == 0 ? new long[0] : Arrays.copyOf(lateTimes, kept);
        return new IntoGap(silenceStart, end, outcome, times, lateCount, lateLast, gapIndex);
    }

    /** Its closed gaps with packets into them, and the open one (since {@code lastOut}) when it had not spoken again by the end. */
    List<IntoGap> intoGaps(long lastOut) {
        if (lateProbe < 0) return intoGaps;
        List<IntoGap> all = new ArrayList<>(intoGaps);
        all.add(intoGap(lastOut, -1, null, -1));
        return all;
    }
}
