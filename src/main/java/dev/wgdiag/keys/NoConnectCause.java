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
    UNREACHABLE,
    /**
     * One capture only: initiations leave every REKEY_TIMEOUT (5 s, whitepaper 6.4) and nothing ever
     * comes back, no answer and no ICMP error. From the client's side that is answers lost on the way
     * back ({@link #ANSWERS_LOST}) or initiations that never arrive ({@link #UNREACHABLE}, a firewall that
     * drops) alike, and without the server's keys also {@link #WRONG_SERVER_KEY} or {@link #UNKNOWN_PEER}:
     * the finding lists which remain; the server's capture decides (initiations arrive and answers leave:
     * lost on the way back; nothing arrives: never reached it).
     */
    NOT_ANSWERED,
    /**
     * Connected but nothing works, seen without the session keys: handshakes complete and transport data
     * flows one way only (the other side sends keepalives or nothing). Which of the causes below it is
     * takes {@code --decrypt} with the session keys.
     */
    TRANSPORT_ONE_WAY,
    /**
     * Inner packets whose source address is not in the receiver's AllowedIPs for the sender: the receiver
     * drops them after decrypting (whitepaper 2, cryptokey routing; wireguard-go device/receive.go
     * "IPv4 packet with disallowed source address"), nothing answers.
     */
    SOURCE_NOT_ALLOWED,
    /**
     * Inner packets to addresses beyond the server go in and nothing comes back from beyond it, while the
     * server itself answers: it does not forward or does not masquerade. Without the server's config the
     * two cannot be told apart.
     */
    NOT_FORWARDED,
    /** {@link #NOT_FORWARDED} with the server's config given: its PostUp has no masquerade (or SNAT) rule. */
    NO_MASQUERADE,
    /**
     * {@link #NOT_FORWARDED} with the server's config given and a masquerade rule in its PostUp: the
     * kernel does not forward (net.ipv4.ip_forward = 0) or a forward chain drops.
     */
    NO_FORWARDING,
    /** Inner DNS queries (UDP port 53) to the DNS address, no answer, while other traffic beyond the server is answered. */
    DNS_UNANSWERED,
    /**
     * Small inner packets to a destination are answered, large ones to the same destination vanish: a link
     * beyond the tunnel has a smaller MTU and the ICMP "fragmentation needed" that should say so is lost
     * (RFC 1191 / RFC 8201 path MTU discovery, RFC 2923 "black hole").
     */
    MTU_BLACK_HOLE
}
