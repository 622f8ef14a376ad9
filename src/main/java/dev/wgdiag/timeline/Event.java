package dev.wgdiag.timeline;

/**
 * An event inferred while the capture is read, for live use ({@link AnalysisListener}).
 *
 * @param tunnel tunnel id; {@code peer} the peer concerned (id); {@code detail} one line for a person
 */
public record Event(Kind kind, Timestamp time, String tunnel, String peer, String detail) {
    public enum Kind {
        HANDSHAKE, HANDSHAKE_GIVEN_UP, INITIATOR_SWAP, KEEPALIVE_PERSISTENT, KEEPALIVE_PASSIVE, ENDPOINT_CHANGE,
        IDLE_GAP, SUSPECTED_MAPPING_EXPIRY
    }
}
