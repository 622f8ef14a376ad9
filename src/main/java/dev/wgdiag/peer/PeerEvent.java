package dev.wgdiag.peer;

import dev.wgdiag.crypto.PublicKey;
import java.net.InetSocketAddress;

/**
 * An event of the reference peer, typed: only the CLI turns it into words.
 *
 * @param nanos    the core's clock value when it happened (the {@code now} passed in)
 * @param peer     the peer concerned, or null for interface-wide events (e.g. a rejected datagram
 *                 from an unknown source)
 * @param kind     what happened
 * @param endpoint the remote endpoint concerned (source of a datagram, or where one was sent), or null
 * @param cause    why a handshake was started or a datagram rejected; {@link Cause#NONE} otherwise
 * @param count    a number that goes with the kind (retry number, counter, ...), 0 when none
 */
public record PeerEvent(long nanos, PublicKey peer, Kind kind, InetSocketAddress endpoint, Cause cause, long count) {
    public enum Kind {
        /**
         * We sent a handshake initiation ({@code count} = attempt number, 1 for the first, up to 20).
         * {@code cause}: DATA_QUEUED, STARTUP, RETRY, COOKIE, NO_REPLY_AFTER_DATA, REKEY_AFTER_TIME,
         * REKEY_AFTER_MESSAGES, REKEY_ON_RECEIVE, SESSION_EXPIRED, or PERSISTENT_KEEPALIVE /
         * PASSIVE_KEEPALIVE when a keepalive was due and there was no session to send it on.
         */
        HANDSHAKE_SENT,
        /** We received a valid initiation and sent a response. */
        HANDSHAKE_RESPONDED,
        /** Our initiation was answered: a new session with us as initiator. */
        HANDSHAKE_ANSWERED,
        /** The responder side's session was confirmed by the initiator's first transport message. */
        SESSION_CONFIRMED,
        /**
         * Retries ran out: the handshake was given up at the expiry after the 20th initiation, 100 to
         * 106.7 s after the first: the first initiation and 19 retries (wireguard-go timers.go retries while
         * handshakeAttempts <= MaxTimerHandshakes = REKEY_ATTEMPT_TIME / REKEY_TIMEOUT = 18, and logs "after
         * MaxTimerHandshakes + 2 attempts"); {@code count} = 20.
         */
        HANDSHAKE_GIVEN_UP,
        /**
         * A keepalive was sent ({@code cause} PERSISTENT_KEEPALIVE, PASSIVE_KEEPALIVE or KEY_CONFIRMATION;
         * {@code count} = its counter).
         */
        KEEPALIVE_SENT,
        /** A keepalive was received ({@code count} = its counter). */
        KEEPALIVE_RECEIVED,
        /** The peer's endpoint changed to {@code endpoint} (roaming: the source of an authenticated packet). */
        ENDPOINT_CHANGED,
        /**
         * We answered a handshake message with a cookie reply (under load); cause BAD_MAC2 when it had a
         * wrong mac2, NONE when none. Throttled like DATAGRAM_REJECTED ({@code count} = replies).
         */
        COOKIE_REPLY_SENT,
        /** We received a cookie reply and will retry with mac2. */
        COOKIE_REPLY_RECEIVED,
        /**
         * A datagram was dropped; {@code cause} says why. Throttled (at most 10 per cause per second):
         * {@code count} = how many datagrams this event stands for.
         */
        DATAGRAM_REJECTED,
        /** All keys of a peer were zeroed (3 x REJECT_AFTER_TIME with no new handshake). */
        KEYS_ZEROED,
        /**
         * New session keys exist (for {@code -w} Decryption Secrets Blocks and {@code --keylog} only;
         * the driver asks the core for the secrets through a separate, explicit call).
         */
        SESSION_KEYS
    }

    public enum Cause {
        NONE,
        // why a handshake initiation was sent (whitepaper section 6, wireguard-go timers.go/send.go)
        /** Data to send and no usable session. */
        DATA_QUEUED,
        /** The peer has a PersistentKeepalive or an explicit connect at start-up. */
        STARTUP,
        /** No answer to the previous initiation within REKEY_TIMEOUT + jitter. */
        RETRY,
        /** Data sent and nothing received for KEEPALIVE_TIMEOUT + REKEY_TIMEOUT. */
        NO_REPLY_AFTER_DATA,
        /** Sending on a keypair we initiated that is older than REKEY_AFTER_TIME. */
        REKEY_AFTER_TIME,
        /** Receiving on a keypair we initiated older than REJECT_AFTER_TIME - KEEPALIVE_TIMEOUT - REKEY_TIMEOUT. */
        REKEY_ON_RECEIVE,
        /** Sending with a keypair older than REJECT_AFTER_TIME or used up (REJECT_AFTER_MESSAGES). */
        SESSION_EXPIRED,
        /** Sent a cookie reply's mac2 with the retried initiation. */
        COOKIE,
        /** The current session sent more than REKEY_AFTER_MESSAGES messages (wireguard-go send.go keepKeyFreshSending). */
        REKEY_AFTER_MESSAGES,
        // why a keepalive was sent
        PERSISTENT_KEEPALIVE,
        PASSIVE_KEEPALIVE,
        /** The initiator's keepalive right after the response when it has no data: confirms the session (receive.go). */
        KEY_CONFIRMATION,
        // why a datagram was rejected
        TOO_SHORT,
        UNKNOWN_TYPE,
        /** A handshake message whose length is not its type's fixed size (148, 92, 64). */
        WRONG_SIZE,
        BAD_MAC1,
        BAD_MAC2,
        RATE_LIMITED,
        UNKNOWN_PEER,
        UNKNOWN_INDEX,
        STALE_TIMESTAMP,
        INITIATION_FLOOD,
        DECRYPTION_FAILED,
        REPLAYED_COUNTER,
        KEYPAIR_EXPIRED,
        NOT_ALLOWED_SOURCE,
        MALFORMED_INNER
    }
}
