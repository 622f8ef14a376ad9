package dev.wgdiag.check;

import dev.wgdiag.config.IpPrefix;
import dev.wgdiag.config.LocatedConfig.Iface;
import dev.wgdiag.config.LocatedConfig.Located;
import dev.wgdiag.config.LocatedConfig.Peer;
import dev.wgdiag.crypto.PrivateKey;
import dev.wgdiag.crypto.PublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Which file is which peer. A [Peer] section of file A stands for file B when its PublicKey is the
 * public key of B's PrivateKey. Where keys were mixed up, the same 32 bytes written as A's [Peer]
 * PublicKey and as B's PrivateKey also tie the two together (and the key rules say which half is
 * wrong). Where a key simply does not match, a [Peer] section is paired by what else it says about
 * the other file: AllowedIPs holding the other file's Address, an Endpoint port equal to its ListenPort.
 */
final class Topology {

    /** How a [Peer] section was found to stand for the other file. */
    enum Match {
        /** Its PublicKey is the public key of the other file's PrivateKey. */
        KEY,
        /** Its PublicKey holds the other file's PrivateKey itself (a private key pasted as a public one). */
        PRIVATE_IN_PEER,
        /** The other file's PrivateKey holds the key this section lists (a public key pasted as a private one). */
        PUBLIC_IN_PRIVATE,
        /** Its key matches nothing; paired by addresses and ports. */
        GUESSED
    }

    /** One file with the key it speaks with. */
    record Node(int index, CheckInput input, PrivateKey privateKey, PublicKey publicKey) {
        Optional<Iface> iface() {
            return input.config().iface();
        }

        String file() {
            return input.file();
        }

        List<IpPrefix> addresses() {
            return iface().map(i -> i.addresses().stream().map(Located::value).toList()).orElse(List.of());
        }

        Integer listenPort() {
            return iface().map(Iface::listenPort).map(Located::value).orElse(null);
        }

        int interfaceLine() {
            return iface().map(Iface::line).orElse(0);
        }
    }

    /** One side of a link: the node and its [Peer] section for the other side (null when it has none). */
    record End(Node node, Peer peer, Match match) {
    }

    /** Two files that are peers of each other. */
    record Link(End a, End b) {
        /** The side that is not {@code n}. */
        End other(Node n) {
            return a.node() == n ? b : a;
        }

        End side(Node n) {
            return a.node() == n ? a : b;
        }
    }

    private final List<Node> nodes;
    private final List<Link> links;

    private Topology(List<Node> nodes, List<Link> links) {
        this.nodes = List.copyOf(nodes);
        this.links = List.copyOf(links);
    }

    List<Node> nodes() {
        return nodes;
    }

    List<Link> links() {
        return links;
    }

    List<Link> links(Node n) {
        return links.stream().filter(l -> l.a().node() == n || l.b().node() == n).toList();
    }

    /** The node a [Peer] section stands for, if any. */
    Optional<End> endOf(Node n, Peer p) {
        for (Link l : links(n)) {
            End mine = l.side(n);
            if (mine.peer() == null) continue;
            boolean sameKey = p.publicKey() != null && mine.peer().publicKey() != null
                    && p.publicKey().value().equals(mine.peer().publicKey().value());
            if (mine.peer() == p || sameKey) return Optional.of(l.other(n));
        }
        return Optional.empty();
    }

    /** True when a wg genkey key: clamped as RFC 7748 section 5 decodeScalar25519 (low 3 bits clear, bit 254 set, bit 255 clear). */
    static boolean clamped(byte[] k) {
        return (k[0] & 7) == 0 && (k[31] & 0xc0) == 0x40;
    }

    static Topology of(List<CheckInput> inputs) {
        List<Node> nodes = new ArrayList<>();
        for (CheckInput in : inputs) {
            PrivateKey priv = in.config().iface().map(Iface::privateKey).map(Located::value).orElse(null);
            nodes.add(new Node(nodes.size(), in, priv, priv == null ? null : priv.publicKey()));
        }
        int n = nodes.size();
        Peer[][] peerOf = new Peer[n][n];
        Match[][] match = new Match[n][n];
        Set<Peer> used = new HashSet<>();
        for (Node x : nodes) {
            for (Peer p : x.input().config().peers()) {
                if (p.publicKey() == null) continue;
                byte[] listed = p.publicKey().value().toBytes();
                for (Node y : nodes) {
                    if (y == x) continue;
                    Match m = null;
                    if (y.publicKey() != null && y.publicKey().equals(p.publicKey().value())) {
                        m = Match.KEY;
                    } else if (y.privateKey() != null && Arrays.equals(y.privateKey().toBytes(), listed)) {
                        m = clamped(listed) ? Match.PRIVATE_IN_PEER : Match.PUBLIC_IN_PRIVATE;
                    }
                    if (m != null) {
                        used.add(p);
                        if (peerOf[x.index()][y.index()] == null) {
                            peerOf[x.index()][y.index()] = p;
                            match[x.index()][y.index()] = m;
                        }
                        break;
                    }
                }
            }
        }
        // One side found the other: find the other side's section for it among its unmatched ones.
        for (Node x : nodes) {
            for (Node y : nodes) {
                if (x == y || peerOf[x.index()][y.index()] != null || peerOf[y.index()][x.index()] == null) continue;
                Peer guess = guess(x, y, used, n == 2);
                if (guess != null) {
                    peerOf[x.index()][y.index()] = guess;
                    match[x.index()][y.index()] = Match.GUESSED;
                    used.add(guess);
                }
            }
        }
        // Neither side found the other: pair when both have a section that fits the other.
        for (Node x : nodes) {
            for (Node y : nodes) {
                if (x.index() >= y.index() || peerOf[x.index()][y.index()] != null || peerOf[y.index()][x.index()] != null) continue;
                Peer gx = guess(x, y, used, false);
                Peer gy = gx == null ? null : guess(y, x, used, false);
                if (gx != null && gy != null) {
                    peerOf[x.index()][y.index()] = gx;
                    match[x.index()][y.index()] = Match.GUESSED;
                    peerOf[y.index()][x.index()] = gy;
                    match[y.index()][x.index()] = Match.GUESSED;
                    used.add(gx);
                    used.add(gy);
                }
            }
        }
        List<Link> links = new ArrayList<>();
        for (Node x : nodes) {
            for (Node y : nodes) {
                if (x.index() >= y.index()) continue;
                Peer px = merged(x, peerOf[x.index()][y.index()]);
                Peer py = merged(y, peerOf[y.index()][x.index()]);
                if (px == null && py == null) continue;
                links.add(new Link(new End(x, px, match[x.index()][y.index()]), new End(y, py, match[y.index()][x.index()])));
            }
        }
        return new Topology(nodes, links);
    }

    /**
     * The peer as wg configures it when one file has several [Peer] sections with its PublicKey: one
     * peer that each section updates in turn (wg setconf, wireguard-tools src/config.c), so a later
     * section's values replace earlier ones where it has them, and its AllowedIPs replace the
     * earlier list whole, even when it has none (setconf replaces a peer's allowed IPs; CheckLabTest
     * shows it on a device). The first section's line names it.
     */
    private static Peer merged(Node x, Peer p) {
        if (p == null || p.publicKey() == null) return p;
        List<Peer> same = x.input().config().peers().stream()
                .filter(o -> o.publicKey() != null && o.publicKey().value().equals(p.publicKey().value())).toList();
        if (same.size() < 2) return p;
        Peer m = same.get(0);
        for (Peer o : same.subList(1, same.size())) {
            m = new Peer(m.line(), m.comment(), m.publicKey(), o.presharedKey() != null ? o.presharedKey() : m.presharedKey(),
                    o.allowedIps(), o.endpoint() != null ? o.endpoint() : m.endpoint(),
                    o.persistentKeepalive() != null ? o.persistentKeepalive() : m.persistentKeepalive(), m.named(), m.overruled());
        }
        return m;
    }

    /**
     * The unmatched [Peer] section of {@code x} that most likely stands for {@code y}: AllowedIPs that
     * hold y's Address (2 points for a specific prefix, 1 for a default route, which holds
     * everything) and an Endpoint port equal to y's ListenPort (2). The best section wins when no
     * other scores as much. {@code loneIsEnough}: a lone unmatched section is taken even at 0 (two
     * files, and y's keys already name x).
     */
    private static Peer guess(Node x, Node y, Set<Peer> used, boolean loneIsEnough) {
        List<Peer> free = x.input().config().peers().stream().filter(p -> !used.contains(p)).toList();
        Peer best = null;
        int bestScore = 0;
        boolean tie = false;
        for (Peer p : free) {
            int s = score(p, y);
            if (s > bestScore) {
                best = p;
                bestScore = s;
                tie = false;
            } else if (s == bestScore && s > 0) {
                tie = true;
            }
        }
        if (best != null && !tie) return best;
        if (bestScore == 0 && loneIsEnough && free.size() == 1) return free.get(0);
        return null;
    }

    private static int score(Peer p, Node y) {
        int s = 0;
        boolean specific = false;
        boolean any = false;
        for (IpPrefix a : y.addresses()) {
            for (Located<IpPrefix> allowed : p.allowedIps()) {
                if (allowed.value().contains(a.host())) {
                    if (allowed.value().prefixLength() == 0) any = true;
                    else specific = true;
                }
            }
        }
        s += specific ? 2 : any ? 1 : 0;
        Integer port = y.listenPort();
        if (port != null && p.endpoint() != null && p.endpoint().value().port() == port) s += 2;
        return s;
    }
}
