package dev.wgdiag.timeline;

import dev.wgdiag.time.Timestamp;

/** One handshake: the first initiation and its retries (same initiator, REKEY_TIMEOUT plus jitter apart), answered or not. {@code rttSeconds}: response time minus the answered initiation's time at the capture point. */
public record Handshake(Timestamp time, String initiator, String responder, boolean responded, int retries, Double rttSeconds, boolean gaveUp, int cookieReplies, boolean mac2, HandshakeTrigger trigger) {
}
