package dev.wgdiag.wire;

/**
 * Why a UDP payload was not taken as a WireGuard message. Dispatch is on (type, length) together, as
 * boringtun's {@code Tunn::parse_incoming_packet} does: any other pair is rejected with a reason.
 */
public enum RejectReason {
    /** Fewer than 4 bytes: no room for type and reserved. */
    TOO_SHORT("shorter than the 4-byte message header"),
    /** First byte not 1-4. */
    UNKNOWN_TYPE("type byte not 1-4"),
    /** Type 1, 2 or 3 with a length other than 148, 92 or 64. */
    WRONG_LENGTH("length does not match the message type"),
    /** Transport shorter than 32 bytes, or neither 32 + 16k nor an MTU-sized (>= 576-byte) plaintext. */
    TRANSPORT_NOT_PADDED("transport length neither 32 + a multiple of 16 nor MTU-sized"),
    /** Reserved bytes 1-3 not zero (whitepaper 5.4: "3 bytes of zeros"). */
    RESERVED_NOT_ZERO("reserved bytes not zero");

    private final String description;

    RejectReason(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }
}
