package dev.wgdiag.config;

import dev.wgdiag.crypto.PresharedKey;
import dev.wgdiag.crypto.Redaction;
import dev.wgdiag.crypto.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A [Peer] section. Its name comes from a comment line right above [Peer] ({@code #Client1}),
 * otherwise from the public key's short form. {@link #toString()} never shows the preshared key.
 */
public final class PeerSection {
    private final String name;
    private final boolean named;
    private final PublicKey publicKey;
    private final PresharedKey presharedKey;
    private final List<IpPrefix> allowedIps;
    private final PeerEndpoint endpoint;
    private final int persistentKeepalive;

    private PeerSection(Builder b) {
        publicKey = Objects.requireNonNull(b.publicKey, "publicKey");
        named = b.name != null && !b.name.isBlank();
        name = named ? b.name.strip() : publicKey.shortForm();
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
        private String name;
        private PublicKey publicKey;
        private PresharedKey presharedKey;
        private final List<IpPrefix> allowedIps = new ArrayList<>();
        private PeerEndpoint endpoint;
        private int persistentKeepalive;

        public Builder name(String n) {
            name = n;
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
