package dev.wgdiag.peer;

import dev.wgdiag.crypto.PublicKey;
import java.net.InetSocketAddress;

/**
 * A snapshot of one peer, like a block of {@code wg show}.
 *
 * @param endpoint           current endpoint (the source of the last authenticated packet), or null
 * @param lastHandshakeNanos the core's clock at the last completed handshake (0: never), as
 *                           {@code latest-handshake} (wireguard-go timersHandshakeComplete)
 * @param rxBytes            bytes received from the peer: handshake messages and transport messages
 *                           as wireguard-go counts them (decrypted length + 32)
 * @param txBytes            bytes of datagrams sent to the peer
 * @param role               this side's role in the current session
 * @param handshakeAttempts  retransmissions of the handshake in progress (wireguard-go handshakeAttempts)
 * @param stagedPackets      inner packets waiting for a session
 * @param sessionCreatedNanos the core's clock when the current session was derived (0: none)
 */
public record PeerStatus(String name, PublicKey publicKey, InetSocketAddress endpoint, long lastHandshakeNanos,
        long rxBytes, long txBytes, Role role, int handshakeAttempts, int persistentKeepaliveSeconds,
        int stagedPackets, long sessionCreatedNanos) {
    /** Who initiated the handshake of the current (confirmed) session. */
    public enum Role { NONE, INITIATOR, RESPONDER }
}
