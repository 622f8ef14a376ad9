package dev.wgdiag.timeline;

import dev.wgdiag.time.Timestamp;
import dev.wgdiag.net.Endpoint;

/**
 * An event inferred while the capture is read, for live use ({@link AnalysisListener}).
 *
 * @param tunnel tunnel id; {@code peer} the peer concerned (id)
 * @param detail what happened, as values (report/EventLines makes the line a person reads)
 */
public record Event(Kind kind, Timestamp time, String tunnel, String peer, Detail detail) {
    public enum Kind {
        HANDSHAKE, HANDSHAKE_GIVEN_UP, INITIATOR_SWAP, KEEPALIVE_PERSISTENT, KEEPALIVE_PASSIVE, ENDPOINT_CHANGE,
        IDLE_GAP, SUSPECTED_MAPPING_EXPIRY
    }

    /** What an event saw; one record per kind. */
    public sealed interface Detail {
    }

    /** {@code initiator}'s handshake was answered by {@code responder} after {@code attempts} initiations. */
    public record Completed(String initiator, String responder, int attempts) implements Detail {
    }

    /** {@code initiations} went unanswered over {@code seconds}: the initiator gave up. */
    public record GivenUp(int initiations, long seconds) implements Detail {
    }

    /** {@code initiator} now initiates, for {@code cause}, with the facts of its trigger. */
    public record Swapped(String initiator, SwapCause cause, TriggerDetail why) implements Detail {
    }

    /** A persistent keepalive, {@code secondsAfterLast} after the last packet either way. */
    public record Keepalive(double secondsAfterLast) implements Detail {
    }

    /** {@code peer} changed endpoint. */
    public record Moved(String peer, ChangeKind kind, Endpoint from, Endpoint to) implements Detail {
    }

    /** {@code peer} spoke again after {@code idleSeconds} idle; its mapping's fate. */
    public record Idle(String peer, double idleSeconds, GapOutcome outcome) implements Detail {
    }

    /** {@code peer}, silent for {@code silentSeconds} (null: not heard from yet), does not answer initiations. */
    public record NotAnswering(String peer, Long silentSeconds) implements Detail {
    }
}
