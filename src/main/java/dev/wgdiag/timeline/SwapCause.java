package dev.wgdiag.timeline;

/** Why a peer started a handshake, read from the timeline (wireguard-go device/timers.go, send.go). */
public enum SwapCause {
    /** It sent data and heard nothing back for KEEPALIVE_TIMEOUT + REKEY_TIMEOUT (timersDataSent / expiredNewHandshake). */
    NO_REPLY_AFTER_DATA,
    /** Its keypair was older than REJECT_AFTER_TIME when it had to send (send.go keypair expiry). */
    SESSION_EXPIRED,
    UNKNOWN
}
