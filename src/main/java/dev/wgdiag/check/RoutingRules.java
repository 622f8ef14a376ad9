package dev.wgdiag.check;

import dev.wgdiag.config.IpPrefix;
import dev.wgdiag.config.LocatedConfig;
import dev.wgdiag.config.LocatedConfig.Located;
import dev.wgdiag.config.LocatedConfig.Peer;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * Addresses and routing. wg(8)'s cryptokey routing: a packet goes to the [Peer] whose AllowedIPs
 * hold its destination and is accepted from a peer only when its source is in that peer's
 * AllowedIPs; one prefix belongs to one peer (wg(8) set: a prefix given to a second peer is moved
 * there). wg-quick(8) adds a route for every AllowedIPs prefix (Table unset or auto; with a /0 it
 * uses its own table and fwmark rule), so a family without a /0 keeps its old default route.
 */
final class RoutingRules {
    private RoutingRules() {
    }

    static void check(CheckContext ctx) {
        for (Topology.Node n : ctx.topology().nodes()) {
            overlaps(ctx, n);
            scopes(ctx, n);
            fullTunnels(ctx, n);
            defaultRouteToClient(ctx, n);
        }
        for (Topology.Link l : ctx.topology().links()) {
            addressAllowed(ctx, l.a(), l.b());
            addressAllowed(ctx, l.b(), l.a());
        }
    }

    /** Two [Peer] sections of one file with overlapping AllowedIPs: an identical prefix is an error, a nested one a warning. */
    private static void overlaps(CheckContext ctx, Topology.Node n) {
        List<Peer> peers = n.input().config().peers();
        for (int j = 1; j < peers.size(); j++) {
            Peer later = peers.get(j);
            for (int i = 0; i < j; i++) {
                Peer earlier = peers.get(i);
                if (later.publicKey() != null && earlier.publicKey() != null
                        && later.publicKey().value().equals(earlier.publicKey().value())) continue; // one peer written twice
                for (Located<IpPrefix> b : later.allowedIps()) {
                    for (Located<IpPrefix> a : earlier.allowedIps()) {
                        if (!a.value().overlaps(b.value())) continue;
                        boolean same = a.value().network().equals(b.value().network());
                        ctx.add(n.file(), b.line(), same ? Severity.ERROR : Severity.WARNING,
                                same ? Rule.ALLOWED_IPS_DUPLICATE : Rule.ALLOWED_IPS_OVERLAP,
                                new Detail.Overlap(b.value(), a.value(), CheckContext.name(later), CheckContext.name(earlier), a.line()));
                    }
                }
            }
        }
    }

    /** Tunnel IPv6 addresses outside fd00::/8. */
    private static void scopes(CheckContext ctx, Topology.Node n) {
        n.iface().ifPresent(i -> {
            for (Located<IpPrefix> a : i.addresses()) {
                IpPrefix p = a.value();
                if (p.version() != 6) continue;
                Detail.Scope scope = null;
                Severity sev = Severity.WARNING;
                if (IpPrefix.parse("fe80::/10").contains(p.host())) scope = Detail.Scope.LINK_LOCAL;
                else if (IpPrefix.parse("fec0::/10").contains(p.host())) scope = Detail.Scope.SITE_LOCAL;
                else if (IpPrefix.parse("fc00::/8").contains(p.host())) {
                    scope = Detail.Scope.UNASSIGNED_ULA;
                    sev = Severity.NOTE;
                }
                if (scope != null) {
                    ctx.add(n.file(), a.line(), sev, Rule.IPV6_SCOPE, new Detail.Ipv6Scope(p, scope, ula(ctx, n, p)));
                }
            }
        });
    }

    /**
     * A unique local address to use instead: fd00::/8 with a 40-bit global ID (RFC 4193 section 3.2),
     * here the first 5 bytes of SHA-256 over the public key of the peer clients dial (so every file
     * of one tunnel gets the same prefix and a run gives the same answer), subnet 0, and the
     * original address's interface ID.
     */
    static IpPrefix ula(CheckContext ctx, Topology.Node n, IpPrefix original) {
        Topology.Node hub = n;
        for (Topology.Link l : ctx.topology().links(n)) {
            Topology.End mine = l.side(n);
            if (mine.peer() != null && mine.peer().endpoint() != null && l.other(n).node().publicKey() != null) {
                hub = l.other(n).node();
                break;
            }
        }
        byte[] seed = hub.publicKey() != null ? hub.publicKey().toBytes() : hub.file().getBytes(StandardCharsets.UTF_8);
        byte[] h;
        try {
            h = MessageDigest.getInstance("SHA-256").digest(seed);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
        BigInteger prefix = BigInteger.valueOf(0xfd);
        for (int i = 0; i < 5; i++) prefix = prefix.shiftLeft(8).or(BigInteger.valueOf(h[i] & 0xff));
        BigInteger iid = original.value().and(BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE));
        BigInteger v = prefix.shiftLeft(80).or(iid);
        int len = original.prefixLength() >= 48 ? original.prefixLength() : 64;
        return IpPrefix.parse(IpPrefix.format(6, v) + "/" + len);
    }

    private static boolean routesAdded(Topology.Node n) {
        String table = n.iface().map(LocatedConfig.Iface::table).map(Located::value).orElse(null);
        return table == null || table.equalsIgnoreCase("auto");
    }

    /** A /0 for one family without one for the other, and a /0 for a family this side has no address of. */
    private static void fullTunnels(CheckContext ctx, Topology.Node n) {
        if (!routesAdded(n)) return;
        for (Peer p : n.input().config().peers()) {
            boolean all4 = Prefixes.coversAll(p.allowedIps(), 4);
            boolean all6 = Prefixes.coversAll(p.allowedIps(), 6);
            if (all4 != all6) {
                int full = all4 ? 4 : 6;
                int leaking = all4 ? 6 : 4;
                List<String> sides = carriers(ctx, n, p, leaking);
                boolean carries = !sides.isEmpty();
                Severity sev = carries ? Severity.ERROR : leaking == 6 ? Severity.WARNING : Severity.NOTE;
                ctx.add(n.file(), Prefixes.coverLine(p.allowedIps(), full), sev, leaking == 6 ? Rule.IPV6_LEAK : Rule.IPV4_LEAK,
                        new Detail.Leak(leaking, carries, sides));
            }
            for (int family : new int[]{4, 6}) {
                boolean all = family == 4 ? all4 : all6;
                // Only when the other side has that family: without it, a /0 of a family nobody has is a
                // deliberate block (the fix IPV6_LEAK gives for a tunnel without IPv6).
                boolean theirs = ctx.topology().endOf(n, p).map(o -> Prefixes.hasFamily(o.node().addresses(), family)).orElse(false);
                if (all && theirs && !Prefixes.hasFamily(n.addresses(), family) && !n.addresses().isEmpty()) {
                    IpPrefix route = p.allowedIps().stream().map(Located::value).filter(a -> a.version() == family)
                            .min(java.util.Comparator.comparingInt(IpPrefix::prefixLength)).orElseThrow();
                    ctx.add(n.file(), Prefixes.coverLine(p.allowedIps(), family), Severity.NOTE, Rule.ROUTE_WITHOUT_ADDRESS,
                            new Detail.RouteWithoutAddress(family, route));
                }
            }
        }
    }

    /** The files whose tunnel has addresses of this family: this one, and the file this [Peer] stands for. */
    private static List<String> carriers(CheckContext ctx, Topology.Node n, Peer p, int family) {
        List<String> out = new ArrayList<>();
        if (Prefixes.hasFamily(n.addresses(), family)) out.add(n.file());
        ctx.topology().endOf(n, p).ifPresent(other -> {
            boolean theirs = Prefixes.hasFamily(other.node().addresses(), family)
                    || (other.peer() != null && other.peer().allowedIps().stream().anyMatch(a -> a.value().version() == family));
            if (theirs) out.add(other.node().file());
        });
        return out;
    }

    /**
     * A [Peer] that dials in (no Endpoint here, a ListenPort to be dialed) given a /0: wg-quick routes
     * all of this host's traffic of that family to that one client.
     */
    private static void defaultRouteToClient(CheckContext ctx, Topology.Node n) {
        if (!routesAdded(n) || n.listenPort() == null) return;
        for (Peer p : n.input().config().peers()) {
            if (p.endpoint() != null) continue;
            boolean dialsUs = ctx.topology().endOf(n, p).map(o -> o.peer() != null && o.peer().endpoint() != null).orElse(true);
            if (!dialsUs) continue;
            for (Located<IpPrefix> a : p.allowedIps()) {
                if (a.value().prefixLength() == 0) {
                    ctx.add(n.file(), a.line(), Severity.ERROR, Rule.DEFAULT_ROUTE_TO_CLIENT,
                            new Detail.DefaultRoute(a.value(), CheckContext.name(p)));
                }
            }
        }
    }

    /**
     * Each tunnel Address of the side that dials must be inside the AllowedIPs the other side has for
     * it, or the other side drops its packets (wg(8) cryptokey routing). The side that is dialed
     * (no Endpoint for the other, which has one for it) routes for others; its Address is not checked.
     */
    private static void addressAllowed(CheckContext ctx, Topology.End mine, Topology.End theirs) {
        if (theirs.peer() == null || mine.peer() == null) return;
        boolean dialed = mine.peer().endpoint() == null && theirs.peer().endpoint() != null;
        if (dialed) return;
        List<IpPrefix> allowed = theirs.peer().allowedIps().stream().map(Located::value).toList();
        int allowedLine = theirs.peer().allowedIps().isEmpty() ? theirs.peer().line() : theirs.peer().allowedIps().get(0).line();
        mine.node().iface().ifPresent(i -> {
            for (Located<IpPrefix> a : i.addresses()) {
                if (allowed.stream().noneMatch(x -> x.contains(a.value().host()))) {
                    ctx.add(mine.node().file(), a.line(), Severity.ERROR, Rule.ADDRESS_NOT_ALLOWED,
                            new Detail.AddressNotAllowed(a.value(), theirs.node().file(), allowedLine, allowed));
                }
            }
        });
    }
}
