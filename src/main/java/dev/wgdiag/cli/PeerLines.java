package dev.wgdiag.cli;

import dev.wgdiag.crypto.PublicKey;
import dev.wgdiag.net.Endpoint;
import dev.wgdiag.peer.InnerStack;
import dev.wgdiag.peer.PeerEvent;
import dev.wgdiag.peer.PeerStatus;
import dev.wgdiag.peer.Pinger;
import dev.wgdiag.peer.net.UdpDriver;
import dev.wgdiag.time.Timestamp;

import java.math.BigDecimal;
import java.math.MathContext;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The words of {@code wgdiag peer}: ping(8)'s lines (iputils 20221126: the reply line, the closing
 * statistics), the core's events that a capture cannot see, and the status line. The core only
 * returns types; this is where they become text.
 */
final class PeerLines {
    private PeerLines() {
    }

    /** iputils' first line: {@code PING 10.0.0.1 (10.0.0.1) 56(84) bytes of data.} / {@code PING ::1(::1) 56 data bytes}. */
    static String pingHeader(Pinger p) {
        String a = address(p.target());
        if (p.target() instanceof Inet4Address) {
            return "PING " + a + " (" + a + ") " + p.dataBytes() + "(" + (p.dataBytes() + 28) + ") bytes of data.";
        }
        return "PING " + a + "(" + a + ") " + p.dataBytes() + " data bytes";
    }

    /** {@code 64 bytes from 10.0.0.1: icmp_seq=1 ttl=64 time=0.512 ms}, with {@code (DUP!)} for a duplicate. */
    static String pingReply(Pinger.Reply r) {
        StringBuilder sb = new StringBuilder();
        sb.append(r.icmpBytes()).append(" bytes from ").append(address(r.from())).append(": icmp_seq=").append(r.sequence())
                .append(" ttl=").append(r.ttl());
        if (r.rttNanos() >= 0) sb.append(" time=").append(replyTime(r.rttNanos() / 1_000)).append(" ms");
        if (r.duplicate()) sb.append(" (DUP!)");
        return sb.toString();
    }

    /** iputils' reply time: three significant digits from microseconds (0.512, 1.23, 12.3, 123). */
    static String replyTime(long us) {
        if (us >= 100_000 - 50) return Long.toString((us + 500) / 1000);
        if (us >= 10_000 - 5) return (us + 50) / 1000 + "." + ((us + 50) % 1000) / 100;
        if (us >= 1000) return String.format(Locale.ROOT, "%d.%02d", (us + 5) / 1000, ((us + 5) % 1000) / 10);
        return String.format(Locale.ROOT, "%d.%03d", us / 1000, us % 1000);
    }

    /** The closing block: a blank line, {@code --- X ping statistics ---}, the counts and, with replies, the rtt line. */
    static List<String> pingStatistics(Pinger.Statistics s) {
        List<String> lines = new ArrayList<>();
        lines.add("");
        lines.add("--- " + address(s.target()) + " ping statistics ---");
        lines.add(s.transmitted() + " packets transmitted, " + s.received() + " received"
                + (s.duplicates() > 0 ? ", +" + s.duplicates() + " duplicates" : "")
                + ", " + percent(s.lossPercent()) + "% packet loss, time " + s.elapsedNanos() / 1_000_000 + "ms");
        if (s.minNanos() >= 0) {
            lines.add("rtt min/avg/max/mdev = " + ms(s.minNanos()) + "/" + ms(s.avgNanos()) + "/" + ms(s.maxNanos()) + "/"
                    + ms(s.mdevNanos()) + " ms");
        }
        return lines;
    }

    /** C's {@code %g}: six significant digits, no trailing zeros (33.3333, 100, 0). */
    static String percent(double v) {
        if (v == Math.rint(v)) return Long.toString((long) v);
        return new BigDecimal(v).round(new MathContext(6)).stripTrailingZeros().toPlainString();
    }

    /** Milliseconds with three decimals, truncated from microseconds as iputils prints them. */
    private static String ms(long nanos) {
        long us = nanos / 1000;
        return String.format(Locale.ROOT, "%d.%03d", us / 1000, us % 1000);
    }

    /**
     * A core event a capture cannot infer, or null for those the analysis already tells (handshakes,
     * keepalives) and first initiations: rejected datagrams with the reason, cookie replies, retried
     * and given-up handshakes, endpoint changes, zeroed keys.
     *
     * @param previous for ENDPOINT_CHANGED, the endpoint before (null: none was known)
     */
    static String event(PeerEvent e, Map<PublicKey, String> names, InetSocketAddress previous) {
        String words = switch (e.kind()) {
            case DATAGRAM_REJECTED -> "datagram rejected" + from(e) + ": " + cause(e.cause())
                    + (e.count() > 1 ? " (" + e.count() + " datagrams)" : "");
            case COOKIE_REPLY_SENT -> "cookie reply sent" + to(e) + ": under load, the initiator must retry with mac2"
                    + (e.count() > 1 ? " (" + e.count() + " initiations)" : "");
            case COOKIE_REPLY_RECEIVED -> "cookie reply received" + from(e) + ": the responder is under load; retrying with mac2";
            case HANDSHAKE_SENT -> e.count() > 1 || e.cause() == PeerEvent.Cause.RETRY || e.cause() == PeerEvent.Cause.COOKIE
                    ? "handshake retried" + to(e) + ": " + initiationCause(e.cause()) + ", attempt " + e.count() : null;
            case HANDSHAKE_GIVEN_UP -> "handshake given up" + ": no response after " + e.count()
                    + " attempts (REKEY_ATTEMPT_TIME, 90 s)";
            case ENDPOINT_CHANGED -> previous == null ? "endpoint learnt: " + endpoint(e.endpoint()) + " (the source of its first authenticated packet)"
                    : "endpoint changed: " + endpoint(previous) + " -> " + endpoint(e.endpoint()) + " (roaming: the source of an authenticated packet)";
            case KEYS_ZEROED -> "keys zeroed: no new handshake for 3 x REJECT_AFTER_TIME (540 s)";
            default -> null;
        };
        if (words == null) return null;
        String peer = e.peer() == null ? null : names.getOrDefault(e.peer(), e.peer().shortForm());
        return Timestamp.of(e.nanos(), 3).clock() + "  " + words + (peer == null ? "" : "  peer " + peer);
    }

    private static String from(PeerEvent e) {
        return e.endpoint() == null ? "" : " from " + endpoint(e.endpoint());
    }

    private static String to(PeerEvent e) {
        return e.endpoint() == null ? "" : " to " + endpoint(e.endpoint());
    }

    /** {@code 192.0.2.1:51820} or {@code [2001:db8::1]:51820} (RFC 5952 text, as everywhere in wgdiag). */
    static String endpoint(InetSocketAddress a) {
        return a == null ? "none" : Endpoint.of(a.getAddress(), a.getPort()).toString();
    }

    /** An address as ping(8) prints it: dotted quad, or RFC 5952 compressed IPv6 ({@code fd86:ea04:1119::1}). */
    static String address(InetAddress a) {
        return Endpoint.of(a, 0).address();
    }

    /** Why an initiation went out again (wireguard-go timers.go / send.go). */
    static String initiationCause(PeerEvent.Cause c) {
        return switch (c) {
            case RETRY -> "no response within REKEY_TIMEOUT (5 s)";
            case COOKIE -> "with mac2 from the cookie reply";
            case DATA_QUEUED -> "data waiting, no response yet";
            case NO_REPLY_AFTER_DATA -> "data sent and nothing heard for 15 s";
            case SESSION_EXPIRED -> "session expired";
            default -> c.name().toLowerCase(Locale.ROOT).replace('_', ' ');
        };
    }

    static String cause(PeerEvent.Cause c) {
        return switch (c) {
            case TOO_SHORT -> "too short for a WireGuard message";
            case UNKNOWN_TYPE -> "not a WireGuard message type";
            case WRONG_SIZE -> "wrong size for its message type";
            case BAD_MAC1 -> "bad mac1 (not meant for this interface's public key)";
            case BAD_MAC2 -> "missing or stale mac2 while under load";
            case RATE_LIMITED -> "rate-limited (too many initiations from this address)";
            case UNKNOWN_PEER -> "initiation from a public key that is not a [Peer] of the config";
            case UNKNOWN_INDEX -> "unknown receiver index (an old or foreign session)";
            case STALE_TIMESTAMP -> "replayed initiation (timestamp not newer than the last one)";
            case INITIATION_FLOOD -> "initiations too frequent (more than one per 50 ms)";
            case DECRYPTION_FAILED -> "decryption failed";
            case REPLAYED_COUNTER -> "replayed or too old counter";
            case KEYPAIR_EXPIRED -> "session expired (REJECT_AFTER_TIME or REJECT_AFTER_MESSAGES)";
            case NOT_ALLOWED_SOURCE -> "inner source address not in the peer's AllowedIPs";
            case MALFORMED_INNER -> "malformed inner packet";
            default -> c.name().toLowerCase(Locale.ROOT).replace('_', ' ');
        };
    }

    /** Inner packets the stack dropped, as one note: {@code 3 not echo, 1 not our address}. */
    static String drops(Map<InnerStack.Drop, Long> drops) {
        List<String> parts = new ArrayList<>();
        for (InnerStack.Drop d : InnerStack.Drop.values()) {
            Long n = drops.get(d);
            if (n != null) parts.add(n + " " + d.name().toLowerCase(Locale.ROOT).replace('_', ' '));
        }
        return String.join(", ", parts);
    }

    /** The terminal status line: datagrams, then per peer its endpoint and last handshake. */
    static String status(UdpDriver.Status s) {
        if (s == null) return "starting";
        StringBuilder sb = new StringBuilder();
        sb.append(s.datagramsSent()).append(" sent, ").append(s.datagramsReceived()).append(" received");
        if (s.sendFailures() > 0) sb.append(", ").append(s.sendFailures()).append(" send failures");
        int shown = 0;
        for (PeerStatus p : s.peers()) {
            if (shown++ == 2) {
                sb.append(" | +").append(s.peers().size() - 2).append(" peers");
                break;
            }
            sb.append(" | ").append(p.name()).append(' ').append(endpoint(p.endpoint()));
            sb.append(p.lastHandshakeNanos() == 0 ? ", no handshake yet"
                    : String.format(Locale.ROOT, ", handshake %d s ago", (s.now() - p.lastHandshakeNanos()) / 1_000_000_000L));
        }
        return sb.toString();
    }
}
