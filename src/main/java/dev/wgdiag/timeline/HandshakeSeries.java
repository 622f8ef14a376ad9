package dev.wgdiag.timeline;

/**
 * One handshake as its initiator ran it: the first initiation and its retries (wireguard-go timers.go:
 * retransmitted every REKEY_TIMEOUT + jitter until answered or REKEY_ATTEMPT_TIME has passed), whether
 * and when a response came, cookie replies and MAC2, and the timer rule that started it
 * ({@link TriggerRules}).
 */
final class HandshakeSeries {
    final TunnelState tunnel;
    final int initiatorSide;
    final long first;
    long last;
    int attempts;
    boolean responded;
    long rtt = -1;
    int cookies;
    boolean mac2;
    final HandshakeTrigger trigger;
    final SwapCause cause;
    final TriggerDetail causeDetail;

    HandshakeSeries(TunnelState tunnel, int initiatorSide, long first, HandshakeTrigger trigger, SwapCause cause, TriggerDetail causeDetail) {
        this.tunnel = tunnel;
        this.initiatorSide = initiatorSide;
        this.first = first;
        this.last = first;
        this.trigger = trigger;
        this.cause = cause;
        this.causeDetail = causeDetail;
    }

    /** An initiation at {@code t} retries this handshake: unanswered so far, and within one lost retry of the last attempt. */
    boolean retriedAt(long t) {
        return !responded && t - last <= TriggerRules.RETRY_WINDOW;
    }

    /** Unanswered through retries spanning REKEY_ATTEMPT_TIME: the initiator gave up (timers.go expiredRetransmitHandshake). */
    boolean gaveUp() {
        return !responded && last - first >= TriggerRules.GIVE_UP_SPAN;
    }
}
