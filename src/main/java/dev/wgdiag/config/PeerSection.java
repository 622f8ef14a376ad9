package dev.wgdiag.config;

import dev.wgdiag.crypto.PresharedKey;
import dev.wgdiag.crypto.Redaction;
import dev.wgdiag.crypto.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A [Peer] section. Its name comes from a comment ({@link PeerName#choose}: a generator's marker such
 * as PiVPN's {@code ### begin NAME ###}, else the first comment inside the section, else the comment
 * right above {@code [Peer]}), otherwise from the public key's short form. {@link #toString()} never
 * shows the preshared key.
 */
public final class PeerSection {
    private final String name;
    private final boolean named;
    private final PeerName commentName;
    private final List<PeerName> overruled;
    private final int line;
    private final PublicKey publicKey;
    private final PresharedKey presharedKey;
    private final List<IpPrefix> allowedIps;
    private final PeerEndpoint endpoint;
    private final int persistentKeepalive;

    private PeerSection(Builder b) {
        publicKey = Objects.requireNonNull(b.publicKey, "publicKey");
        named = b.name != null && !b.name.name().isBlank();
        commentName = named ? b.name : null;
        name = named ? b.name.name().strip() : publicKey.shortForm();
        overruled = List.copyOf(b.overruled);
        line = b.line;
        presharedKey = b.presharedKey;
        allowedIps = List.copyOf(b.allowedIps);
        endpoint = b.endpoint;
        persistentKeepalive = b.persistentKeepalive;
    }

    public static Builder builder() {
        return new Builder();
    }

    public String name() {
        return name;
    }

    /** True when the name came from a comment, not from the key. */
    public boolean hasCommentName() {
        return named;
    }

    /** The comment that named the peer (with its style and line), when one did. */
    public Optional<PeerName> commentName() {
        return Optional.ofNullable(commentName);
    }

    /** Other comments that would have named the peer differently and lost to {@link #commentName()}. */
    public List<PeerName> overruledNames() {
        return overruled;
    }

    /** The line of the section's {@code [Peer]} header (0 when built by hand). */
    public int line() {
        return line;
    }

    public PublicKey publicKey() {
        return publicKey;
    }

    public Optional<PresharedKey> presharedKey() {
        return Optional.ofNullable(presharedKey);
    }

    /** The key mixed into the handshake: the preshared key or 32 zeros. */
    public PresharedKey presharedKeyOrNone() {
        return presharedKey == null ? PresharedKey.NONE : presharedKey;
    }

    public List<IpPrefix> allowedIps() {
        return allowedIps;
    }

    public Optional<PeerEndpoint> endpoint() {
        return Optional.ofNullable(endpoint);
    }

    /** Seconds; 0 when off or absent. */
    public int persistentKeepalive() {
        return persistentKeepalive;
    }

    @Override
    public String toString() {
        return "PeerSection[name=" + name + ", publicKey=" + publicKey + ", allowedIps=" + allowedIps
                + ", endpoint=" + (endpoint == null ? "none" : Redaction.maskKeys(endpoint.toString())) + ", persistentKeepalive="
                + (persistentKeepalive == 0 ? "off" : persistentKeepalive)
                + ", presharedKey=" + (presharedKey == null ? "none" : "hidden") + "]";
    }

    public static final class Builder {
        private PeerName name;
        private final List<PeerName> overruled = new ArrayList<>();
        private int line;
        private PublicKey publicKey;
        private PresharedKey presharedKey;
        private final List<IpPrefix> allowedIps = new ArrayList<>();
        private PeerEndpoint endpoint;
        private int persistentKeepalive;

        /** A name given by hand (treated as a comment above the section). */
        public Builder name(String n) {
            name = n == null ? null : new PeerName(n, NameSource.COMMENT_ABOVE, 0);
            return this;
        }

        public Builder name(PeerName n) {
            name = n;
            return this;
        }

        public Builder overruled(List<PeerName> names) {
            overruled.addAll(names);
            return this;
        }

        public Builder line(int l) {
            line = l;
            return this;
        }

        public Builder publicKey(PublicKey k) {
            publicKey = k;
            return this;
        }

        public Builder presharedKey(PresharedKey k) {
            presharedKey = k;
            return this;
        }

        public Builder addAllowedIp(IpPrefix p) {
            allowedIps.add(p);
            return this;
        }

        public Builder endpoint(PeerEndpoint e) {
            endpoint = e;
            return this;
        }

        public Builder persistentKeepalive(int seconds) {
            persistentKeepalive = seconds;
            return this;
        }

        boolean hasPublicKey() {
            return publicKey != null;
        }

        public PeerSection build() {
            return new PeerSection(this);
        }
    }
}
