package dev.wgdiag.config;

import dev.wgdiag.crypto.KeyFormatException;
import dev.wgdiag.crypto.PresharedKey;
import dev.wgdiag.crypto.PrivateKey;
import dev.wgdiag.crypto.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A config read leniently: every value that parses, each with the line it came from, and every
 * defect found on the way (as typed {@link ConfigException}s in line order) instead of stopping at
 * the first. {@link WgConfig#parse} is this with the first defect thrown.
 *
 * <p>Recovery, so that one slip does not hide the rest: a header or attribute name one or two edits
 * from a known one ({@code [Peers]}, {@code AllowedIP}) is read as that one (and still reported); a
 * second [Interface] adds to the first (wg does the same); lines of an unrecognisable section, lines
 * outside of every section and attributes of the other section are reported and skipped.
 */
public final class LocatedConfig {

    /** A value and the 1-based line it was written on. */
    public record Located<T>(T value, int line) {
    }

    /**
     * The [Interface] section; a null field means the attribute is absent; for a repeated attribute
     * that replaces, the last value (as wg and wg-quick use it).
     */
    public record Iface(int line, Located<PrivateKey> privateKey, Located<Integer> listenPort, Located<String> fwMark,
                        List<Located<IpPrefix>> addresses, List<Located<String>> dns, Located<Integer> mtu,
                        Located<String> table, Located<Boolean> saveConfig, List<Located<String>> preUp,
                        List<Located<String>> postUp, List<Located<String>> preDown, List<Located<String>> postDown) {
        public Iface {
            addresses = List.copyOf(addresses);
            dns = List.copyOf(dns);
            preUp = List.copyOf(preUp);
            postUp = List.copyOf(postUp);
            preDown = List.copyOf(preDown);
            postDown = List.copyOf(postDown);
        }

        @Override
        public String toString() {
            return "Iface[line " + line + ", privateKey=" + (privateKey == null ? "none" : "hidden") + ", addresses=" + addresses + "]";
        }
    }

    /**
     * A [Peer] section; a null field means the attribute is absent (or did not parse).
     *
     * @param comment   the peer's name from its comments ({@link PeerName#choose}), or null
     * @param named     that name with its style and line, or null
     * @param overruled names other comment styles gave that lost to {@code comment}
     */
    public record Peer(int line, String comment, Located<PublicKey> publicKey, Located<PresharedKey> presharedKey,
                       List<Located<IpPrefix>> allowedIps, Located<PeerEndpoint> endpoint,
                       Located<Integer> persistentKeepalive, PeerName named, List<PeerName> overruled) {
        public Peer {
            allowedIps = List.copyOf(allowedIps);
            overruled = List.copyOf(overruled);
        }

        @Override
        public String toString() {
            return "Peer[line " + line + ", publicKey=" + (publicKey == null ? "none" : publicKey.value()) + ", allowedIps="
                    + allowedIps + ", presharedKey=" + (presharedKey == null ? "none" : "hidden") + "]";
        }
    }

    private final RawConfig raw;
    private final Iface iface;
    private final List<Peer> peers;
    private final List<ConfigException> problems;

    private LocatedConfig(RawConfig raw, Iface iface, List<Peer> peers, List<ConfigException> problems) {
        this.raw = raw;
        this.iface = iface;
        this.peers = List.copyOf(peers);
        this.problems = List.copyOf(problems);
    }

    public RawConfig raw() {
        return raw;
    }

    public String name() {
        return raw.name();
    }

    /** The [Interface] section, empty when the file has none. */
    public Optional<Iface> iface() {
        return Optional.ofNullable(iface);
    }

    /** The [Peer] sections in file order, also those without a PublicKey. */
    public List<Peer> peers() {
        return peers;
    }

    /** Every defect, in the order a reader meets them. */
    public List<ConfigException> problems() {
        return problems;
    }

    /** Interprets the lines. */
    public static LocatedConfig of(RawConfig raw) {
        return new Interpreter(raw).run();
    }

    /** The strict model; sections and values that did not parse are left out. */
    WgConfig toWgConfig() {
        WgConfig.Builder b = WgConfig.builder().name(raw.name());
        if (iface != null) {
            InterfaceSection.Builder i = InterfaceSection.builder();
            if (iface.privateKey() != null) i.privateKey(iface.privateKey().value());
            if (iface.listenPort() != null) i.listenPort(iface.listenPort().value());
            if (iface.fwMark() != null) i.fwMark(iface.fwMark().value());
            iface.addresses().forEach(a -> i.addAddress(a.value()));
            iface.dns().forEach(d -> i.addDns(d.value()));
            if (iface.mtu() != null) i.mtu(iface.mtu().value());
            if (iface.table() != null) i.table(iface.table().value());
            if (iface.saveConfig() != null) i.saveConfig(iface.saveConfig().value());
            iface.preUp().forEach(c -> i.addPreUp(c.value()));
            iface.postUp().forEach(c -> i.addPostUp(c.value()));
            iface.preDown().forEach(c -> i.addPreDown(c.value()));
            iface.postDown().forEach(c -> i.addPostDown(c.value()));
            b.iface(i.build());
        }
        for (Peer p : peers) {
            if (p.publicKey() == null) continue;
            PeerSection.Builder s = PeerSection.builder().publicKey(p.publicKey().value())
                    .overruled(p.overruled()).line(p.line());
            if (p.named() != null) s.name(p.named());
            if (p.presharedKey() != null) s.presharedKey(p.presharedKey().value());
            p.allowedIps().forEach(a -> s.addAllowedIp(a.value()));
            if (p.endpoint() != null) s.endpoint(p.endpoint().value());
            if (p.persistentKeepalive() != null) s.persistentKeepalive(p.persistentKeepalive().value());
            b.addPeer(s.build());
        }
        return b.build();
    }

    /** The line as an error may quote it: values of key attributes (and anything that looks like a key) masked. */
    static String quote(String key, String value, boolean isKey) {
        // a key attribute's value is hidden whole; elsewhere only the key-like runs (Redaction)
        return key + " = " + (isKey ? "****" : dev.wgdiag.crypto.Redaction.maskKeys(value));
    }

    private static final class IfaceAcc {
        final int line;
        Located<PrivateKey> privateKey;
        Located<Integer> listenPort;
        Located<String> fwMark;
        final List<Located<IpPrefix>> addresses = new ArrayList<>();
        final List<Located<String>> dns = new ArrayList<>();
        Located<Integer> mtu;
        Located<String> table;
        Located<Boolean> saveConfig;
        final List<Located<String>> preUp = new ArrayList<>();
        final List<Located<String>> postUp = new ArrayList<>();
        final List<Located<String>> preDown = new ArrayList<>();
        final List<Located<String>> postDown = new ArrayList<>();

        IfaceAcc(int line) {
            this.line = line;
        }

        Iface build() {
            return new Iface(line, privateKey, listenPort, fwMark, addresses, dns, mtu, table, saveConfig, preUp, postUp,
                    preDown, postDown);
        }
    }

    private static final class PeerAcc {
        final int line;
        final String comment;
        Located<PublicKey> publicKey;
        Located<PresharedKey> presharedKey;
        final List<Located<IpPrefix>> allowedIps = new ArrayList<>();
        Located<PeerEndpoint> endpoint;
        Located<Integer> persistentKeepalive;

        final List<PeerName> overruled = new ArrayList<>();
        final PeerName named;

        PeerAcc(RawConfig.Section s) {
            this.line = s.line();
            this.named = PeerName.choose(s.above(), s.inside(), overruled).orElse(null);
            this.comment = named == null ? null : named.name();
        }

        Peer build() {
            return new Peer(line, comment, publicKey, presharedKey, allowedIps, endpoint, persistentKeepalive, named,
                    overruled);
        }
    }

    private static final class Interpreter {
        private final RawConfig raw;
        private final String file;
        private IfaceAcc iface;
        private final List<Peer> peers = new ArrayList<>();
        private final List<ConfigException> problems = new ArrayList<>();

        Interpreter(RawConfig raw) {
            this.raw = raw;
            this.file = raw.name();
        }

        LocatedConfig run() {
            for (RawConfig.Section s : raw.sections()) {
                section(s);
            }
            return new LocatedConfig(raw, iface == null ? null : iface.build(), peers, problems);
        }

        private void section(RawConfig.Section s) {
            Attribute.Section kind = switch (s.kind()) {
                case INTERFACE -> Attribute.Section.INTERFACE;
                case PEER -> Attribute.Section.PEER;
                case UNKNOWN -> {
                    problems.add(new ConfigException(ConfigException.Kind.UNKNOWN_SECTION, file, s.line(), null, null,
                            "unknown section " + s.header(), s.header()));
                    String inside = s.header().substring(1, s.header().endsWith("]") ? s.header().length() - 1 : s.header().length());
                    yield Attribute.closestSection(inside).orElse(null);
                }
                case NONE -> null;
            };
            if (s.kind() == RawConfig.Kind.NONE) {
                for (RawConfig.Entry e : s.entries()) {
                    if (e.malformed()) {
                        problems.add(new ConfigException(ConfigException.Kind.MALFORMED_LINE, file, e.line(), null, null,
                                "expected Key = Value", null));
                    } else {
                        boolean isKey = Attribute.named(e.key()).map(Attribute::isKey).orElse(false);
                        problems.add(new ConfigException(ConfigException.Kind.OUTSIDE_SECTION, file, e.line(), null, e.key(),
                                "attribute outside of a section", quote(e.key(), e.value(), isKey)));
                    }
                }
                return;
            }
            if (kind == null) return;
            if (kind == Attribute.Section.INTERFACE) {
                if (iface != null && s.kind() == RawConfig.Kind.INTERFACE) {
                    problems.add(new ConfigException(ConfigException.Kind.SECOND_INTERFACE, file, s.line(), "Interface", null,
                            "second [Interface] section", s.header()));
                } else if (iface == null) {
                    iface = new IfaceAcc(s.line());
                }
                for (RawConfig.Entry e : s.entries()) entry(kind, e, null);
            } else {
                PeerAcc peer = new PeerAcc(s);
                for (RawConfig.Entry e : s.entries()) entry(kind, e, peer);
                // a PublicKey that did not parse is reported as a bad key already; "missing" would say it twice
                boolean written = s.attributes().stream().anyMatch(e -> e.attribute(Attribute.Section.PEER)
                        .filter(a -> a == Attribute.PUBLIC_KEY).isPresent());
                if (peer.publicKey == null && !written) {
                    problems.add(new ConfigException(ConfigException.Kind.MISSING_PUBLIC_KEY, file, s.line(), "Peer", "PublicKey",
                            "missing", null));
                }
                peers.add(peer.build());
            }
        }

        private void entry(Attribute.Section kind, RawConfig.Entry e, PeerAcc peer) {
            String title = kind.title();
            if (e.malformed()) {
                problems.add(new ConfigException(ConfigException.Kind.MALFORMED_LINE, file, e.line(), title, null,
                        "expected Key = Value", null));
                return;
            }
            Optional<Attribute> known = Attribute.named(kind, e.key());
            Optional<Attribute> elsewhere = Attribute.named(e.key());
            boolean isKey = known.or(() -> elsewhere).map(Attribute::isKey).orElse(false);
            String quoted = quote(e.key(), e.value(), isKey);
            if (known.isEmpty()) {
                problems.add(new ConfigException(ConfigException.Kind.UNKNOWN_ATTRIBUTE, file, e.line(), title, e.key(),
                        "unknown attribute", quoted));
                if (elsewhere.isPresent()) return;
                known = Attribute.closest(kind, e.key());
                if (known.isEmpty()) return;
            }
            Attribute a = known.get();
            int line = e.line();
            String value = e.value();
            try {
                if (kind == Attribute.Section.INTERFACE) {
                    interfaceValue(a, value, line);
                } else {
                    peerValue(peer, a, value, line);
                }
            } catch (KeyFormatException ex) {
                problems.add(new ConfigException(ConfigException.Kind.BAD_KEY, file, line, title, e.key(), ex.getMessage(), quoted));
            } catch (IllegalArgumentException ex) {
                problems.add(new ConfigException(ConfigException.Kind.BAD_VALUE, file, line, title, e.key(), ex.getMessage(), quoted));
            }
        }

        private void interfaceValue(Attribute a, String value, int line) {
            IfaceAcc i = iface;
            switch (a) {
                case PRIVATE_KEY -> i.privateKey = new Located<>(PrivateKey.parse(value), line);
                case LISTEN_PORT -> i.listenPort = new Located<>(number(value, 0, 0xffff), line);
                case FW_MARK -> i.fwMark = new Located<>(fwMark(value), line);
                case ADDRESS -> {
                    for (String s : words(value)) i.addresses.add(new Located<>(IpPrefix.parse(s), line));
                }
                case DNS -> {
                    // wg-quick: addresses become name servers, anything else a search domain (RFC 1123 names)
                    for (String s : words(value)) {
                        if (!dev.wgdiag.net.HostNames.isHost(s)) throw new IllegalArgumentException("not an IP address or domain name");
                        i.dns.add(new Located<>(s, line));
                    }
                }
                case MTU -> i.mtu = new Located<>(number(value, 576, 65535), line);
                case TABLE -> i.table = new Located<>(value, line);
                case SAVE_CONFIG -> i.saveConfig = new Located<>(bool(value), line);
                case PRE_UP -> i.preUp.add(new Located<>(value, line));
                case POST_UP -> i.postUp.add(new Located<>(value, line));
                case PRE_DOWN -> i.preDown.add(new Located<>(value, line));
                case POST_DOWN -> i.postDown.add(new Located<>(value, line));
                default -> throw new IllegalStateException("not an [Interface] attribute: " + a);
            }
        }

        private static void peerValue(PeerAcc p, Attribute a, String value, int line) {
            switch (a) {
                case PUBLIC_KEY -> p.publicKey = new Located<>(PublicKey.parse(value), line);
                case PRESHARED_KEY -> p.presharedKey = new Located<>(PresharedKey.parse(value), line);
                case ALLOWED_IPS -> {
                    for (String s : list(value)) p.allowedIps.add(new Located<>(IpPrefix.parse(s), line));
                }
                case ENDPOINT -> p.endpoint = new Located<>(PeerEndpoint.parse(value), line);
                case PERSISTENT_KEEPALIVE -> p.persistentKeepalive = new Located<>(
                        value.equalsIgnoreCase("off") ? 0 : number(value, 0, 0xffff), line);
                default -> throw new IllegalStateException("not a [Peer] attribute: " + a);
            }
        }

        /** AllowedIPs: wg rejects an empty entry ("Unable to parse IP address: `'", a trailing comma included). */
        private static List<String> list(String value) {
            List<String> out = new ArrayList<>();
            for (String part : value.split(",", -1)) {
                String p = part.strip();
                if (p.isEmpty()) {
                    throw new IllegalArgumentException("empty list entry");
                }
                out.add(p);
            }
            return out;
        }

        /** Address and DNS: wg-quick splits at commas and blanks ({@code ${value//,/ }}), so empty entries vanish. */
        private static List<String> words(String value) {
            List<String> out = new ArrayList<>();
            for (String part : value.split("[,\\s]+")) {
                if (!part.isEmpty()) out.add(part);
            }
            return out;
        }

        private static int number(String value, int min, int max) {
            int n;
            try {
                n = Integer.parseInt(value);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a number");
            }
            if (n < min || n > max) {
                throw new IllegalArgumentException("out of range " + min + ".." + max);
            }
            return n;
        }

        private static String fwMark(String value) {
            if (value.equalsIgnoreCase("off")) {
                return "off";
            }
            try {
                long v = value.toLowerCase(Locale.ROOT).startsWith("0x") ? Long.parseLong(value.substring(2), 16)
                        : Long.parseLong(value);
                if (v < 0 || v > 0xffffffffL) {
                    throw new NumberFormatException();
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not \"off\" or a 32-bit number");
            }
            return value;
        }

        private static boolean bool(String value) {
            if (value.equalsIgnoreCase("true")) {
                return true;
            }
            if (value.equalsIgnoreCase("false")) {
                return false;
            }
            throw new IllegalArgumentException("not true or false");
        }
    }
}
