package dev.wgdiag.timeline;

/** What most likely made the initiator start a handshake. */
public enum HandshakeTrigger {
    /** First handshake of the tunnel seen in the capture. */
    INITIAL,
    /** The current initiator's keypair reached REKEY_AFTER_TIME (whitepaper 6.2): not a swap. */
    REKEY,
    /** Data sent, nothing heard for KEEPALIVE_TIMEOUT + REKEY_TIMEOUT (timers.go expiredNewHandshake). */
    NO_REPLY_AFTER_DATA,
    /** The keypair was older than REJECT_AFTER_TIME. */
    SESSION_EXPIRED,
    UNKNOWN
}
