package dev.wgdiag.keys;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import dev.wgdiag.time.Timestamp;
import java.util.List;
import java.util.Map;

/**
 * What the keys proved about a capture: which peer sent each handshake message, which endpoints
 * belong to which named peer, the initiators' clocks, and (with session keys and the opt-in flag)
 * what the tunnel carried. Never holds key material or payload bytes.
 *
 * @param peers      each known peer seen in the capture, with the endpoints proven to be its
 * @param handshakes each handshake message that a key attributed
 * @param decryption what transport decryption found, or null when it was not asked for
 */
public record Identification(List<IdentifiedPeer> peers, List<HandshakeIdentity> handshakes, Decryption decryption) {

    /**
     * @param name      from the configs (comment above [Peer], the config file for its [Interface]) or the key's short form
     * @param publicKey the static public key (public: fine to show)
     * @param endpoints endpoints proven to be this peer's ({@code address:port}, IPv6 {@code [address]:port})
     * @param proofs    how many handshake messages proved it
     * @param clockSkewSeconds median of (TAI64N timestamp in its initiations - capture time), null when none decrypted
     */
    public record IdentifiedPeer(String name, String publicKey, List<String> endpoints, int proofs, Double clockSkewSeconds) {
    }

    /**
     * @param time        capture time, epoch seconds
     * @param type        {@code initiation} or {@code response}
     * @param senderIndex the message's sender index
     * @param from        the sending peer's name, or null when no key proves it
     * @param to          the receiving peer's name (what mac1 proves), or null
     * @param proof       {@code mac1} (public key only) or {@code static key decrypted} (responder's private key)
     * @param timestamp   the initiation's TAI64N time (epoch seconds), when decrypted
     * @param replayed    true when the timestamp is not after the same initiator's previous one (a replay, or a reset clock)
     */
    public record HandshakeIdentity(@JsonSerialize(using = ToStringSerializer.class) Timestamp time, String type, long senderIndex,
                                    String from, String to, String proof,
                                    @JsonSerialize(using = ToStringSerializer.class) Timestamp timestamp, Boolean replayed) {
    }

    /**
     * @param sessions          sessions whose keys the keylogs gave
     * @param messagesDecrypted transport messages opened
     * @param failures          transport messages of a known session that did not authenticate
     * @param innerProtocols    inner packets by protocol (e.g. {@code ICMP}, {@code TCP}, {@code keepalive})
     * @param pings             ICMP echo round trips inside the tunnel, as seen at the capture point
     */
    public record Decryption(int sessions, long messagesDecrypted, long failures, Map<String, Long> innerProtocols,
                             PingStats pings) {
    }

    /** In-tunnel ping round trips in milliseconds. */
    public record PingStats(int count, Double minMs, Double medianMs, Double maxMs) {
    }
}
