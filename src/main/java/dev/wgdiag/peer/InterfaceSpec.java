package dev.wgdiag.peer;

import dev.wgdiag.crypto.PrivateKey;
import java.util.List;
import java.util.Objects;

/** The {@code [Interface]} private key and the peers of one reference-peer interface. */
public record InterfaceSpec(PrivateKey privateKey, List<PeerSpec> peers) {
    public InterfaceSpec {
        Objects.requireNonNull(privateKey, "privateKey");
        peers = List.copyOf(peers);
    }
}
