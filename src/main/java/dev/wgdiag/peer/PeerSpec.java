package dev.wgdiag.peer;

import dev.wgdiag.config.IpPrefix;
import dev.wgdiag.crypto.PresharedKey;
import dev.wgdiag.crypto.PublicKey;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;

/**
 * One {@code [Peer]} of the reference peer, as wg(8) configures it.
 *
 * @param name                       a display name (from the config's comments, or the key's short form)
 * @param publicKey                  the peer's static public key
 * @param presharedKey               {@link PresharedKey#NONE} if absent
 * @param endpoint                   where to send first; null when unknown until the peer talks (roaming)
 * @param allowedIps                 inner addresses routed to this peer and accepted from it
 * @param persistentKeepaliveSeconds PersistentKeepalive in seconds, 0 = off (wg(8): 1..65535)
 */
public record PeerSpec(String name, PublicKey publicKey, PresharedKey presharedKey, InetSocketAddress endpoint,
        List<IpPrefix> allowedIps, int persistentKeepaliveSeconds) {
    public PeerSpec {
        Objects.requireNonNull(publicKey, "publicKey");
        presharedKey = presharedKey == null ? PresharedKey.NONE : presharedKey;
        allowedIps = List.copyOf(allowedIps == null ? List.of() : allowedIps);
        if (persistentKeepaliveSeconds < 0 || persistentKeepaliveSeconds > 65535) {
            throw new IllegalArgumentException("PersistentKeepalive must be 0..65535 seconds (wg(8))");
        }
        if (name == null || name.isBlank()) {
            name = publicKey.shortForm();
        }
    }
}
