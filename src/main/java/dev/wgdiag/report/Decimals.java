package dev.wgdiag.report;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;

/**
 * A number with a fixed count of decimals, as {@code String.format(Locale.ROOT, "%.Nf", v)} writes it
 * (half-up rounding of the shortest decimal that names the double, {@link Double#toString}) without
 * the Formatter's per-call parsing of its pattern: advice for 300,000 tunnels called it a million times.
 */
final class Decimals {
    private Decimals() {
    }

    /** {@code v} with {@code decimals} digits after the point ("NaN", "Infinity" as the Formatter writes them). */
    static String of(double v, int decimals) {
        if (!Double.isFinite(v)) return String.format(Locale.ROOT, "%." + decimals + "f", v);
        String s = BigDecimal.valueOf(v).setScale(decimals, RoundingMode.HALF_UP).toPlainString();
        boolean negative = v < 0 || (v == 0 && 1 / v < 0);
        return negative && !s.startsWith("-") ? "-" + s : s;       // the Formatter keeps the sign of a value rounded to 0
    }
}
