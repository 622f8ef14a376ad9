package dev.wgdiag.timeline;

/**
 * The facts behind a handshake's trigger ({@link TriggerRules}), as values: an initiator swap carries
 * them; report/EvidenceWords makes the words.
 */
public sealed interface TriggerDetail {
    /** It sent data {@code waitedSeconds} earlier and heard nothing back (timers.go expiredNewHandshake). */
    record DataUnanswered(double waitedSeconds) implements TriggerDetail {
    }

    /** The first handshake of the tunnel the capture shows. */
    record FirstSeen() implements TriggerDetail {
    }

    /** The current initiator rekeyed at keypair age {@code keypairAgeSeconds} (REKEY_AFTER_TIME). */
    record Rekey(double keypairAgeSeconds) implements TriggerDetail {
    }

    /** Its keypair was {@code keypairAgeSeconds} old, past REJECT_AFTER_TIME (send.go). */
    record KeypairExpired(double keypairAgeSeconds) implements TriggerDetail {
    }

    /** {@code packets} of its transport packets never reached the capture point before it: its data went unanswered. */
    record DataLost(long packets) implements TriggerDetail {
    }

    /** No timer rule explains it. */
    record NoRule() implements TriggerDetail {
    }

    /** Two captures joined: {@code inside} is how the capture inside the NAT read it. */
    record SeenInside(TriggerDetail inside) implements TriggerDetail {
    }
}
