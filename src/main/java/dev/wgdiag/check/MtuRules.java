package dev.wgdiag.check;

import dev.wgdiag.advice.Advisor;
import dev.wgdiag.config.LocatedConfig;
import dev.wgdiag.config.LocatedConfig.Peer;
import dev.wgdiag.config.PeerEndpoint;
import dev.wgdiag.wire.Protocol;

/**
 * MTU. Each tunnel packet travels inside an outer IP packet with 8 bytes of UDP and 32 of WireGuard
 * (16 header, 16 tag: whitepaper section 5.4.6), so the tunnel MTU is the outer path MTU less 60
 * (IPv4 header 20) or 80 (IPv6 header 40). Without MTU wg-quick(8) takes the MTU of the interface
 * that routes to the endpoints, less 80 (linux.bash set_mtu_up), which on a host behind a router
 * is Ethernet's 1500 - 80 = 1420 whatever the line beyond the router carries. Linux turns IPv6 off
 * on an interface below 1280 (IPv6's minimum link MTU, RFC 8200 section 5).
 */
final class MtuRules {
    /** wg-quick's automatic MTU is the route's MTU less this (linux.bash set_mtu_up: {@code mtu - 80}). */
    static final int WG_QUICK_OVERHEAD = 80;
    private static final int UDP = 8;

    private MtuRules() {
    }

    static int overhead(int family) {
        return (family == 4 ? 20 : 40) + UDP + Protocol.MESSAGE_TRANSPORT_SIZE;
    }

    static void check(CheckContext ctx) {
        for (Topology.Node n : ctx.topology().nodes()) {
            if (n.iface().isEmpty()) continue;
            LocatedConfig.Iface i = n.iface().get();
            OuterLine own = ctx.options().line(n.input());
            boolean explicit = i.mtu() != null;
            int mtu = explicit ? i.mtu().value() : own.linkMtu() - WG_QUICK_OVERHEAD;
            int line = explicit ? i.mtu().line() : i.line();
            if (mtu < Advisor.MIN_IPV6_MTU && Prefixes.hasFamily(n.addresses(), 6)) {
                ctx.add(n.file(), line, Severity.ERROR, Rule.MTU_BELOW_IPV6_MINIMUM, new Detail.MtuBelowMinimum(mtu, Advisor.MIN_IPV6_MTU));
            }
            Detail.MtuTooLarge worst = null;
            for (Peer p : n.input().config().peers()) {
                Topology.End other = ctx.topology().endOf(n, p).orElse(null);
                PeerEndpoint e = null;
                if (p.endpoint() != null) {
                    e = p.endpoint().value();
                } else if (other != null && other.peer() != null && other.peer().endpoint() != null) {
                    e = other.peer().endpoint().value();
                }
                if (e == null) continue;
                OuterLine theirs = other == null ? null : ctx.options().line(other.node().input());
                Detail.MtuTooLarge d = path(mtu, explicit, e, own, theirs);
                if (d.recommended() < mtu && (worst == null || d.recommended() < worst.recommended())) worst = d;
            }
            if (worst != null) ctx.add(n.file(), line, Severity.WARNING, Rule.MTU_TOO_LARGE, worst);
        }
    }

    /** The largest tunnel MTU the path through {@code e} carries; a host name may be reached over either family. */
    private static Detail.MtuTooLarge path(int mtu, boolean explicit, PeerEndpoint e, OuterLine own, OuterLine theirs) {
        int family = e.isNumeric() ? (e.host().contains(":") ? 6 : 4) : 0;
        Detail.MtuTooLarge best = null;
        for (int f : family == 0 ? new int[]{4, 6} : new int[]{family}) {
            OuterLine narrow = own;
            int pathMtu = own.pathMtu(f);
            if (theirs != null && theirs.pathMtu(f) < pathMtu) {
                pathMtu = theirs.pathMtu(f);
                narrow = theirs;
            }
            int fits = pathMtu - overhead(f);
            if (best == null || fits < best.recommended()) {
                best = new Detail.MtuTooLarge(mtu, explicit, family, e.toString(), narrow, pathMtu, overhead(f), fits);
            }
        }
        return best;
    }
}
