package dev.wgdiag.advice;

/**
 * What needs no change, one record per kind; the report (report/AdviceWords) makes the words.
 */
public sealed interface Note {

    /**
     * No NAT shown and {@code who} already sends a keepalive every {@code every} s; the tunnel lived
     * through pauses of up to {@code livedThrough} s (null when unknown).
     */
    record KeepaliveKept(PeerRef who, double every, Double livedThrough) implements Note {
    }

    /** Nothing shows a NAT; the tunnel stayed idle {@code idleTested} s and came back (null: never idle 2 minutes). */
    record KeepaliveNotNeeded(Double idleTested) implements Note {
    }

    /** {@code who} sends a keepalive every {@code every} s, within the {@code supported} s the capture supports. */
    record KeepaliveWithin(PeerRef who, double every, int supported, NatOf nat, Lifetime bracket) implements Note {
    }

    /** {@code who} sends a keepalive every {@code every} s, and the mapping lived through pauses that long. */
    record KeepaliveProven(PeerRef who, double every, NatOf nat, Lifetime bracket) implements Note {
    }
}
