package dev.wgdiag.timeline;

/**
 * What a 32-bit receiver index stands for in the {@link IndexTable}: an initiation's sender index until
 * its response arrives ({@link HandshakeAttempt}), then one direction of the session it keys
 * ({@link SessionDirection}); whitepaper 5.4.2-5.4.4: the initiation announces I_i, the response I_r,
 * transport to the initiator carries I_i, to the responder I_r. The set is closed: a reader asks for the
 * kind it wants, and gets null for the other.
 */
sealed interface IndexEntry permits HandshakeAttempt, SessionDirection {
    /** This entry as an initiation waiting for its response, or null. */
    default HandshakeAttempt asAttempt() {
        return null;
    }

    /** This entry as a session direction, or null. */
    default SessionDirection asDirection() {
        return null;
    }
}
