package dev.wgdiag.time;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Time text: epoch seconds with the capture's precision, and UTC wall-clock time, for the reports and
 * the message list; results hold times as {@link Timestamp}s.
 */
public final class Times {
    private static final long[] POW10 = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000,
            100_000_000, 1_000_000_000};
    private static final DateTimeFormatter WALL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    private Times() {
    }

    /** e.g. {@code 1764028800.123456} for digits = 6: seconds since the epoch, the fraction cut to {@code digits}. */
    public static String epochSeconds(long nanos, int digits) {
        long secs = Math.floorDiv(nanos, 1_000_000_000L);
        long frac = Math.floorMod(nanos, 1_000_000_000L);
        if (digits <= 0) return Long.toString(secs);
        int d = Math.min(digits, 9);
        long f = frac / POW10[9 - d];
        StringBuilder sb = new StringBuilder(24).append(secs).append('.');
        String fs = Long.toString(f);
        for (int i = fs.length(); i < d; i++) sb.append('0');
        return sb.append(fs).toString();
    }

    /** e.g. {@code 2026-11-25 00:00:00.123456} (UTC), the fraction cut to {@code digits}. */
    public static String wallClock(long nanos, int digits) {
        long secs = Math.floorDiv(nanos, 1_000_000_000L);
        String s = WALL.format(Instant.ofEpochSecond(secs));
        String e = epochSeconds(nanos, digits);
        int dot = e.indexOf('.');
        return dot < 0 ? s : s + e.substring(dot);
    }
}
