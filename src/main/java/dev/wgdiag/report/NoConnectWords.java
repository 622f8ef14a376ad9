package dev.wgdiag.report;

import dev.wgdiag.keys.NoConnectFinding;
import dev.wgdiag.time.Times;

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
        boolean connected = findings.stream().allMatch(f -> f.cause().compareTo(dev.wgdiag.keys.NoConnectCause.TRANSPORT_ONE_WAY) >= 0);
        for (NoConnectFinding f : findings) {
            String s = cause(f);
            if (connected && s.startsWith("connected, but ")) s = s.substring("connected, but ".length());
            if (!parts.contains(s)) parts.add(s);
        }
        return (connected ? "Connected but nothing works: " : "Does not connect: ") + String.join("; ", parts) + ".";
    }

    /** The heading over the causes: a tunnel that does not connect, or one that connects and carries nothing. */
    public static String heading(List<NoConnectFinding> findings) {
        boolean connected = findings.stream().allMatch(f -> f.cause().compareTo(dev.wgdiag.keys.NoConnectCause.TRANSPORT_ONE_WAY) >= 0);
        return connected ? "Why nothing works through it" : "Why it does not connect";
    }

    /** One cause in a phrase. */
    public static String cause(NoConnectFinding f) {
        return switch (f.cause()) {
            case WRONG_SERVER_KEY -> "the client's [Peer] PublicKey is not the server's key (mac1 of "
                    + Words.count(f.messages(), "initiation") + " matches no key the server has)";
            case UNKNOWN_PEER -> "the server has no [Peer] for the client's key " + f.key()
                    + (f.keyName() != null ? " (" + f.keyName() + ")" : "") + ", so it ignores its " + Words.count(f.messages(), "initiation");
            case PRESHARED_KEY_MISMATCH -> "the PresharedKeys differ (" + Words.count(f.messages(), "answered handshake")
                    + " never confirmed: the initiator drops each response and tries again)";
            case STALE_TIMESTAMP -> "the server ignores " + Words.count(f.messages(), "initiation") + " of " + f.key()
                    + (f.keyName() != null ? " (" + f.keyName() + ")" : "")
                    + " as replays: their TAI64N timestamp is not after one it already accepted (the client's clock went back?)";
            case ANSWERS_LOST -> Words.count(f.messages(), "answer") + " left one capture point and never reached the other, which saw"
                    + " the initiations go out (answers lost on the way back)";
            case UNREACHABLE -> "the initiations never reach the server (" + f.keyName() + " for " + f.to() + ", "
                    + Words.count(f.messages(), "time") + ")";
            case NOT_ANSWERED -> Words.count(f.messages(), "initiation") + " to " + f.to() + " never answered and no ICMP error:"
                    + " from the client's side answers lost on the way back or initiations that never reach the server"
                    + others(f, 2) + " (one capture cannot tell)";
            case TRANSPORT_ONE_WAY -> "connected, but transport data flows one way only (" + Words.count(f.messages(), "data message")
                    + " from " + f.from() + ", " + sizes(f) + "; " + (f.inner().received() > 0
                    ? "only " + Words.count(f.inner().received(), "keepalive") : "nothing") + " back)";
            case SOURCE_NOT_ALLOWED -> "connected, but the receiver drops what " + f.inner().source()
                    + " sends: that inner source is not in its AllowedIPs for the sender (" + Words.count(f.messages(), "packet") + ", "
                    + (f.inner().received() == 0 ? "nothing" : Words.count(f.inner().received(), "packet")) + " back)";
            case NOT_FORWARDED -> "connected, but nothing comes back from beyond the server: it does not forward or does not masquerade ("
                    + innerSent(f) + ")";
            case NO_MASQUERADE -> "connected, but nothing comes back from beyond the server: its PostUp has no masquerade rule, so"
                    + " replies cannot find the way back to " + f.inner().source() + " (" + innerSent(f) + ")";
            case NO_FORWARDING -> "connected, but nothing comes back from beyond the server although its PostUp masquerades: it does"
                    + " not forward (net.ipv4.ip_forward = 0, or a forward chain drops) (" + innerSent(f) + ")";
            case DNS_UNANSWERED -> "connected, but DNS at " + String.join(", ", f.inner().destinations()) + " never answers ("
                    + count(f.messages(), "query", "queries") + " over UDP/53, no answer) while other traffic beyond the server is answered";
            case MTU_BLACK_HOLE -> "connected, but large packets vanish: inner packets to " + String.join(", ", f.inner().destinations())
                    + " are answered at up to " + f.inner().largestAnswered() + " bytes and never at " + f.inner().smallestLost()
                    + " bytes or more (an MTU black hole beyond the server: the ICMP 'fragmentation needed' is lost)";
        };
    }

    /** How sure, when not sure, and what else it may be. */
    public static String confidence(NoConnectFinding f) {
        if (f.confidence() == NoConnectFinding.Confidence.HIGH && f.alternatives().isEmpty()) return null;
        String s = f.confidence().name().toLowerCase(Locale.ROOT) + " confidence";
        if (!f.alternatives().isEmpty()) {
            s += "; it may also be " + f.alternatives().stream().map(c -> c.name().toLowerCase(Locale.ROOT).replace('_', ' '))
                    .collect(Collectors.joining(", "));
        }
        return s;
    }

    private static String others(NoConnectFinding f, int skip) {
        List<String> o = new ArrayList<>();
        for (var c : f.alternatives()) {
            if (c.name().equals("WRONG_SERVER_KEY")) o.add("a client [Peer] PublicKey that is not the server's");
            if (c.name().equals("UNKNOWN_PEER")) o.add("a server without a [Peer] for the client");
        }
        return o.isEmpty() ? "" : ", or (not checked without the server's keys) " + String.join(" or ", o);
    }

    private static String sizes(NoConnectFinding f) {
        NoConnectFinding.Inner i = f.inner();
        return i.smallestSent() == i.largestSent() ? i.largestSent() + " bytes" : i.smallestSent() + "-" + i.largestSent() + " bytes";
    }

    private static String innerSent(NoConnectFinding f) {
        NoConnectFinding.Inner i = f.inner();
        return Words.count(i.sent(), "packet") + " (" + i.protocol() + ") from " + i.source() + " to " + String.join(", ", i.destinations())
                + ", " + (i.answered() == 0 ? "none" : Integer.toString(i.answered())) + " answered";
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
            case NOT_ANSWERED -> "nothing in the configs for certain: check the client's [Peer] Endpoint = " + f.to()
                    + " against the server's address and ListenPort, and that UDP gets there and back (capture at the server too)";
            case TRANSPORT_ONE_WAY -> "run wgdiag analyze again with --decrypt and the session keys";
            case SOURCE_NOT_ALLOWED -> "add " + x.value() + " to " + x.attribute()
                    + " of the client's [Peer] (or give the client an Address inside it)";
            case NOT_FORWARDED -> "on the server, turn forwarding on (sysctl -w net.ipv4.ip_forward=1) and masquerade the tunnel's"
                    + " addresses on the uplink, e.g. PostUp = iptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE"
                    + " (nft: add rule inet nat postrouting oifname \"eth0\" masquerade)";
            case NO_MASQUERADE -> "add PostUp = iptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE (eth0: the uplink; nft:"
                    + " add rule inet nat postrouting oifname \"eth0\" masquerade) and its PostDown";
            case NO_FORWARDING -> "turn forwarding on: PostUp = sysctl -w net.ipv4.ip_forward=1 (or net.ipv4.ip_forward = 1 in"
                    + " /etc/sysctl.conf), and let the tunnel through a forward chain: iptables -A FORWARD -i %i -j ACCEPT";
            case DNS_UNANSWERED -> "set DNS to a resolver that answers through the tunnel (one on the server, or one beyond it),"
                    + " not " + String.join(", ", f.inner().destinations());
            case MTU_BLACK_HOLE -> "set MTU = " + x.value() + " (below the smallest packet lost, " + f.inner().smallestLost()
                    + " bytes; the largest answered was " + f.inner().largestAnswered()
                    + "), or let ICMP 'fragmentation needed' through on the path";
        };
        if (x.section() == null) return what;
        String section = x.line() == 0 && f.cause().name().equals("UNKNOWN_PEER") ? "new [Peer] section" : x.section() + " section";
        return where + ", " + section + ": " + what;
    }

    private static String clock(dev.wgdiag.time.Timestamp t) {
        return Times.wallClock(t.nanos(), t.digits());
    }

    private static String count(int n, String one, String many) {
        return String.format(Locale.ROOT, "%d %s", n, n == 1 ? one : many);
    }
}
