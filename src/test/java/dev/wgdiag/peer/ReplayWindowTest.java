package dev.wgdiag.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.wgdiag.wire.Protocol;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The replay window against wireguard-go's {@code replay/replay_test.go} (ported there from the Linux
 * kernel's selftest): the same counters in the same order with the same expected verdicts, around the
 * window edge T_LIM = windowSize + 1 = 8129 and REJECT_AFTER_MESSAGES. Then a property check against a
 * plain model (a set of seen counters and the window rule).
 */
class ReplayWindowTest {
    static final long WINDOW = 8128;
    static final long T_LIM = WINDOW + 1;
    static final long REJECT = Protocol.REJECT_AFTER_MESSAGES;

    final ReplayWindow filter = new ReplayWindow();
    int step;

    void t(long counter, boolean expected) {
        step++;
        assertEquals(expected, filter.validate(counter, REJECT), "step " + step + ", counter " + Long.toUnsignedString(counter));
    }

    @Test
    void shouldHaveWireguardGosWindowOf8128Counters() {
        assertEquals(WINDOW, Protocol.REPLAY_WINDOW_SIZE);
    }

    @Test
    void shouldGiveWireguardGosVerdictsAroundTheWindowEdge() {
        t(0, true);
        t(1, true);
        t(1, false);
        t(9, true);
        t(8, true);
        t(7, true);
        t(7, false);
        t(T_LIM, true);
        t(T_LIM - 1, true);
        t(T_LIM - 1, false);
        t(T_LIM - 2, true);
        t(2, true);
        t(2, false);
        t(T_LIM + 16, true);
        t(3, false);
        t(T_LIM + 16, false);
        t(T_LIM * 4, true);
        t(T_LIM * 4 - (T_LIM - 1), true);
        t(10, false);
        t(T_LIM * 4 - T_LIM, false);
        t(T_LIM * 4 - (T_LIM + 1), false);
        t(T_LIM * 4 - (T_LIM - 2), true);
        t(T_LIM * 4 + 1 - T_LIM, false);
        t(0, false);
        t(REJECT, false);
        t(REJECT - 1, true);
        t(REJECT, false);
        t(REJECT - 1, false);
        t(REJECT - 2, true);
        t(REJECT + 1, false);
        t(REJECT + 2, false);
        t(REJECT - 2, false);
        t(REJECT - 3, true);
        t(0, false);
    }

    @Test
    void shouldAcceptAWholeWindowThenZero() {
        for (long i = 1; i <= WINDOW; i++) {
            t(i, true);
        }
        t(0, true);
        t(0, false);
    }

    @Test
    void shouldAcceptAWholeWindowFromTwoThenOneButNotZero() {
        for (long i = 2; i <= WINDOW + 1; i++) {
            t(i, true);
        }
        t(1, true);
        t(0, false);
    }

    @Test
    void shouldAcceptAWholeWindowDescending() {
        for (long i = WINDOW + 1; i > 0; i--) {
            t(i, true);
        }
    }

    @Test
    void shouldRejectZeroAfterAWholeWindowDescendingFromWindowPlusTwo() {
        for (long i = WINDOW + 2; i > 1; i--) {
            t(i, true);
        }
        t(0, false);
    }

    @Test
    void shouldAcceptWindowPlusOneAfterADescendingWindowButNotZero() {
        for (long i = WINDOW; i > 0; i--) {
            t(i, true);
        }
        t(WINDOW + 1, true);
        t(0, false);
    }

    @Test
    void shouldAcceptZeroBeforeWindowPlusOneAfterADescendingWindow() {
        for (long i = WINDOW; i > 0; i--) {
            t(i, true);
        }
        t(0, true);
        t(WINDOW + 1, true);
    }

    /**
     * Issue 10 item 3: random sequences (reordering, duplicates, jumps) against a model that accepts a
     * counter iff it is below the limit, not seen before, and not more than 8128 behind the greatest
     * accepted counter. Over 2,000,000 decisions; every replay offered is counted and must be refused.
     */
    @Test
    void shouldAgreeWithASetModelOnRandomSequencesAndAcceptNoReplay() {
        SplittableRandom rnd = new SplittableRandom(6479);
        long replaysOffered = 0;
        long replaysAccepted = 0;
        long decisions = 0;
        for (int run = 0; run < 200; run++) {
            ReplayWindow w = new ReplayWindow();
            Set<Long> seen = new HashSet<>();
            boolean any = false;
            long max = 0;
            // A quarter of the runs live just below REJECT_AFTER_MESSAGES (unsigned 2^64 - 2^13 - 1).
            long base = rnd.nextInt(4) == 0 ? REJECT - 20_000 : 0;
            for (int i = 0; i < 10_000; i++) {
                long head = any ? max : base;
                long c;
                int kind = rnd.nextInt(10);
                if (kind < 5) {
                    c = head + rnd.nextLong(1, 40);                                   // forward, small gaps
                } else if (kind < 8) {
                    c = head - Math.min(rnd.nextLong(0, 9000), head - base);          // reordered, near the edge
                } else if (kind < 9) {
                    c = head - rnd.nextLong(0, Math.min(WINDOW, head - base) + 1);    // likely a replay
                } else {
                    c = base + rnd.nextLong(0, 30_000);                               // anywhere, past the limit too
                }
                boolean expected = Long.compareUnsigned(c, REJECT) < 0 && !seen.contains(c)
                        && (!any || Long.compareUnsigned(c, max) > 0 || Long.compareUnsigned(max - c, WINDOW) <= 0);
                boolean replay = seen.contains(c);
                boolean got = w.validate(c, REJECT);
                decisions++;
                if (replay) {
                    replaysOffered++;
                    if (got) {
                        replaysAccepted++;
                    }
                }
                assertEquals(expected, got, "run " + run + " step " + i + " counter " + Long.toUnsignedString(c));
                if (got) {
                    seen.add(c);
                    if (!any || Long.compareUnsigned(c, max) > 0) {
                        max = c;
                        any = true;
                    }
                }
            }
        }
        assertEquals(2_000_000, decisions);
        assertEquals(0, replaysAccepted, "replays accepted out of " + replaysOffered);
        assertEquals(true, replaysOffered > 50_000, "replays offered: " + replaysOffered);
    }
}
