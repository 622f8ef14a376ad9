package dev.wgdiag.report;

import org.junit.jupiter.api.Test;

import java.util.Locale;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DecimalsTest {
    @Test
    void shouldWriteWhatTheJdksFormatterWritesForOneAndNoDecimals() {
        SplittableRandom random = new SplittableRandom(13);
        double[] edges = {0, 0.05, 0.15, 0.25, 0.35, 0.45, 1.05, 2.5, 3.5, 9.95, 99.95, 514.2857142857143, 1e6 / 3, 86400.0 / 7,
                150, 225.5, 0.949999, 1234567.85, -0.04, -0.0, -2.25, -0.5, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        for (double v : edges) check(v);
        for (int i = 0; i < 200_000; i++) {
            check(random.nextDouble() * Math.pow(10, random.nextInt(8)));
            check(random.nextInt(1_000_000) / 100.0);          // two decimals exactly: the half-way cases
            check(random.nextInt(1_000_000) / 20.0);
            check(-random.nextInt(1_000_000) / 100.0);
        }
    }

    private static void check(double v) {
        assertEquals(String.format(Locale.ROOT, "%.1f", v), Decimals.of(v, 1), () -> "one decimal of " + v);
        assertEquals(String.format(Locale.ROOT, "%.0f", v), Decimals.of(v, 0), () -> "no decimal of " + v);
    }
}
