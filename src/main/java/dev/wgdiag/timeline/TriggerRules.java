package dev.wgdiag.timeline;

import dev.wgdiag.time.Timestamp;
import dev.wgdiag.wire.Protocol;


/**
 * Why a peer started a handshake, read from the timers of wireguard-go (timers.go, send.go) and the
 * whitepaper (6.2-6.4) against what the capture showed before it. Rules, first match wins:
 * <ol>
 *   <li>data sent, nothing received for KEEPALIVE_TIMEOUT + REKEY_TIMEOUT (+ jitter): no reply after data;</li>
 *   <li>no session before it: the initial handshake;</li>
 *   <li>a keypair older than REJECT_AFTER_TIME: the session expired;</li>
 *   <li>the current initiator, keypair older than REKEY_AFTER_TIME: a rekey (not a swap);</li>
 *   <li>a run of the initiator's counters missing shortly before, on a young session: no reply after data,
 *       seen downstream of the loss;</li>
 *   <li>else unknown.</li>
 * </ol>
 */
final class TriggerRules {
    private static final long NANOS = 1_000_000_000L;
    /** wireguard-go timers.go: retries come REKEY_TIMEOUT + up to 333 ms jitter apart; allow one lost retry. */
    static final long RETRY_WINDOW = 2 * (Protocol.REKEY_TIMEOUT + Protocol.REKEY_TIMEOUT_JITTER_MAX) + NANOS / 2;
    /** Give-up: retries spanning REKEY_ATTEMPT_TIME (timers.go expiredRetransmitHandshake, MaxTimerHandshakes). */
    static final long GIVE_UP_SPAN = Protocol.REKEY_ATTEMPT_TIME - 2 * Protocol.REKEY_TIMEOUT;
    /** New handshake after data with no reply: KEEPALIVE_TIMEOUT + REKEY_TIMEOUT + jitter (timers.go timersDataSent). */
    static final long NO_REPLY_MIN = Protocol.NEW_HANDSHAKE_AFTER_NO_REPLY - 500_000_000L;
    static final long NO_REPLY_MAX = Protocol.NEW_HANDSHAKE_AFTER_NO_REPLY + Protocol.REKEY_TIMEOUT_JITTER_MAX + 2 * NANOS;
    /** Whitepaper 6.2: the initiator rekeys at REKEY_AFTER_TIME (less a second of capture-point slack). */
    static final long REKEY_MIN = Protocol.REKEY_AFTER_TIME - NANOS;
    /** send.go: a keypair older than REJECT_AFTER_TIME cannot be used (less a second of slack). */
    static final long EXPIRED_MIN = Protocol.REJECT_AFTER_TIME - NANOS;

    private TriggerRules() {
    }

    /** A new handshake of side {@code s} of a tunnel at {@code t}, with the rule that explains it. */
    static HandshakeSeries open(TunnelState tn, int s, long t) {
        SideTimers side = tn.sides[s];
        Session cur = tn.current;
        // timers.go timersDataSent / expiredNewHandshake: data sent, nothing received for 15 s (+ jitter).
        if (side.firstDataOutSinceIn >= 0) {
            long waited = t - side.firstDataOutSinceIn;
            if (waited >= NO_REPLY_MIN && waited <= NO_REPLY_MAX) {
                return new HandshakeSeries(tn, s, t, HandshakeTrigger.NO_REPLY_AFTER_DATA, SwapCause.NO_REPLY_AFTER_DATA,
                        new TriggerDetail.DataUnanswered(Timestamp.seconds(waited)));
            }
        }
        if (cur == null) {
            return new HandshakeSeries(tn, s, t, HandshakeTrigger.INITIAL, SwapCause.UNKNOWN, new TriggerDetail.FirstSeen());
        }
        long age = t - cur.established;
        // send.go: a keypair older than REJECT_AFTER_TIME cannot be used; whoever must send initiates.
        if (age >= EXPIRED_MIN && (cur.initiatorSide != s || age >= Protocol.REJECT_AFTER_TIME + Protocol.REKEY_TIMEOUT)) {
            return expired(tn, s, t, age);
        }
        // Whitepaper 6.2 / send.go: only the current initiator rekeys at REKEY_AFTER_TIME; not a swap.
        if (cur.initiatorSide == s && age >= REKEY_MIN) {
            return new HandshakeSeries(tn, s, t, HandshakeTrigger.REKEY, SwapCause.UNKNOWN,
                    new TriggerDetail.Rekey(Timestamp.seconds(age)));
        }
        if (age >= EXPIRED_MIN) {
            return expired(tn, s, t, age);
        }
        // Seen downstream of the loss (e.g. inside the NAT): the responder's data stopped arriving (a run of
        // its counters missing) shortly before it initiated on a young session. The only timer rule that makes
        // a responder initiate then is timersDataSent / expiredNewHandshake: its data went unanswered.
        SessionDirection mine = cur.bySender[s];
        if (cur.initiatorSide != s && mine != null && mine.jumpTime >= 0 && t - mine.jumpTime <= Protocol.REKEY_ATTEMPT_TIME) {
            return new HandshakeSeries(tn, s, t, HandshakeTrigger.NO_REPLY_AFTER_DATA, SwapCause.NO_REPLY_AFTER_DATA,
                    new TriggerDetail.DataLost(mine.jumpMissing));
        }
        return new HandshakeSeries(tn, s, t, HandshakeTrigger.UNKNOWN, SwapCause.UNKNOWN, new TriggerDetail.NoRule());
    }

    private static HandshakeSeries expired(TunnelState tn, int s, long t, long age) {
        return new HandshakeSeries(tn, s, t, HandshakeTrigger.SESSION_EXPIRED, SwapCause.SESSION_EXPIRED,
                new TriggerDetail.KeypairExpired(Timestamp.seconds(age)));
    }
}
