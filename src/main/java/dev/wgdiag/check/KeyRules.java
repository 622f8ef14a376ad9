package dev.wgdiag.check;

import dev.wgdiag.config.Attribute;
import dev.wgdiag.config.LocatedConfig.Located;
import dev.wgdiag.config.LocatedConfig.Peer;
import dev.wgdiag.crypto.PresharedKey;
import java.util.List;

/**
 * Key pairing. A handshake needs each side's [Peer] PublicKey to be the public key of the other
 * side's PrivateKey (the Noise IK static keys, whitepaper section 5.4) and the same PresharedKey on
 * both sides, or none on either (wg(8): "PresharedKey ... optional", mixed into the handshake,
 * whitepaper section 5.4.2: an absent one is 32 zero bytes, so one side's key differs from the
 * other's zeros).
 */
final class KeyRules {
    private KeyRules() {
    }

    static void check(CheckContext ctx) {
        Topology t = ctx.topology();
        List<Topology.Node> nodes = t.nodes();
        for (Topology.Node x : nodes) {
            for (Topology.Node y : nodes) {
                if (y.index() >= x.index() || x.privateKey() == null || !x.privateKey().equals(y.privateKey())) continue;
                ctx.add(x.file(), keyLine(x), Severity.ERROR, Rule.SAME_PRIVATE_KEY, new Detail.KeyPlace(y.file(), keyLine(y)));
            }
        }
        for (Topology.Link l : t.links()) {
            side(ctx, l.a(), l.b());
            side(ctx, l.b(), l.a());
            presharedKeys(ctx, l.a(), l.b());
        }
        for (Topology.Node x : nodes) {
            if (x.privateKey() != null && !Topology.clamped(x.privateKey().toBytes())
                    && !ctx.has(x.file(), Rule.PRIVATE_KEY_HOLDS_PUBLIC_KEY)) {
                ctx.add(x.file(), keyLine(x), Severity.WARNING, Rule.PRIVATE_KEY_NOT_CLAMPED, new Detail.None());
            }
            if (nodes.size() > 1 && t.links(x).isEmpty()) {
                ctx.add(x.file(), 0, Severity.NOTE, Rule.UNRELATED_FILE, new Detail.None());
            }
        }
    }

    /** {@code mine} is x's [Peer] section for y. */
    private static void side(CheckContext ctx, Topology.End mine, Topology.End theirs) {
        Topology.Node x = mine.node();
        Topology.Node y = theirs.node();
        Peer p = mine.peer();
        if (p == null) {
            if (cloned(ctx, x) || cloned(ctx, y)) return; // a copied file: SAME_PRIVATE_KEY says it
            ctx.add(x.file(), x.interfaceLine(), Severity.ERROR, Rule.NO_PEER_FOR, new Detail.NoPeerFor(y.file(),
                    theirs.peer() == null ? 0 : theirs.peer().line(), y.publicKey() == null ? null : y.publicKey().shortForm()));
            return;
        }
        switch (mine.match()) {
            case KEY -> { }
            case PRIVATE_IN_PEER -> ctx.add(x.file(), p.publicKey().line(), Severity.ERROR, Rule.PUBLIC_KEY_HOLDS_PRIVATE_KEY,
                    new Detail.KeyPlace(y.file(), keyLine(y)));
            case PUBLIC_IN_PRIVATE -> ctx.add(y.file(), keyLine(y), Severity.ERROR, Rule.PRIVATE_KEY_HOLDS_PUBLIC_KEY,
                    new Detail.KeyPlace(x.file(), p.publicKey().line()));
            case GUESSED -> {
                if (p.publicKey() != null && y.publicKey() != null) {
                    ctx.add(x.file(), p.publicKey().line(), Severity.ERROR, Rule.PUBLIC_KEY_MISMATCH,
                            new Detail.KeyMismatch(y.file(), y.publicKey().shortForm(), p.publicKey().value().shortForm()));
                }
            }
        }
    }

    private static void presharedKeys(CheckContext ctx, Topology.End a, Topology.End b) {
        if (a.peer() == null || b.peer() == null) return;
        if (writtenButBad(a) || writtenButBad(b)) return;
        Located<PresharedKey> ka = a.peer().presharedKey();
        Located<PresharedKey> kb = b.peer().presharedKey();
        if (ka == null && kb == null) return;
        if (ka == null || kb == null) {
            Topology.End has = ka == null ? b : a;
            Topology.End lacks = ka == null ? a : b;
            ctx.add(has.node().file(), has.peer().presharedKey().line(), Severity.ERROR, Rule.PRESHARED_KEY_ONE_SIDE,
                    new Detail.Psk(lacks.node().file(), lacks.peer().line()));
        } else if (!ka.value().equals(kb.value())) {
            ctx.add(a.node().file(), ka.line(), Severity.ERROR, Rule.PRESHARED_KEY_DIFFERS,
                    new Detail.KeyPlace(b.node().file(), kb.line()));
        }
    }

    /** A PresharedKey line that did not parse (reported as a bad key): no claim about what it would be. */
    private static boolean writtenButBad(Topology.End e) {
        if (e.peer().presharedKey() != null) return false;
        return e.node().input().config().raw().sections().stream().filter(s -> s.line() == e.peer().line())
                .flatMap(s -> s.attributes().stream()).map(en -> en.attribute(Attribute.Section.PEER))
                .anyMatch(a -> a.isPresent() && a.get() == Attribute.PRESHARED_KEY);
    }

    /** True when another file speaks with the same private key. */
    private static boolean cloned(CheckContext ctx, Topology.Node n) {
        return n.privateKey() != null && ctx.topology().nodes().stream()
                .anyMatch(o -> o != n && n.privateKey().equals(o.privateKey()));
    }

    static int keyLine(Topology.Node n) {
        return n.iface().map(i -> i.privateKey() == null ? i.line() : i.privateKey().line()).orElse(0);
    }

}
