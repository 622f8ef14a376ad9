package dev.wgdiag.check;

import dev.wgdiag.config.LocatedConfig;
import dev.wgdiag.config.LocatedConfig.Located;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A server that clients send all their traffic to (a client's [Peer] for it holds 0.0.0.0/0 or
 * ::/0) must, for each family: let the kernel forward it (net.ipv4.ip_forward,
 * net.ipv6.conf.all.forwarding: off by default, Linux ip-sysctl.rst), let the firewall's FORWARD
 * chain pass it, and masquerade the clients' private or unique local source addresses on the uplink
 * (no router on the Internet routes RFC 1918 or RFC 4193 addresses back). wg-quick(8) runs PostUp
 * after the interface is up and PostDown after it is gone, with {@code %i} replaced by the
 * interface name, which is the config's file name.
 */
final class ForwardingRules {
    private ForwardingRules() {
    }

    static void check(CheckContext ctx) {
        for (Topology.Node n : ctx.topology().nodes()) {
            if (n.iface().isEmpty()) continue;
            LocatedConfig.Iface i = n.iface().get();
            List<Hooks.Command> up = commands(i.preUp(), i.postUp());
            List<Hooks.Command> down = commands(i.preDown(), i.postDown());
            forwarding(ctx, n, i, up);
            undo(ctx, n, i, down);
            names(ctx, n, up, down);
        }
    }

    @SafeVarargs
    private static List<Hooks.Command> commands(List<Located<String>>... hooks) {
        List<Hooks.Command> out = new ArrayList<>();
        for (List<Located<String>> h : hooks) {
            for (Located<String> l : h) out.addAll(Hooks.parse(l.value(), l.line()));
        }
        out.sort(java.util.Comparator.comparingInt(Hooks.Command::line));
        return out;
    }

    /** The families clients route everything of through n, each with one such client. */
    private static Map<Integer, Topology.Node> forwardedFamilies(CheckContext ctx, Topology.Node n) {
        Map<Integer, Topology.Node> out = new TreeMap<>();
        for (Topology.Link l : ctx.topology().links(n)) {
            Topology.End client = l.other(n);
            if (client.peer() == null || client.peer().endpoint() == null) continue; // a client dials its server
            for (int family : new int[]{4, 6}) {
                if (Prefixes.coversAll(client.peer().allowedIps(), family) && Prefixes.hasFamily(client.node().addresses(), family)) {
                    out.putIfAbsent(family, client.node());
                }
            }
        }
        return out;
    }

    private static void forwarding(CheckContext ctx, Topology.Node n, LocatedConfig.Iface i, List<Hooks.Command> up) {
        Map<Integer, Topology.Node> families = forwardedFamilies(ctx, n);
        if (families.isEmpty()) return;
        boolean unread = up.stream().anyMatch(c -> c instanceof Hooks.Other o && o.unread());
        Set<String> fwdChains = Hooks.forwardChains(up);
        int hookLine = i.postUp().isEmpty() ? i.line() : i.postUp().get(0).line();
        for (Map.Entry<Integer, Topology.Node> e : families.entrySet()) {
            int family = e.getKey();
            int other = family == 4 ? 6 : 4;
            Topology.Node client = e.getValue();
            Detail.Forwarding d = new Detail.Forwarding(family, client.file(), unread, uplink(up, n), usesNft(up));
            boolean nat = client.addresses().stream().filter(a -> a.version() == family).anyMatch(Prefixes::needsNat);
            if (nat) {
                List<Hooks.Command> masq = up.stream().filter(Hooks::masquerades).filter(c -> Hooks.familiesOf(c).contains(family)).toList();
                List<Hooks.Command> onUplink = masq.stream().filter(c -> !isTunnel(Hooks.out(c), n)).toList();
                if (masq.isEmpty()) {
                    ctx.add(n.file(), hookLine, unread ? Severity.NOTE : Severity.ERROR, Rule.NO_MASQUERADE, d);
                } else if (onUplink.isEmpty()) {
                    ctx.add(n.file(), masq.get(0).line(), Severity.ERROR, Rule.MASQUERADE_ON_TUNNEL, d);
                }
            }
            boolean accept = up.stream().anyMatch(c -> Hooks.acceptsForward(c, fwdChains) && Hooks.familiesOf(c).contains(family));
            boolean otherAccept = up.stream().anyMatch(c -> Hooks.acceptsForward(c, fwdChains) && Hooks.familiesOf(c).contains(other));
            if (!accept) {
                // Asymmetric (the other family has its rule): the classic half-done IPv6 setup; else the
                // FORWARD policy decides (ACCEPT by default, DROP under Docker, ufw, firewalld).
                ctx.add(n.file(), hookLine, otherAccept && !unread ? Severity.WARNING : Severity.NOTE, Rule.NO_FORWARD_ACCEPT, d);
            }
            boolean sysctl = up.stream().anyMatch(c -> Hooks.enablesForwarding(c, family));
            boolean otherSysctl = up.stream().anyMatch(c -> Hooks.enablesForwarding(c, other));
            if (!sysctl) {
                ctx.add(n.file(), hookLine, otherSysctl && !unread ? Severity.WARNING : Severity.NOTE, Rule.NO_IP_FORWARDING, d);
            }
        }
    }

    /** The first uplink the hooks name (a masquerade's or forward rule's interface that is not the tunnel), or null. */
    private static String uplink(List<Hooks.Command> up, Topology.Node n) {
        for (Hooks.Command c : up) {
            if (!Hooks.adds(c)) continue;
            for (String name : new String[]{Hooks.out(c), Hooks.in(c)}) {
                String b = bare(name);
                if (b != null && !isTunnel(b, n) && !b.matches("wg[0-9]*|wg[-_].*") && !b.equals("lo")) return b;
            }
        }
        return null;
    }

    private static boolean usesNft(List<Hooks.Command> up) {
        return up.stream().anyMatch(c -> c instanceof Hooks.Nft) && up.stream().noneMatch(c -> c instanceof Hooks.Iptables);
    }

    /** Every rule, chain or table PostUp adds must be taken away by PostDown, or each restart adds another copy. */
    private static void undo(CheckContext ctx, Topology.Node n, LocatedConfig.Iface i, List<Hooks.Command> down) {
        List<Hooks.Command> postUp = commands(i.postUp());
        Map<Integer, List<Hooks.Command>> byLine = new LinkedHashMap<>();
        for (Hooks.Command c : postUp) {
            if (!Hooks.adds(c)) continue;
            if (down.stream().anyMatch(d -> Hooks.undoes(d, c))) continue;
            // a chain or rule inside a table that PostUp adds and PostDown deletes goes with the table
            byLine.computeIfAbsent(c.line(), k -> new ArrayList<>()).add(c);
        }
        for (Map.Entry<Integer, List<Hooks.Command>> e : byLine.entrySet()) {
            List<String> undo = new ArrayList<>();
            for (Hooks.Command c : e.getValue()) undo.add(Hooks.undo(c, postUp));
            ctx.add(n.file(), e.getKey(), Severity.WARNING, Rule.POSTDOWN_NOT_UNDONE,
                    new Detail.NotUndone(e.getValue().stream().map(Hooks.Command::text).toList(), undo));
        }
    }

    /** %i for the tunnel, one name for the uplink. */
    private static void names(CheckContext ctx, Topology.Node n, List<Hooks.Command> up, List<Hooks.Command> down) {
        String iface = n.input().interfaceName().orElse(null);
        List<Hooks.Command> all = new ArrayList<>(up);
        all.addAll(down);
        for (Hooks.Command c : all) {
            for (String name : new String[]{Hooks.in(c), Hooks.out(c)}) {
                String bare = bare(name);
                if (bare == null || bare.contains("%i") || iface == null || bare.equals(iface)) continue;
                if (looksLikeTunnel(ctx, bare)) {
                    ctx.add(n.file(), c.line(), Severity.ERROR, Rule.TUNNEL_NAME_LITERAL, new Detail.TunnelName(bare, iface));
                }
            }
        }
        String first = null;
        int firstLine = 0;
        for (Hooks.Command c : up) {
            if (!(c instanceof Hooks.Iptables || c instanceof Hooks.Nft) || !Hooks.adds(c)) continue;
            for (String name : new String[]{Hooks.in(c), Hooks.out(c)}) {
                String bare = bare(name);
                if (bare == null || isTunnel(bare, n) || looksLikeTunnel(ctx, bare) || bare.equals("lo")) continue;
                if (first == null) {
                    first = bare;
                    firstLine = c.line();
                } else if (!bare.equals(first)) {
                    ctx.add(n.file(), c.line(), Severity.WARNING, Rule.UPLINK_INCONSISTENT, new Detail.Uplinks(bare, first, firstLine));
                }
            }
        }
    }

    private static String bare(String name) {
        if (name == null) return null;
        String b = name.startsWith("!") ? name.substring(1) : name;
        return b.isEmpty() ? null : b;
    }

    /** %i, or the interface's own name written out. */
    static boolean isTunnel(String name, Topology.Node n) {
        String b = bare(name);
        return b != null && (b.contains("%i") || b.equals(n.input().interfaceName().orElse(null)));
    }

    /** A name that can only mean a WireGuard interface: wg0, wg1, ... or another checked file's interface. */
    private static boolean looksLikeTunnel(CheckContext ctx, String name) {
        if (name.matches("wg[0-9]*|wg[-_].*")) return true;
        return ctx.inputs().stream().anyMatch(in -> name.equals(in.interfaceName().orElse(null)));
    }

}
