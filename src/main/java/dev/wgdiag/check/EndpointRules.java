package dev.wgdiag.check;

import dev.wgdiag.advice.Advisor;
import dev.wgdiag.config.Attribute;
import dev.wgdiag.config.LocatedConfig.Peer;
import dev.wgdiag.config.PeerEndpoint;
import dev.wgdiag.net.Endpoint;
import java.util.Optional;

/**
 * Endpoints and ports. A handshake starts only from a side that knows the other's Endpoint, and
 * reaches the other side only at its ListenPort (wg(8): without ListenPort "chosen randomly").
 * The side that dials through a NAT keeps its mapping open only with PersistentKeepalive: the
 * other side cannot reach it first (wg(8) PersistentKeepalive; the value is analyze's advice rule
 * without a measured mapping timeout, {@link Advisor#FIELD_KEEPALIVE_SECONDS}).
 */
final class EndpointRules {
    private EndpointRules() {
    }

    static void check(CheckContext ctx) {
        for (Topology.Link l : ctx.topology().links()) {
            link(ctx, l.a(), l.b());
            link(ctx, l.b(), l.a());
            Topology.End a = l.a();
            Topology.End b = l.b();
            if (a.peer() != null && b.peer() != null && a.peer().endpoint() == null && b.peer().endpoint() == null
                    && !CheckContext.written(a.node().input(), a.peer(), Attribute.ENDPOINT)
                    && !CheckContext.written(b.node().input(), b.peer(), Attribute.ENDPOINT)) {
                ctx.add(a.node().file(), a.peer().line(), Severity.ERROR, Rule.NO_ENDPOINT, new Detail.NoEndpoint(b.node().file(), b.peer().line()));
            }
        }
        for (Topology.Node n : ctx.topology().nodes()) {
            keepaliveWithoutOtherFile(ctx, n);
            portSet(ctx, n);
        }
    }

    /** {@code dialer}'s [Peer] for {@code dialed} has an Endpoint. */
    private static void link(CheckContext ctx, Topology.End dialer, Topology.End dialed) {
        Peer p = dialer.peer();
        if (p == null || p.endpoint() == null) return;
        Integer port = dialed.node().listenPort();
        int endpointPort = p.endpoint().value().port();
        if (port == null) {
            if (dialed.node().iface().isPresent() && !CheckContext.written(dialed.node().input(), null, Attribute.LISTEN_PORT)) {
                ctx.add(dialed.node().file(), dialed.node().interfaceLine(), Severity.ERROR, Rule.NO_LISTEN_PORT,
                        new Detail.NoListenPort(dialer.node().file(), p.endpoint().line(), endpointPort));
            }
        } else if (port != endpointPort) {
            int portLine = dialed.node().iface().map(i -> i.listenPort().line()).orElse(0);
            ctx.add(dialer.node().file(), p.endpoint().line(), Severity.ERROR, Rule.ENDPOINT_PORT_MISMATCH,
                    new Detail.PortMismatch(endpointPort, dialed.node().file(), port, portLine));
        }
        // The dialed side has no Endpoint for the dialer: only the dialer can open the path, through its NAT.
        boolean oneWay = dialed.peer() == null || dialed.peer().endpoint() == null;
        if (oneWay) keepalive(ctx, dialer.node(), p);
    }

    /** A file given alone (or whose peer is not given): a roaming client, with no ListenPort of its own, that dials out. */
    private static void keepaliveWithoutOtherFile(CheckContext ctx, Topology.Node n) {
        if (n.listenPort() != null) return;
        for (Peer p : n.input().config().peers()) {
            if (p.endpoint() == null || ctx.topology().endOf(n, p).isPresent()) continue;
            keepalive(ctx, n, p);
        }
    }

    /**
     * analyze's advice rule (Advisor): a peer that talks to a public address from behind a NAT needs
     * PersistentKeepalive, {@link Advisor#FIELD_KEEPALIVE_SECONDS} without a measured mapping timeout, and one
     * longer than that is too long. From files alone: an Endpoint that is a public address or a host
     * name means the path crosses the Internet, and a dialer nobody dials back is the NAT side.
     */
    private static void keepalive(CheckContext ctx, Topology.Node n, Peer p) {
        PeerEndpoint e = p.endpoint().value();
        if (e.toEndpoint().map(Endpoint::isPrivate).orElse(false)) return;
        if (p.persistentKeepalive() == null && CheckContext.written(n.input(), p, Attribute.PERSISTENT_KEEPALIVE)) return;
        int current = p.persistentKeepalive() == null ? 0 : p.persistentKeepalive().value();
        int k = Advisor.FIELD_KEEPALIVE_SECONDS;
        if (current == 0) {
            ctx.add(n.file(), p.line(), Severity.NOTE, Rule.KEEPALIVE_MISSING, new Detail.Keepalive(k, 0, e.toString()));
        } else if (current > k) {
            ctx.add(n.file(), p.persistentKeepalive().line(), Severity.NOTE, Rule.KEEPALIVE_TOO_LONG,
                    new Detail.Keepalive(k, current, e.toString()));
        }
    }

    /**
     * On a port-restricted line only the ports of the set reach the Internet: a side that is dialed
     * must listen inside it (else nothing reaches it), a side that dials should (a random port is
     * translated into the set by the line's NAT, and comes back different after each restart).
     */
    private static void portSet(CheckContext ctx, Topology.Node n) {
        Optional<PortSet> set = ctx.options().portSet(n.input());
        if (set.isEmpty() || n.iface().isEmpty()) return;
        boolean dials = n.input().config().peers().stream().anyMatch(p -> p.endpoint() != null);
        boolean dialed = ctx.topology().links(n).stream().map(l -> l.other(n)).anyMatch(o -> o.peer() != null && o.peer().endpoint() != null);
        Integer port = n.listenPort();
        PortSet s = set.get();
        if (port == null) {
            if (dials && !dialed) {
                ctx.add(n.file(), n.interfaceLine(), Severity.WARNING, Rule.RANDOM_PORT_ON_PORT_SET, new Detail.PortSetPort(s, null, s.first()));
            }
        } else if (!s.contains(port)) {
            int line = n.iface().get().listenPort().line();
            ctx.add(n.file(), line, dialed || !dials ? Severity.ERROR : Severity.WARNING, Rule.LISTEN_PORT_OUTSIDE_PORT_SET,
                    new Detail.PortSetPort(s, port, s.first()));
        }
    }
}
