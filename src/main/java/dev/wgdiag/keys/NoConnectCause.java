package dev.wgdiag.keys;

/**
 * Why a tunnel does not connect, as the capture and the keys show it (issue 11; rules and sources in
 * docs/report.md "Why it does not connect"). Order: most decisive first.
 */
public enum NoConnectCause {
    /**
     * Initiations whose mac1 matches no key the server has: the initiator's [Peer] PublicKey is not the
     * server's key. A responder drops such messages before anything else (whitepaper 5.4.4 and 5.3;
     * wireguard-go device/receive.go: CheckMAC1 fails, "Received invalid initiation message").
     */
    WRONG_SERVER_KEY,
    /**
     * mac1 is right, but the initiator's static key (decrypted with the server's private key) is not
     * among the server's [Peer]s: wireguard-go device/noise-protocol.go ConsumeMessageInitiation looks
     * the static key up and drops the message when no peer has it.
     */
    UNKNOWN_PEER,
    /**
     * Every initiation is answered, the initiator never confirms: no transport data uses the session
     * and it initiates again after REKEY_TIMEOUT (5 s, whitepaper 6.4). A PresharedKey that differs
     * makes the response's empty AEAD fail at the initiator (whitepaper 5.4.3, psk mixed in at "psk2"),
     * which drops it silently (noise-protocol.go ConsumeMessageResponse).
     */
    PRESHARED_KEY_MISMATCH,
    /**
     * Initiations whose TAI64N timestamp is not after one the server already accepted from the same
     * peer: the server ignores them as replays (whitepaper 5.1 and 5.4.2; wireguard-go
     * device/noise-protocol.go ConsumeMessageInitiation: "!timestamp.After(handshake.lastTimestamp)").
     * A phone whose clock went back, a restored backup of a peer's state.
     */
    STALE_TIMESTAMP,
    /**
     * Answers lost on the way back: with two captures of one tunnel, an initiation seen at both
     * points is answered at one and the answer never shows at the other (an inbound firewall or NAT
     * rule between them). Taken over {@link #PRESHARED_KEY_MISMATCH}, which looks the same from the
     * answering side.
     */
    ANSWERS_LOST,
    /**
     * Initiations that never reach the server: an ICMP or ICMPv6 destination unreachable (port
     * unreachable: nothing listens there; RFC 792 type 3 code 3, RFC 4443 type 1 code 4) quotes an
     * initiation back to the client. Wrong Endpoint port or address, the server not running, or a
     * firewall that rejects.
     */
    UNREACHABLE
}
