package dev.wgdiag.report;

import dev.wgdiag.net.Endpoint;
import dev.wgdiag.probe.Bracket;
import dev.wgdiag.probe.NatBehaviour;
import dev.wgdiag.probe.ProbeProfile;
import dev.wgdiag.probe.Timer;

import java.net.InetSocketAddress;
import java.util.Locale;

/** The words of {@code wgdiag probe}'s results, shared by its text, JSON reasons and HTML. */
public final class ProbeWords {
    private ProbeWords() {
    }

    public static String timer(Timer t) {
        return t == Timer.ESTABLISHED ? "established" : "one-way";
    }

    /** Seconds as "12" or "12.5" (Locale.ROOT). */
    public static String seconds(double s) {
        return s == Math.rint(s) ? Long.toString((long) s) : String.format(Locale.ROOT, "%.1f", s);
    }

    public static String endpoint(InetSocketAddress a) {
        return a == null ? "none" : Endpoint.of(a.getAddress(), a.getPort()).toString();
    }

    public static String bracket(Bracket b) {
        if (b.lower() == null && b.upper() == null) return "not measured";
        String s;
        if (b.upper() == null) s = "more than " + seconds(b.lower()) + " s";
        else if (b.lower() == null) s = "at most " + seconds(b.upper()) + " s";
        else s = "(" + seconds(b.lower()) + ", " + seconds(b.upper()) + "] s";
        if (b.inconsistent() > 0) s += " (" + b.inconsistent() + " shorter idle time(s) died too: the timer varies)";
        return s;
    }

    /** RFC 4787's words for a behaviour, or why it was not measured. */
    public static String behaviour(NatBehaviour b) {
        if (b.kind() == null) return "not measured (" + reason(b.reason()) + ")";
        String w = switch (b.kind()) {
            case ENDPOINT_INDEPENDENT -> "endpoint-independent";
            case ADDRESS_DEPENDENT -> "address-dependent";
            case ADDRESS_AND_PORT_DEPENDENT -> "address- and port-dependent";
            case UNKNOWN -> "unknown";
        };
        return b.reason() == NatBehaviour.Reason.MEASURED ? w : w + " (" + reason(b.reason()) + ")";
    }

    public static String reason(NatBehaviour.Reason r) {
        return switch (r) {
            case MEASURED -> "measured";
            case ONE_SERVER_ADDRESS -> "endpoint-independent or address-dependent: the server has one address, so the address"
                    + " test could not run (wgdiag probe serve --alt-address)";
            case NO_ANSWER -> "a test flow got no answer with its public endpoint (IPv4 tunnel addresses only)";
            case NO_SECOND_PORT -> "the server offered no second port";
            case INCONSISTENT -> "the tests contradict each other (a lost packet, or a NAT that changed its mind)";
        };
    }

    /** The PersistentKeepalive line's value and its evidence. */
    public static String recommendation(ProbeProfile.Recommendation r) {
        if (r == null) return "no recommendation (no flow completed)";
        if (r.persistentKeepalive() == null) {
            return "not needed for mappings up to " + seconds(r.fromSeconds()) + " s (every flow lived; try a longer --max-lifetime)";
        }
        return r.persistentKeepalive() + "  (80 % of " + seconds(r.fromSeconds()) + " s, "
                + (r.basis() == ProbeProfile.Recommendation.Basis.BELOW_SHORTEST_TRIED
                ? "the shortest idle time tried, which already died: try a shorter --schedule)"
                : "the shortest idle time a mapping was seen to survive)");
    }

    public static String yesNo(Boolean b) {
        return b == null ? "not measured" : b ? "yes" : "no";
    }
}
