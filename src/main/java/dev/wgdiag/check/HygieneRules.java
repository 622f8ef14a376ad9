package dev.wgdiag.check;

import dev.wgdiag.config.Attribute;
import dev.wgdiag.config.ConfigException;
import dev.wgdiag.config.LocatedConfig;
import dev.wgdiag.config.LocatedConfig.Located;
import dev.wgdiag.config.LocatedConfig.Peer;
import dev.wgdiag.config.RawConfig;
import java.util.Base64;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * File hygiene: wg-quick's world-accessible warning and its file-name rule, lines neither wg nor
 * wg-quick accept (wg setconf: "Line unrecognized", "Key is not the correct length or format",
 * "A peer is missing a public key"), misspelled names with the spelling meant, attributes whose
 * second occurrence silently replaces the first, and a missing [Interface] or PrivateKey.
 */
final class HygieneRules {
    private HygieneRules() {
    }

    static void check(CheckContext ctx) {
        for (CheckInput in : ctx.inputs()) {
            String f = in.file();
            if (in.worldAccessible()) ctx.add(f, 0, Severity.WARNING, Rule.WORLD_ACCESSIBLE, new Detail.None());
            if (in.interfaceName().isEmpty()) ctx.add(f, 0, Severity.NOTE, Rule.FILE_NAME, new Detail.FileName(in.baseName()));
            LocatedConfig c = in.config();
            for (ConfigException p : c.problems()) problem(ctx, in, p);
            duplicates(ctx, in);
            if (c.iface().isEmpty()) {
                ctx.add(f, 0, Severity.ERROR, Rule.NO_INTERFACE, new Detail.None());
            } else if (c.iface().get().privateKey() == null && !badKeyIn(c, Attribute.Section.INTERFACE)
                    && !setsKeyInHook(c.iface().get())) {
                ctx.add(f, c.iface().get().line(), Severity.ERROR, Rule.NO_PRIVATE_KEY, new Detail.None());
            }
        }
    }

    private static void problem(CheckContext ctx, CheckInput in, ConfigException p) {
        String f = in.file();
        Attribute.Section section = section(p.section());
        switch (p.kind()) {
            case MALFORMED_LINE -> ctx.add(f, p.line(), Severity.ERROR, Rule.MALFORMED_LINE, new Detail.InSection(section));
            case OUTSIDE_SECTION -> ctx.add(f, p.line(), Severity.ERROR, Rule.OUTSIDE_SECTION, new Detail.Outside(p.attribute()));
            case UNKNOWN_SECTION -> {
                // A header is printed: mask anything that looks like a key pasted into it.
                String header = header(in.config(), p.line()).replaceAll("[A-Za-z0-9+/]{40,}={0,2}", "****");
                String inside = header.replaceAll("^\\[|]$", "");
                ctx.add(f, p.line(), Severity.ERROR, Rule.UNKNOWN_SECTION,
                        new Detail.UnknownSection(header, Attribute.closestSection(inside).orElse(null)));
            }
            case SECOND_INTERFACE -> ctx.add(f, p.line(), Severity.WARNING, Rule.SECOND_INTERFACE,
                    new Detail.Repeated(in.config().iface().map(LocatedConfig.Iface::line).orElse(0)));
            case UNKNOWN_ATTRIBUTE -> {
                Attribute.Section other = section == Attribute.Section.INTERFACE ? Attribute.Section.PEER : Attribute.Section.INTERFACE;
                boolean elsewhere = Attribute.named(other, p.attribute()).isPresent();
                ctx.add(f, p.line(), Severity.ERROR, Rule.UNKNOWN_ATTRIBUTE, new Detail.UnknownAttribute(section, p.attribute(),
                        elsewhere ? null : Attribute.closest(section, p.attribute()).orElse(null), elsewhere ? other : null));
            }
            case BAD_VALUE -> ctx.add(f, p.line(), Severity.ERROR, Rule.BAD_VALUE, new Detail.BadValue(section, p.attribute(), p.reason()));
            case BAD_KEY -> ctx.add(f, p.line(), Severity.ERROR, Rule.BAD_KEY,
                    new Detail.BadKey(section, p.attribute(), decodedBytes(entry(in.config(), p.line()).map(RawConfig.Entry::value).orElse(""))));
            case MISSING_PUBLIC_KEY -> ctx.add(f, p.line(), Severity.ERROR, Rule.PEER_WITHOUT_PUBLIC_KEY,
                    new Detail.PeerWithoutKey(peerAt(in.config(), p.line()).map(Peer::comment).orElse(null)));
            case UNREADABLE -> throw new IllegalStateException("an unreadable file never reaches the rules");
        }
    }

    /**
     * Attributes that take one value (wg(8) and wg-quick(8) keep the last one) written twice in one
     * section; the [Interface] sections of a file count as one (wg merges them).
     */
    private static void duplicates(CheckContext ctx, CheckInput in) {
        Map<Attribute, Integer> iface = new EnumMap<>(Attribute.class);
        Map<String, Integer> keys = new HashMap<>();
        for (RawConfig.Section s : in.config().raw().sections()) {
            Attribute.Section kind = switch (s.kind()) {
                case INTERFACE -> Attribute.Section.INTERFACE;
                case PEER -> Attribute.Section.PEER;
                default -> null;
            };
            if (kind == null) continue;
            Map<Attribute, Integer> seen = kind == Attribute.Section.INTERFACE ? iface : new EnumMap<>(Attribute.class);
            for (RawConfig.Entry e : s.attributes()) {
                Optional<Attribute> a = e.attribute(kind);
                if (a.isEmpty() || a.get().repeat() != Attribute.Repeat.REPLACES) continue;
                Integer first = seen.putIfAbsent(a.get(), e.line());
                if (first != null) {
                    ctx.add(in.file(), e.line(), Severity.WARNING, Rule.DUPLICATE_ATTRIBUTE,
                            new Detail.DuplicateAttribute(kind, a.get(), first));
                }
            }
        }
        for (Peer p : in.config().peers()) {
            if (p.publicKey() == null) continue;
            String key = p.publicKey().value().toBase64();
            Integer first = keys.putIfAbsent(key, p.line());
            if (first != null) {
                ctx.add(in.file(), p.line(), Severity.WARNING, Rule.DUPLICATE_PEER,
                        new Detail.DuplicatePeer(p.publicKey().value().shortForm(), first));
            }
        }
    }

    /** Bytes a key's text decodes to, -1 when it is not base64 (the text itself is never kept). */
    static int decodedBytes(String text) {
        try {
            // padding aside (wg wants exactly one '=' at the end), what the characters carry
            return Base64.getDecoder().decode(text.strip().replaceAll("=+$", "")).length;
        } catch (IllegalArgumentException e) {
            return -1;
        }
    }

    /** wg-quick(8)'s own example keeps the key out of the file: {@code PostUp = wg set %i private-key /path}. */
    private static boolean setsKeyInHook(LocatedConfig.Iface i) {
        return java.util.stream.Stream.of(i.preUp(), i.postUp()).flatMap(java.util.List::stream).map(Located::value)
                .anyMatch(h -> h.contains("private-key"));
    }

    private static boolean badKeyIn(LocatedConfig c, Attribute.Section s) {
        return c.problems().stream().anyMatch(p -> p.kind() == ConfigException.Kind.BAD_KEY && section(p.section()) == s);
    }

    static Attribute.Section section(String title) {
        if ("Interface".equals(title)) return Attribute.Section.INTERFACE;
        if ("Peer".equals(title)) return Attribute.Section.PEER;
        return null;
    }

    static Optional<RawConfig.Entry> entry(LocatedConfig c, int line) {
        return c.raw().sections().stream().flatMap(s -> s.entries().stream()).filter(e -> e.line() == line).findFirst();
    }

    private static String header(LocatedConfig c, int line) {
        return c.raw().sections().stream().filter(s -> s.line() == line).map(RawConfig.Section::header).findFirst().orElse("");
    }

    private static Optional<Peer> peerAt(LocatedConfig c, int line) {
        return c.peers().stream().filter(p -> p.line() == line).findFirst();
    }
}
