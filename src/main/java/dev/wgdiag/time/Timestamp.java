package dev.wgdiag.time;

import com.fasterxml.jackson.annotation.JsonValue;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * A capture time: nanoseconds since the Unix epoch plus the number of fractional digits the capture
 * really holds. In JSON it is seconds since the epoch with exactly those digits (no double rounding).
 */
public record Timestamp(long nanos, int digits) implements Comparable<Timestamp> {
    private static final DateTimeFormatter CLOCK =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

    public static Timestamp of(long nanos, int digits) {
        return new Timestamp(nanos, Math.max(0, Math.min(9, digits)));
    }

    @JsonValue
    public BigDecimal seconds() {
        return BigDecimal.valueOf(nanos, 9).setScale(digits, RoundingMode.FLOOR);
    }

    /** UTC wall clock with milliseconds, for people. */
    public String clock() {
        return CLOCK.format(Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L)));
    }

    @Override
    public int compareTo(Timestamp o) {
        return Long.compare(nanos, o.nanos);
    }

    @Override
    public String toString() {
        return seconds().toPlainString();
    }

    /** Seconds between two nanosecond times, rounded to microseconds. */
    public static double seconds(long nanos) {
        return Math.round(nanos / 1_000.0) / 1_000_000.0;
    }
}
