package dev.wgdiag.probe;

import java.util.List;

/**
 * A censored estimate of a mapping lifetime: it lived at least {@code lower} seconds (a delivery after
 * that much idle time) and died before {@code upper} (no delivery after that much); either may be null
 * (never seen alive / never seen dead). {@code inconsistent} counts deaths at or below {@code lower}:
 * the NAT did not behave like one fixed timer (load, rebinding despite traffic).
 */
public record Bracket(Double lower, Double upper, int inconsistent) {
    public static final Bracket NONE = new Bracket(null, null, 0);

    /** The bracket {@code timer}'s observations give: (largest lived, smallest died above it]. */
    public static Bracket of(List<Observation> observations, Timer timer) {
        Double lower = null;
        for (Observation o : observations) {
            if (o.timer() == timer && o.lived() && (lower == null || o.idleSeconds() > lower)) lower = o.idleSeconds();
        }
        Double upper = null;
        int inconsistent = 0;
        for (Observation o : observations) {
            if (o.timer() != timer || o.lived()) continue;
            if (lower != null && o.idleSeconds() <= lower) {
                inconsistent++;
            } else if (upper == null || o.idleSeconds() < upper) {
                upper = o.idleSeconds();
            }
        }
        return new Bracket(lower, upper, inconsistent);
    }

    /** True when both ends are known and {@code (lower, upper]} is narrower than 5 s or 5 % of upper (issue 17's target). */
    public boolean narrowEnough() {
        return lower != null && upper != null && upper - lower <= Math.max(5.0, 0.05 * upper);
    }

    /** True when a value lies inside {@code (lower, upper]} (an open end holds everything on its side). */
    public boolean contains(double seconds) {
        return (lower == null || seconds > lower) && (upper == null || seconds <= upper);
    }
}
