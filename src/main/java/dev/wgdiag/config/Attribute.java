package dev.wgdiag.config;

import java.util.Locale;
import java.util.Optional;

/**
 * Every attribute a wg-quick config may hold, with its section, who reads it and whether a second
 * occurrence adds to the first or replaces it. Sources: wg(8) CONFIGURATION FILE FORMAT (PrivateKey,
 * ListenPort, FwMark, PublicKey, PresharedKey, AllowedIPs, Endpoint, PersistentKeepalive) and
 * wg-quick(8) CONFIGURATION (Address, DNS, MTU, Table, PreUp, PostUp, PreDown, PostDown, SaveConfig).
 * Names are case-insensitive in both (wg: strcasecmp in src/config.c; wg-quick: {@code shopt -s nocasematch}).
 */
public enum Attribute {
    PRIVATE_KEY("PrivateKey", Section.INTERFACE, Reader.WG, Repeat.REPLACES),
    LISTEN_PORT("ListenPort", Section.INTERFACE, Reader.WG, Repeat.REPLACES),
    FW_MARK("FwMark", Section.INTERFACE, Reader.WG, Repeat.REPLACES),
    ADDRESS("Address", Section.INTERFACE, Reader.WG_QUICK, Repeat.ADDS),
    DNS("DNS", Section.INTERFACE, Reader.WG_QUICK, Repeat.ADDS),
    MTU("MTU", Section.INTERFACE, Reader.WG_QUICK, Repeat.REPLACES),
    TABLE("Table", Section.INTERFACE, Reader.WG_QUICK, Repeat.REPLACES),
    SAVE_CONFIG("SaveConfig", Section.INTERFACE, Reader.WG_QUICK, Repeat.REPLACES),
    PRE_UP("PreUp", Section.INTERFACE, Reader.WG_QUICK, Repeat.ADDS),
    POST_UP("PostUp", Section.INTERFACE, Reader.WG_QUICK, Repeat.ADDS),
    PRE_DOWN("PreDown", Section.INTERFACE, Reader.WG_QUICK, Repeat.ADDS),
    POST_DOWN("PostDown", Section.INTERFACE, Reader.WG_QUICK, Repeat.ADDS),
    PUBLIC_KEY("PublicKey", Section.PEER, Reader.WG, Repeat.REPLACES),
    PRESHARED_KEY("PresharedKey", Section.PEER, Reader.WG, Repeat.REPLACES),
    ALLOWED_IPS("AllowedIPs", Section.PEER, Reader.WG, Repeat.ADDS),
    ENDPOINT("Endpoint", Section.PEER, Reader.WG, Repeat.REPLACES),
    PERSISTENT_KEEPALIVE("PersistentKeepalive", Section.PEER, Reader.WG, Repeat.REPLACES);

    /** The two kinds of section (wg(8): "[Interface]" and "[Peer]"). */
    public enum Section {
        INTERFACE("Interface"), PEER("Peer");

        private final String title;

        Section(String title) {
            this.title = title;
        }

        /** "Interface" or "Peer", as written between the brackets. */
        public String title() {
            return title;
        }
    }

    /** Who interprets the attribute: wg(8) itself, or wg-quick(8), which keeps it from wg. */
    public enum Reader {
        WG, WG_QUICK
    }

    /**
     * What a second occurrence in one section does: {@code ADDS} to a list (wg-quick appends Address,
     * DNS and hooks; wg appends AllowedIPs) or {@code REPLACES} the first (the later value wins).
     */
    public enum Repeat {
        ADDS, REPLACES
    }

    private final String spelling;
    private final Section section;
    private final Reader reader;
    private final Repeat repeat;

    Attribute(String spelling, Section section, Reader reader, Repeat repeat) {
        this.spelling = spelling;
        this.section = section;
        this.reader = reader;
        this.repeat = repeat;
    }

    /** The name as the man pages write it. */
    public String spelling() {
        return spelling;
    }

    public Section section() {
        return section;
    }

    public Reader reader() {
        return reader;
    }

    public Repeat repeat() {
        return repeat;
    }

    /** True for the attributes that hold a key (their values are secrets or identities). */
    public boolean isKey() {
        return this == PRIVATE_KEY || this == PUBLIC_KEY || this == PRESHARED_KEY;
    }

    /** The attribute with this name (any case) in any section. */
    public static Optional<Attribute> named(String name) {
        for (Attribute a : values()) {
            if (a.spelling.equalsIgnoreCase(name.strip())) return Optional.of(a);
        }
        return Optional.empty();
    }

    /** The attribute with this name (any case) in this section. */
    public static Optional<Attribute> named(Section section, String name) {
        return named(name).filter(a -> a.section == section);
    }

    /**
     * The attribute of this section a misspelled name most likely means: whitespace removed (wg drops
     * all whitespace from a line before parsing it), then at most one edit for names up to five
     * letters and two for longer ones (insertions, deletions, substitutions, swaps of neighbours).
     */
    public static Optional<Attribute> closest(Section section, String name) {
        String n = name.replaceAll("\\s+", "").toLowerCase(Locale.ROOT);
        Attribute best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (Attribute a : values()) {
            if (a.section != section) continue;
            String s = a.spelling.toLowerCase(Locale.ROOT);
            int d = EditDistance.of(n, s);
            int limit = s.length() <= 5 ? 1 : 2;
            if (d <= limit && d < bestDistance) {
                best = a;
                bestDistance = d;
            }
        }
        return Optional.ofNullable(best);
    }

    /** The section title a misspelled header (without brackets) most likely means. */
    public static Optional<Section> closestSection(String title) {
        String n = title.replaceAll("\\s+", "").toLowerCase(Locale.ROOT);
        for (Section s : Section.values()) {
            String t = s.title().toLowerCase(Locale.ROOT);
            if (EditDistance.of(n, t) <= 2) return Optional.of(s);
        }
        return Optional.empty();
    }
}
