package dev.wgdiag.config;

import dev.wgdiag.crypto.PublicKey;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
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
            throw new ConfigException(ConfigException.Kind.UNREADABLE, name, 0, null, null,
                    "cannot read: " + e.getClass().getSimpleName(), null);
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
        return worldAccessible(path) ? Optional.of("Warning: `" + path + "' is world accessible") : Optional.empty();
    }

    /** wg-quick's rule for its "world accessible" warning: {@code file mode & directory mode & 0007 != 0}. */
    public static boolean worldAccessible(Path path) {
        Path dir = path.toAbsolutePath().getParent();
        int file = othersBits(path);
        int parent = dir == null ? 0 : othersBits(dir);
        return (file & parent) != 0;
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
        RawConfig raw;
        try {
            raw = RawConfig.parse(name, reader);
        } catch (IOException e) {
            throw new ConfigException(ConfigException.Kind.UNREADABLE, name, 0, null, null, "cannot read: " + e.getMessage(), null);
        }
        LocatedConfig located = LocatedConfig.of(raw);
        if (!located.problems().isEmpty()) {
            throw located.problems().get(0);
        }
        return located.toWgConfig();
    }
}
