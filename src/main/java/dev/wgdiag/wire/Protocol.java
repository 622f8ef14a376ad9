package dev.wgdiag.wire;

/**
 * WireGuard protocol constants in one place, named as the whitepaper (section 6) and wireguard-go's
 * {@code device/constants.go} name them. Times are in nanoseconds unless the name says otherwise.
 */
public final class Protocol {
    private Protocol() {
    }

    // Message types (whitepaper 5.4; wireguard-go device/noise-protocol.go MessageInitiationType ...).
    public static final int MESSAGE_INITIATION_TYPE = 1;
    public static final int MESSAGE_RESPONSE_TYPE = 2;
    public static final int MESSAGE_COOKIE_REPLY_TYPE = 3;
    public static final int MESSAGE_TRANSPORT_TYPE = 4;

    // Message sizes (wireguard-go device/noise-protocol.go MessageInitiationSize ...).
    public static final int MESSAGE_INITIATION_SIZE = 148;
    public static final int MESSAGE_RESPONSE_SIZE = 92;
    public static final int MESSAGE_COOKIE_REPLY_SIZE = 64;
    /** Header (16) plus the Poly1305 tag (16): a transport message with an empty payload, i.e. a keepalive. */
    public static final int MESSAGE_TRANSPORT_SIZE = 32;
    public static final int MESSAGE_KEEPALIVE_SIZE = MESSAGE_TRANSPORT_SIZE;
    public static final int MESSAGE_TRANSPORT_HEADER_SIZE = 16;
    /** Plaintext is zero-padded to a multiple of 16 before encryption (whitepaper 5.4.6). */
    public static final int MESSAGE_PADDING_MULTIPLE = 16;
    /**
     * Padding never goes past the tunnel MTU (wireguard-go device/send.go calculatePaddingSize, Linux
     * drivers/net/wireguard/send.c calculate_skb_padding): a packet within 15 bytes of the MTU is sent
     * with a plaintext of exactly MTU bytes, not a multiple of 16. Every IPv4 host must accept 576-byte
     * datagrams (RFC 791), so no tunnel MTU is smaller; a shorter unpadded plaintext is not WireGuard.
     */
    public static final int MIN_UNPADDED_PLAINTEXT = 576;

    // Timers (whitepaper 6.1; wireguard-go device/constants.go).
    public static final long REKEY_AFTER_MESSAGES = 1L << 60;
    /** 2^64 - 2^13 - 1, as an unsigned value held in a long. */
    public static final long REJECT_AFTER_MESSAGES = -(1L << 13) - 1;
    public static final long REKEY_AFTER_TIME = 120_000_000_000L;
    public static final long REJECT_AFTER_TIME = 180_000_000_000L;
    public static final long REKEY_ATTEMPT_TIME = 90_000_000_000L;
    public static final long REKEY_TIMEOUT = 5_000_000_000L;
    /** wireguard-go device/timers.go: retransmits add a random jitter of up to 333 ms. */
    public static final long REKEY_TIMEOUT_JITTER_MAX = 333_000_000L;
    public static final long KEEPALIVE_TIMEOUT = 10_000_000_000L;
    public static final long COOKIE_REFRESH_TIME = 120_000_000_000L;
    /** wireguard-go device/timers.go: keys are zeroed after 3 * REJECT_AFTER_TIME. */
    public static final long ZERO_KEY_MATERIAL_AFTER = 3 * REJECT_AFTER_TIME;
    /** wireguard-go device/constants.go MaxTimerHandshakes = 90 / 5: retries before giving up. */
    public static final int MAX_TIMER_HANDSHAKES = (int) (REKEY_ATTEMPT_TIME / REKEY_TIMEOUT);
    /** "Stopped hearing back": data sent and nothing received for this long starts a handshake. */
    public static final long NEW_HANDSHAKE_AFTER_NO_REPLY = KEEPALIVE_TIMEOUT + REKEY_TIMEOUT;
    /** wireguard-go device/receive.go: the initiator rekeys on receive past this age. */
    public static final long REKEY_ON_RECEIVE_AGE = REJECT_AFTER_TIME - KEEPALIVE_TIMEOUT - REKEY_TIMEOUT;

    /**
     * wireguard-go device/constants.go RekeyTimeoutJitterMaxMs: retransmits and the "stopped hearing
     * back" timer add fastrandn(334) ms, i.e. 0..333 ms (Linux timers.c: get_random_u32_below(334)).
     */
    public static final int REKEY_TIMEOUT_JITTER_MAX_MS = 334;
    /**
     * wireguard-go device/constants.go HandshakeInitationRate = time.Second / 50: a responder consumes
     * at most one initiation per peer per 20 ms (Linux noise.c INITIATIONS_PER_SECOND = 50).
     */
    public static final long HANDSHAKE_INITIATION_RATE = 1_000_000_000L / 50;
    /** wireguard-go device/constants.go UnderLoadAfterTime: stay "under load" 1 s after it was last seen. */
    public static final long UNDER_LOAD_AFTER_TIME = 1_000_000_000L;
    /** wireguard-go device/constants.go MaxPeers. */
    public static final int MAX_PEERS = 1 << 16;
    /** wireguard-go device/queueconstants_default.go QueueStagedSize = conn.IdealBatchSize: packets held per peer before a session. */
    public static final int QUEUE_STAGED_SIZE = 128;
    /** wireguard-go device/queueconstants_default.go QueueHandshakeSize. */
    public static final int QUEUE_HANDSHAKE_SIZE = 1024;
    /** wireguard-go device/device.go IsUnderLoad: under load when the handshake queue holds QueueHandshakeSize / 8. */
    public static final int UNDER_LOAD_QUEUE_LENGTH = QUEUE_HANDSHAKE_SIZE / 8;
    /** wireguard-go ratelimiter/ratelimiter.go packetsPerSecond: handshakes per source IP under load. */
    public static final int RATE_LIMIT_PACKETS_PER_SECOND = 20;
    /** wireguard-go ratelimiter/ratelimiter.go packetsBurstable. */
    public static final int RATE_LIMIT_PACKETS_BURSTABLE = 5;
    /** wireguard-go ratelimiter/ratelimiter.go garbageCollectTime: idle entries are dropped after 1 s. */
    public static final long RATE_LIMIT_GARBAGE_COLLECT_TIME = 1_000_000_000L;
    /** wireguard-go replay/replay.go ringBlocks (RFC 6479): 128 blocks of 64 bits. */
    public static final int REPLAY_RING_BLOCKS = 128;
    /** wireguard-go replay/replay.go blockBits. */
    public static final int REPLAY_BLOCK_BITS = 64;
    /** wireguard-go replay/replay.go windowSize = (ringBlocks - 1) * blockBits = 8128: one block is slack. */
    public static final int REPLAY_WINDOW_SIZE = (REPLAY_RING_BLOCKS - 1) * REPLAY_BLOCK_BITS;

    /** The port wg-quick users conventionally use (wg(8) examples); only a default for display. */
    public static final int CONVENTIONAL_PORT = 51820;

    public static String typeName(int type) {
        return switch (type) {
            case MESSAGE_INITIATION_TYPE -> "initiation";
            case MESSAGE_RESPONSE_TYPE -> "response";
            case MESSAGE_COOKIE_REPLY_TYPE -> "cookie";
            case MESSAGE_TRANSPORT_TYPE -> "transport";
            default -> "type" + type;
        };
    }
}
