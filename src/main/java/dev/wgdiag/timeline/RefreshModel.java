package dev.wgdiag.timeline;

/** Which packets refresh a NAT mapping, as far as the evidence tells (RFC 4787 REQ-6). */
public enum RefreshModel {
    /** Only outbound packets refresh: idle time counted from the peer's last outbound packet. */
    OUTBOUND_ONLY,
    /** Packets either way refresh: idle time counted from the last packet either way. */
    ANY_DIRECTION,
    /** The evidence fits both models; the bracket reported holds under both. */
    EITHER,
    /** No model fits (port-preserving NAT or rebinding under traffic); no bracket. */
    CONTRADICTORY,
    NOT_OBSERVED
}
