package dev.wgdiag.timeline;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The transport counter window under forged counters. Counters are unsigned 64-bit (whitepaper
 * 5.4.6); a window of {@link CounterWindow#WINDOW} counters behind the highest, as in RFC 6479, tells
 * reordering from counters too old to judge. Regression of the fuzzing finding
 * AnalyzeFuzzTestInputs/analyzesAnyCapture/timeout-f1db8800...: a counter at or above 2^63 after a
 * small one looped over 2^63 window slots (a hang).
 */
class CounterWindowTest {
    @Test
    @Timeout(5)
    void shouldTreatAJumpPastTwoToTheSixtyThreeAsOneJumpNotALoop() {
        CounterWindow w = new CounterWindow();
        w.add(3);
        long forged = 0x7fff_ffff_ffff_ffffL + 9;          // 2^63 + 8: negative as a signed long

        assertFalse(w.add(forged), "a higher counter is not reordered");

        assertEquals(forged, w.highest());
        assertEquals(2, w.received());
        assertTrue(w.add(5), "a counter 2^63 below the highest is behind it");
        assertEquals(1, w.tooOld(), "and too old for the window");
    }

    @Test
    @Timeout(5)
    void shouldTreatTheHighestPossibleCounterAsBeyondTheWindow() {
        CounterWindow w = new CounterWindow();
        w.add(0);
        w.add(-1L);                                        // 2^64 - 1
        w.add(-1L - CounterWindow.WINDOW + 1);             // inside the window below it: reordered
        assertEquals(1, w.reordered());
        assertEquals(0, w.tooOld());
        w.add(1);
        assertEquals(1, w.tooOld());
    }
}
