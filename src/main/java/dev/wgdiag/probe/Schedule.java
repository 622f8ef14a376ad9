package dev.wgdiag.probe;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Which idle times the probe tries, round by round. Round 1 runs every time of the schedule for each
 * {@link Timer} in parallel (one socket, one NAT mapping, one handshake each); a flow whose idle time is
 * longer than one that already died on the same timer is cancelled, so the round lasts about the
 * lifetime. The default schedule ({@link #standard}) is dense enough that round 1 alone brackets any
 * timer within 5 s or 5 % (issue 17's target): every 5 s up to 100 s, then each time at most 1/0.95 of
 * the one before, so a lifetime of L is bracketed after about L plus the round's overhead (handshakes
 * staggered 50 ms apart, the 2.5 s stream delay, the 2 s grace), not after two rounds of L each. Each later round splits the bracket (lower, upper] into {@link #REFINE_POINTS}+1 equal parts
 * and probes the inner points in parallel, until the bracket is narrow enough
 * ({@link Bracket#narrowEnough()}) or the rounds run out. A bracket open above (every flow lived) is
 * not refined: the lifetime is longer than the longest idle time tried.
 */
public record Schedule(List<Double> seconds, int rounds) {
    /** The default schedule's step below {@link #FINE_UP_TO}: the 5 s of issue 17's "within 5 s (or 5 %)". */
    public static final double FINE_STEP = 5.0;
    public static final double FINE_UP_TO = 100.0;
    /** Above {@link #FINE_UP_TO}: each idle time at most this much above the one before (b - a &lt;= 5 % of b). */
    public static final double RATIO = 1 / 0.95;
    public static final int REFINE_POINTS = 4;
    public static final int DEFAULT_ROUNDS = 3;
    /** 57 for the default 600 s; a bound on sockets per timer (two timers: at most 2 x 64 at once). */
    public static final int MAX_FLOWS_PER_TIMER = 64;

    public Schedule {
        seconds = List.copyOf(seconds);
        if (seconds.isEmpty()) throw new IllegalArgumentException("the schedule is empty");
        if (seconds.size() > MAX_FLOWS_PER_TIMER) throw new IllegalArgumentException("at most " + MAX_FLOWS_PER_TIMER + " idle times");
        for (double s : seconds) if (!(s > 0 && s <= 3600)) throw new IllegalArgumentException("idle times must be 0-3600 s: " + s);
        if (rounds < 1) throw new IllegalArgumentException("rounds must be at least 1");
    }

    /** "2,4,8,16" (seconds, ascending after sorting, duplicates dropped), bounded by {@code maxSeconds}. */
    public static Schedule parse(String text, double maxSeconds, int rounds) {
        List<Double> list = new ArrayList<>();
        for (String part : text.split(",")) {
            String p = part.strip().toLowerCase(Locale.ROOT);
            if (p.endsWith("s")) p = p.substring(0, p.length() - 1);
            double v;
            try {
                v = Double.parseDouble(p);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a number of seconds: '" + part.strip() + "'");
            }
            if (v > maxSeconds) throw new IllegalArgumentException(part.strip() + " s is longer than --max-lifetime " + fmt(maxSeconds) + " s");
            if (!list.contains(v)) list.add(v);
        }
        list.sort(null);
        return new Schedule(list, rounds);
    }

    /**
     * The default schedule up to {@code maxSeconds} (which is always tried last): every
     * {@link #FINE_STEP} s up to {@link #FINE_UP_TO} s, then whole seconds each at most {@link #RATIO}
     * times the one before. Every two neighbours are {@link Bracket#narrowEnough() narrow enough}.
     */
    public static Schedule standard(double maxSeconds, int rounds) {
        List<Double> list = new ArrayList<>();
        double t = FINE_STEP;
        for (; t <= FINE_UP_TO && t < maxSeconds; t += FINE_STEP) list.add(t);
        double a = list.isEmpty() ? 0 : list.get(list.size() - 1);
        while (a >= FINE_UP_TO) {
            double b = Math.floor(a * RATIO);
            if (b >= maxSeconds) break;
            list.add(b);
            a = b;
        }
        list.add(maxSeconds);
        return new Schedule(list, rounds);
    }

    /** Round {@code round}'s (1-based) idle times for one timer, given its bracket so far; empty when done. */
    public List<Double> round(int round, Bracket sofar) {
        if (round == 1) return seconds;
        if (round > rounds || sofar.lower() == null && sofar.upper() == null) return List.of();
        if (sofar.upper() == null || sofar.narrowEnough()) return List.of();
        double lo = sofar.lower() == null ? 0 : sofar.lower();
        double step = (sofar.upper() - lo) / (REFINE_POINTS + 1);
        List<Double> points = new ArrayList<>();
        for (int i = 1; i <= REFINE_POINTS; i++) points.add(Math.round((lo + i * step) * 10) / 10.0);
        return points;
    }

    static String fmt(double s) {
        return s == Math.rint(s) ? Long.toString((long) s) : String.format(Locale.ROOT, "%.3f", s);
    }
}
