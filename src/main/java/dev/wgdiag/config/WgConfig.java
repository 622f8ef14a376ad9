package dev.wgdiag.config;

import dev.wgdiag.crypto.KeyFormatException;
import dev.wgdiag.crypto.PresharedKey;
import dev.wgdiag.crypto.PrivateKey;
import dev.wgdiag.crypto.PublicKey;
import dev.wgdiag.crypto.Redaction;
import dev.wgdiag.net.HostNames;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * A parsed wg(8) / wg-quick(8) config file: one [Interface], any number of [Peer]. Attribute names
 * are case-insensitive and '#' starts a comment (wireguard-tools src/config.c, wg-quick). Parsing
 * never runs hooks and never resolves host names.
 */
public final class WgConfig {
    private final String name;
    private final InterfaceSection iface;
    private final List<PeerSection> peers;
    private final List<String> warnings;

    private WgConfig(Builder b) {
        name = b.name;
        iface = b.iface == null ? InterfaceSection.builder().build() : b.iface;
        peers = List.copyOf(b.peers);
        warnings = List.copyOf(b.warnings);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The file name as given (e.g. {@code wg0.conf}). */
    public String name() {
        return name;
    }

    public InterfaceSection iface() {
        return iface;
    }

    public List<PeerSection> peers() {
        return peers;
    }

    /** Warnings like wg-quick's ({@code Warning: `wg0.conf' is world accessible}). */
    public List<String> warnings() {
        return warnings;
    }

    /** The peer with this public key. */
    public Optional<PeerSection> peer(PublicKey key) {
        return peers.stream().filter(p -> p.publicKey().equals(key)).findFirst();
    }

    @Override
    public String toString() {
        return "WgConfig[" + name + ", " + iface + ", peers=" + peers + "]";
    }

    public static final class Builder {
        private String name = "config";
        private InterfaceSection iface;
        private final List<PeerSection> peers = new ArrayList<>();
        private final List<String> warnings = new ArrayList<>();

        public Builder name(String n) {
            name = n;
            return this;
        }

        public Builder iface(InterfaceSection i) {
            iface = i;
            return this;
        }

        public Builder addPeer(PeerSection p) {
            peers.add(p);
            return this;
        }

        public Builder addWarning(String w) {
            warnings.add(w);
            return this;
        }

        public WgConfig build() {
            return new WgConfig(this);
        }
    }

    /** Parses a file and adds the world-accessible warning when group or others may read it. */
    public static WgConfig parse(Path path) throws ConfigException {
        String name = path.toString();
        WgConfig parsed;
        try (Reader r = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            parsed = parse(name, r);
        } catch (IOException e) {
            throw new ConfigException(name, 0, null, null, "cannot read: " + e.getClass().getSimpleName(), null);
        }
        Optional<String> warning = accessWarning(path);
        if (warning.isEmpty()) {
            return parsed;
        }
        Builder b = builder().name(parsed.name).iface(parsed.iface);
        parsed.peers.forEach(b::addPeer);
        b.addWarning(warning.get());
        parsed.warnings.forEach(b::addWarning);
        return b.build();
    }

    /**
     * wg-quick warns "Warning: `FILE' is world accessible" when others may read the file: its rule
     * (wireguard-tools src/wg-quick/linux.bash) is {@code file mode & directory mode & 0007 != 0}, so
     * a world-readable file in a directory others cannot enter gives no warning. File systems without
     * POSIX permissions give no warning.
     */
    static Optional<String> accessWarning(Path path) {
        Path dir = path.toAbsolutePath().getParent();
        int file = othersBits(path);
        int parent = dir == null ? 0 : othersBits(dir);
        return (file & parent) != 0 ? Optional.of("Warning: `" + path + "' is world accessible") : Optional.empty();
    }

    /** The "others" permission bits (0-7) of a file, or 0 when the file system has no POSIX permissions. */
    private static int othersBits(Path path) {
        PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
        if (view == null) return 0;
        try {
            Set<PosixFilePermission> perms = view.readAttributes().permissions();
            return (perms.contains(PosixFilePermission.OTHERS_READ) ? 4 : 0)
                    | (perms.contains(PosixFilePermission.OTHERS_WRITE) ? 2 : 0)
                    | (perms.contains(PosixFilePermission.OTHERS_EXECUTE) ? 1 : 0);
        } catch (IOException | UnsupportedOperationException e) {
            return 0;
        }
    }

    public static WgConfig parse(String name, Reader reader) throws ConfigException {
        return new Parser(name).parse(reader);
    }

    private static final class Parser {
        private final String file;
        private int lineNo;
        private String section;
        private InterfaceSection.Builder iface;
        private PeerSection.Builder peer;
        private int peerLine;
        private final Builder config = builder();
        private String lastComment;

        Parser(String file) {
            this.file = file;
            config.name(file);
        }

        WgConfig parse(Reader reader) throws ConfigException {
            BufferedReader br = reader instanceof BufferedReader b ? b : new BufferedReader(reader);
            try {
                for (String raw = br.readLine(); raw != null; raw = br.readLine()) {
                    lineNo++;
                    line(raw);
                }
            } catch (IOException e) {
                throw new ConfigException(file, lineNo, section, null, "cannot read: " + e.getMessage(), null);
            }
            finishPeer();
            if (iface != null) {
                config.iface(iface.build());
            }
            return config.build();
        }

        private void line(String raw) throws ConfigException {
            String trimmed = raw.strip();
            int hash = raw.indexOf('#');
            String content = (hash < 0 ? raw : raw.substring(0, hash)).strip();
            if (content.isEmpty()) {
                if (trimmed.startsWith("#")) {
                    // The comment above [Peer] names the peer in reports; a commented-out key is passed over.
                    String c = trimmed.substring(1).strip();
                    if (!Redaction.containsKeyLike(c)) lastComment = c;
                } else if (!trimmed.isEmpty()) {
                    lastComment = null;
                }
                return;
            }
            String comment = lastComment;
            lastComment = null;
            if (content.startsWith("[")) {
                String s = content.toLowerCase(Locale.ROOT);
                if (s.equals("[interface]")) {
                    finishPeer();
                    if (iface != null) {
                        throw error("Interface", null, "second [Interface] section", content);
                    }
                    iface = InterfaceSection.builder();
                    section = "Interface";
                } else if (s.equals("[peer]")) {
                    finishPeer();
                    peer = PeerSection.builder().name(comment);
                    peerLine = lineNo;
                    section = "Peer";
                } else {
                    throw error(null, null, "unknown section " + content, content);
                }
                return;
            }
            int eq = content.indexOf('=');
            if (eq < 0) {
                throw error(section, null, "expected Key = Value", content);
            }
            String key = content.substring(0, eq).strip();
            String value = content.substring(eq + 1).strip();
            if (section == null) {
                throw error(null, key, "attribute outside of a section", content);
            }
            String quoted = isKeyAttribute(key) ? key + " = ****" : content;
            try {
                if (section.equals("Interface")) {
                    interfaceAttribute(key, value, content);
                } else {
                    peerAttribute(key, value, content);
                }
            } catch (KeyFormatException e) {
                throw error(section, key, e.getMessage(), quoted);
            } catch (IllegalArgumentException e) {
                throw error(section, key, e.getMessage(), quoted);
            }
        }

        private static boolean isKeyAttribute(String key) {
            String k = key.toLowerCase(Locale.ROOT);
            return k.equals("privatekey") || k.equals("presharedkey") || k.equals("publickey");
        }

        private void interfaceAttribute(String key, String value, String content) throws ConfigException {
            switch (key.toLowerCase(Locale.ROOT)) {
                case "privatekey" -> iface.privateKey(PrivateKey.parse(value));
                case "listenport" -> iface.listenPort(number(value, 0, 0xffff));
                case "fwmark" -> iface.fwMark(fwMark(value));
                case "address" -> {
                    for (String a : list(value)) {
                        iface.addAddress(IpPrefix.parse(a));
                    }
                }
                case "dns" -> {
                    // wg-quick: addresses become name servers, anything else a search domain
                    for (String d : list(value)) {
                        if (!HostNames.isHost(d)) throw new IllegalArgumentException("not an IP address or domain name");
                        iface.addDns(d);
                    }
                }
                case "mtu" -> iface.mtu(number(value, 576, 65535));
                case "table" -> iface.table(value);
                case "saveconfig" -> iface.saveConfig(bool(value));
                case "preup" -> iface.addPreUp(value);
                case "postup" -> iface.addPostUp(value);
                case "predown" -> iface.addPreDown(value);
                case "postdown" -> iface.addPostDown(value);
                default -> throw error("Interface", key, "unknown attribute", content);
            }
        }

        private void peerAttribute(String key, String value, String content) throws ConfigException {
            switch (key.toLowerCase(Locale.ROOT)) {
                case "publickey" -> peer.publicKey(PublicKey.parse(value));
                case "presharedkey" -> peer.presharedKey(PresharedKey.parse(value));
                case "allowedips" -> {
                    for (String a : list(value)) {
                        peer.addAllowedIp(IpPrefix.parse(a));
                    }
                }
                case "endpoint" -> peer.endpoint(PeerEndpoint.parse(value));
                case "persistentkeepalive" -> peer.persistentKeepalive(
                        value.equalsIgnoreCase("off") ? 0 : number(value, 0, 0xffff));
                default -> throw error("Peer", key, "unknown attribute", content);
            }
        }

        private void finishPeer() throws ConfigException {
            if (peer == null) {
                return;
            }
            if (!peer.hasPublicKey()) {
                throw new ConfigException(file, peerLine, "Peer", "PublicKey", "missing", null);
            }
            config.addPeer(peer.build());
            peer = null;
        }

        private ConfigException error(String sec, String attr, String reason, String quoted) {
            return new ConfigException(file, lineNo, sec, attr, reason, quoted);
        }

        private static List<String> list(String value) {
            List<String> out = new ArrayList<>();
            for (String part : value.split(",")) {
                String p = part.strip();
                if (p.isEmpty()) {
                    throw new IllegalArgumentException("empty list entry");
                }
                out.add(p);
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
