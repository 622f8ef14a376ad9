package dev.wgdiag.report;

import dev.wgdiag.keys.NoConnectFinding;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** Words for why a tunnel does not connect: the verdict's sentence, each cause's evidence and the line to fix. */
public final class NoConnectWords {
    private NoConnectWords() {
    }

    /** The verdict: "Does not connect: ..." naming each cause once. */
    public static String verdict(List<NoConnectFinding> findings) {
        List<String> parts = new ArrayList<>();
        for (NoConnectFinding f : findings) {
            String s = cause(f);
            if (!parts.contains(s)) parts.add(s);
        }
        return "Does not connect: " + String.join("; ", parts) + ".";
    }

    /** One cause in a phrase. */
    public static String cause(NoConnectFinding f) {
        return switch (f.cause()) {
            case WRONG_SERVER_KEY -> "the client's [Peer] PublicKey is not the server's key (mac1 of "
                    + count(f.messages(), "initiation") + " matches no key the server has)";
            case UNKNOWN_PEER -> "the server has no [Peer] for the client's key " + f.key()
                    + (f.keyName() != null ? " (" + f.keyName() + ")" : "") + ", so it ignores its " + count(f.messages(), "initiation");
            case PRESHARED_KEY_MISMATCH -> "the PresharedKeys differ (" + count(f.messages(), "answered handshake")
                    + " never confirmed: the initiator drops each response and tries again)";
            case STALE_TIMESTAMP -> "the server ignores " + count(f.messages(), "initiation") + " of " + f.key()
                    + (f.keyName() != null ? " (" + f.keyName() + ")" : "")
                    + " as replays: their TAI64N timestamp is not after one it already accepted (the client's clock went back?)";
            case ANSWERS_LOST -> count(f.messages(), "answer") + " left one capture point and never reached the other, which saw"
                    + " the initiations go out (answers lost on the way back)";
            case UNREACHABLE -> "the initiations never reach the server (" + f.keyName() + " for " + f.to() + ", "
                    + count(f.messages(), "time") + ")";
        };
    }

    /** The evidence: frames, times, endpoints. */
    public static String evidence(NoConnectFinding f) {
        return (f.capture() != null ? f.capture() + " " : "") + "frames " + f.frames().stream().map(String::valueOf).collect(Collectors.joining(", "))
                + (f.messages() > f.frames().size() ? ", ..." : "") + " from " + f.from() + " to " + f.to()
                + ", " + clock(f.firstTime()) + (f.messages() > 1 ? " to " + clock(f.lastTime()) : "") + " UTC";
    }

    /** Where to fix it, e.g. {@code phone.conf line 7, [Peer]: PublicKey = ...}. */
    public static String fix(NoConnectFinding f) {
        NoConnectFinding.Fix x = f.fix();
        String where = x.file() == null ? "the " + x.whose() + "'s config" : x.file() + (x.line() > 0 ? " line " + x.line() : "");
        String what = switch (f.cause()) {
            case WRONG_SERVER_KEY -> x.value() != null ? "set " + x.attribute() + " = " + x.value() + " (the server's public key)"
                    : "set " + x.attribute() + " to the server's public key (wg show on the server)";
            case UNKNOWN_PEER -> "add a [Peer] with " + x.attribute() + " = " + x.value() + " and the client's AllowedIPs";
            case PRESHARED_KEY_MISMATCH -> "make " + x.attribute() + " the same on both sides (or remove it from both)";
            case STALE_TIMESTAMP -> "set the client's clock right, or make the server forget the old timestamp by removing and"
                    + " re-adding this [Peer] (wg set <interface> peer " + x.value() + " remove, then wg syncconf)";
            case ANSWERS_LOST -> "nothing in the configs: let UDP from " + f.from() + " in to " + f.to()
                    + " (an inbound firewall or NAT rule between the two capture points drops it)";
            case UNREACHABLE -> "check " + x.attribute() + " = " + f.to() + " against the server's address and ListenPort";
        };
        if (x.section() == null) return what;
        String section = x.line() == 0 && f.cause().name().equals("UNKNOWN_PEER") ? "new [Peer] section" : x.section() + " section";
        return where + ", " + section + ": " + what;
    }

    private static String clock(String epochSeconds) {
        java.math.BigDecimal s = new java.math.BigDecimal(epochSeconds);
        return Times.wallClock(s.movePointRight(9).longValue(), Math.max(0, s.scale()));
    }

    private static String count(int n, String noun) {
        return String.format(Locale.ROOT, "%d %s%s", n, noun, n == 1 ? "" : "s");
    }
}
