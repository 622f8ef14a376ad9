package dev.wgdiag.advice;

import dev.wgdiag.net.Endpoint;

/**
 * Why a {@link Recommendation} has its value, one record per kind of reason, holding the numbers,
 * peers and endpoints the reason names; the report (report/AdviceWords) makes the words. A keepalive's
 * reason carries the interval in use ({@code inUse}, null without one), which is too long.
 */
public sealed interface Why {

    /** The NAT keeps the inside port ({@code kept}), so idle gaps bound nothing: wg(8)'s {@code seconds}. */
    record PortKept(PeerRef who, Fact.Translated kept, int seconds, Double inUse) implements Why {
    }

    /** Behind a NAT, no idle gap bounds its timeout ({@code contradictory}: the gaps contradict each other): wg(8)'s interval. */
    record NoBound(PeerRef who, boolean contradictory, int seconds, Double inUse) implements Why {
    }

    /** Only short survivals and no expiry anywhere: they bound nothing below wg(8)'s interval. */
    record ShortSurvivalOnly(NatOf nat, Lifetime bracket, int seconds, Double inUse) implements Why {
    }

    /** Only an upper bound: half of it, at most wg(8)'s 25 s. */
    record UpperOnly(NatOf nat, Lifetime bracket, int seconds, Double inUse) implements Why {
    }

    /** A proven lifetime: at most 80 % of it, and at most wg(8)'s 25 s. */
    record Bracketed(NatOf nat, Lifetime bracket, int seconds, Double inUse) implements Why {
    }

    /**
     * {@code who} picked a new source port between sessions: a fixed ListenPort {@code port}, inside the
     * line's ports when the user told them ({@code lineSet}; {@code portsFrom} says where the set came
     * from), else WireGuard's conventional port.
     */
    record NewSourcePort(PeerRef who, int port, boolean lineSet, String portsFrom) implements Why {
    }

    /** {@code who} listens on {@code configured}, outside its line's ports ({@code portsFrom}); {@code port} is inside. */
    record OutsidePortSet(PeerRef who, int configured, String portsFrom, int port) implements Why {
    }

    /** A router reported the path MTU: {@code mtu} is it minus the outer headers. */
    record PathMtuReported(int mtu) implements Why {
    }

    /** Datagrams were fragmented, no router said the size: {@code mtu} crossed whole (or IPv6's 1280). */
    record Fragmented(int mtu) implements Why {
    }

    /** The IPv4 path rebinds and {@code other}'s port answers over IPv6 at {@code at}. */
    record OverIpv6(Endpoint at, PeerRef other) implements Why {
    }
}
