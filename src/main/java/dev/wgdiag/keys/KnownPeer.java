package dev.wgdiag.keys;

import dev.wgdiag.crypto.PrivateKey;
import dev.wgdiag.crypto.PublicKey;

/**
 * A WireGuard identity the user told us about: an [Interface] of a config (with its private key) or
 * a [Peer] of one (public key only). {@link #toString()} never shows the private key.
 *
 * @param name       the comment above [Peer] (e.g. {@code Client1}), the config's file name for its
 *                   [Interface], or the public key's short form
 * @param publicKey  the static public key
 * @param privateKey the static private key when known (an [Interface] or a keylog), else null
 * @param source     where it came from, e.g. {@code wg0.conf [Interface]}
 */
public record KnownPeer(String name, PublicKey publicKey, PrivateKey privateKey, String source) {
    public boolean hasPrivateKey() {
        return privateKey != null;
    }

    @Override
    public String toString() {
        return name + " (" + publicKey.shortForm() + ", from " + source + (privateKey != null ? ", private key known" : "") + ")";
    }
}
