package dev.wgdiag.report;

import dev.wgdiag.timeline.MappingTimeout;

/** Words shared by the text and HTML reports: counts that agree with their nouns, brackets without "more than 0 s". */
final class Words {
    private Words() {
    }

    /** The values' texts joined by {@code separator}. */
    static String join(String separator, java.util.List<?> values) {
        StringBuilder b = new StringBuilder();
        for (Object v : values) {
            if (b.length() > 0) b.append(separator);
            b.append(v);
        }
        return b.toString();
    }

    /** "1 gap", "2 gaps", "0 gaps". */
    static String count(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    /**
     * The bracket (lower, upper] as a person reads it: "more than 10 s, at most 20 s", "at most 25 s, no
     * pause it lived through bounds it from below", "more than 10 s, no expiry seen".
     */
    static String bracket(MappingTimeout m) {
        boolean low = m.lowerSeconds() != null && m.lowerSeconds() > 0;
        if (low && m.upperSeconds() != null) return "more than " + Html.num(m.lowerSeconds()) + " s, at most " + Html.num(m.upperSeconds()) + " s";
        if (m.upperSeconds() != null) return "at most " + Html.num(m.upperSeconds()) + " s, no pause it lived through bounds it from below";
        if (low) return "more than " + Html.num(m.lowerSeconds()) + " s, no expiry seen";
        return "not bounded";
    }

    /** "1 gap survived, 2 expired". */
    static String gaps(MappingTimeout m) {
        return count(m.survivedGaps(), "gap") + " survived, " + m.expiredGaps() + " expired";
    }
}
