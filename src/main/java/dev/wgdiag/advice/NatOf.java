package dev.wgdiag.advice;

import java.util.List;

/**
 * The NAT a keepalive's bracket was measured on: {@code who}'s own, or (with {@code address} not null)
 * the one {@code who} shares with the peers {@code sharedWith} at the public {@code address}.
 */
public record NatOf(PeerRef who, List<String> sharedWith, String address) {
    public NatOf {
        sharedWith = sharedWith == null ? List.of() : List.copyOf(sharedWith);
    }
}
