package dev.wgdiag.peer;

import dev.wgdiag.wire.Protocol;
import java.util.random.RandomGenerator;

/**
 * The five timers of one peer and the hooks that arm and disarm them, exactly as wireguard-go's
 * {@code device/timers.go} (itself the Linux driver's {@code timers.c}), whitepaper section 6. Sans-IO:
 * a timer is a deadline on the core's clock; {@link WgInterface#onTick} asks {@link #nextExpired} and
 * runs the expiry (so an expiry runs up to one tick late; the driver ticks at least every 100 ms, and a
 * re-armed timer counts from when the expiry ran, as a late Go timer would).
 *
 * <p>Each timer field below carries its contract (whitepaper 6.2-6.5), as timers.go comments its hooks.
 */
final class Timers {
    /** A timer that is not pending. */
    static final long OFF = Long.MIN_VALUE;

    /** Which timer expired. */
    enum Expiry { RETRANSMIT_HANDSHAKE, SEND_KEEPALIVE, NEW_HANDSHAKE, ZERO_KEY_MATERIAL, PERSISTENT_KEEPALIVE }

    private final RandomGenerator random;
    private final long persistentKeepaliveInterval;

    /**
     * Armed for REKEY_TIMEOUT + jitter (0..333 ms) when an initiation is sent ({@link #handshakeInitiated});
     * disarmed when the handshake completes. On expiry the initiation is retried, up to
     * MAX_TIMER_HANDSHAKES (18) retries, then given up: staged packets are dropped and zeroKeyMaterial is
     * armed (timers.go expiredRetransmitHandshake; whitepaper 6.4).
     */
    long retransmitHandshake = OFF;
    /**
     * Armed for KEEPALIVE_TIMEOUT when a data packet is received and it is not already pending (else a
     * second keepalive is owed); disarmed when any authenticated packet is sent. On expiry a keepalive
     * goes out: the passive keepalive (timers.go expiredSendKeepalive; whitepaper 6.5).
     */
    long sendKeepalive = OFF;
    /**
     * Armed for KEEPALIVE_TIMEOUT + REKEY_TIMEOUT + jitter when a data packet is sent and it is not
     * already pending; disarmed when any authenticated packet is received. On expiry a new handshake
     * starts, "we stopped hearing back" (timers.go expiredNewHandshake; whitepaper 6.5): how a responder
     * becomes the initiator about 15 s after the other side went silent.
     */
    long newHandshake = OFF;
    /**
     * Armed for 3 x REJECT_AFTER_TIME when a session is derived (and when a handshake is given up); on
     * expiry every key of the peer is zeroed (timers.go expiredZeroKeyMaterial; whitepaper 6.3: nothing
     * older than 540 s survives).
     */
    long zeroKeyMaterial = OFF;
    /**
     * Re-armed for PersistentKeepalive seconds whenever an authenticated packet is sent or received; on
     * expiry a keepalive goes out (timers.go expiredPersistentKeepalive; whitepaper 6.5, wg(8)).
     */
    long persistentKeepalive = OFF;
    /** Retransmissions of the current handshake (timers.go handshakeAttempts). */
    int handshakeAttempts;
    /** A data packet arrived while sendKeepalive was pending: keepalive again after the next expiry. */
    boolean needAnotherKeepalive;
    /** The initiator already rekeyed once on receive for the current session (receive.go keepKeyFreshReceiving). */
    boolean sentLastMinuteHandshake;

    Timers(RandomGenerator random, int persistentKeepaliveSeconds) {
        this.random = random;
        this.persistentKeepaliveInterval = persistentKeepaliveSeconds * 1_000_000_000L;
    }

    /** 0..333 ms: timers.go fastrandn(RekeyTimeoutJitterMaxMs) milliseconds. */
    long jitter() {
        return random.nextInt(Protocol.REKEY_TIMEOUT_JITTER_MAX_MS) * 1_000_000L;
    }

    /** timers.go timersDataSent: after an authenticated data packet is sent. */
    void dataSent(long now) {
        if (newHandshake == OFF) {
            newHandshake = now + Protocol.KEEPALIVE_TIMEOUT + Protocol.REKEY_TIMEOUT + jitter();
        }
    }

    /** timers.go timersDataReceived: after an authenticated data packet is received. */
    void dataReceived(long now) {
        if (sendKeepalive == OFF) {
            sendKeepalive = now + Protocol.KEEPALIVE_TIMEOUT;
        } else {
            needAnotherKeepalive = true;
        }
    }

    /** timers.go timersAnyAuthenticatedPacketSent: keepalive, data or handshake sent. */
    void anyAuthenticatedPacketSent() {
        sendKeepalive = OFF;
    }

    /** timers.go timersAnyAuthenticatedPacketReceived: keepalive, data or handshake received. */
    void anyAuthenticatedPacketReceived() {
        newHandshake = OFF;
    }

    /** timers.go timersHandshakeInitiated: after an initiation is sent. */
    void handshakeInitiated(long now) {
        retransmitHandshake = now + Protocol.REKEY_TIMEOUT + jitter();
    }

    /** timers.go timersHandshakeComplete: response received, or key confirmation by the first transport message. */
    void handshakeComplete() {
        retransmitHandshake = OFF;
        handshakeAttempts = 0;
        sentLastMinuteHandshake = false;
    }

    /** timers.go timersSessionDerived: a keypair was derived (response sent or received). */
    void sessionDerived(long now) {
        zeroKeyMaterial = now + Protocol.ZERO_KEY_MATERIAL_AFTER;
    }

    /** timers.go timersAnyAuthenticatedPacketTraversal: before sending or after receiving any authenticated packet. */
    void anyAuthenticatedPacketTraversal(long now) {
        if (persistentKeepaliveInterval > 0) {
            persistentKeepalive = now + persistentKeepaliveInterval;
        }
    }

    boolean persistentKeepaliveEnabled() {
        return persistentKeepaliveInterval > 0;
    }

    /** The earliest timer due at {@code now}, now no longer pending; null when none is due. */
    Expiry nextExpired(long now) {
        Expiry which = null;
        long at = Long.MAX_VALUE;
        if (retransmitHandshake != OFF && retransmitHandshake <= now && retransmitHandshake < at) {
            which = Expiry.RETRANSMIT_HANDSHAKE;
            at = retransmitHandshake;
        }
        if (sendKeepalive != OFF && sendKeepalive <= now && sendKeepalive < at) {
            which = Expiry.SEND_KEEPALIVE;
            at = sendKeepalive;
        }
        if (newHandshake != OFF && newHandshake <= now && newHandshake < at) {
            which = Expiry.NEW_HANDSHAKE;
            at = newHandshake;
        }
        if (zeroKeyMaterial != OFF && zeroKeyMaterial <= now && zeroKeyMaterial < at) {
            which = Expiry.ZERO_KEY_MATERIAL;
            at = zeroKeyMaterial;
        }
        if (persistentKeepalive != OFF && persistentKeepalive <= now && persistentKeepalive < at) {
            which = Expiry.PERSISTENT_KEEPALIVE;
        }
        if (which != null) {
            switch (which) {
                case RETRANSMIT_HANDSHAKE -> retransmitHandshake = OFF;
                case SEND_KEEPALIVE -> sendKeepalive = OFF;
                case NEW_HANDSHAKE -> newHandshake = OFF;
                case ZERO_KEY_MATERIAL -> zeroKeyMaterial = OFF;
                case PERSISTENT_KEEPALIVE -> persistentKeepalive = OFF;
            }
        }
        return which;
    }
}
