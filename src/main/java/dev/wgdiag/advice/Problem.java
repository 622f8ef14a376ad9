package dev.wgdiag.advice;

/** A problem the verdict names, most important first (the order of the constants). */
public enum Problem {
    /** Initiations made for a key the server does not have: the client's [Peer] PublicKey is wrong (issue 11 cause 1). */
    WRONG_SERVER_KEY,
    /** The server has no [Peer] for the initiator's static key (issue 11 cause 2). */
    UNKNOWN_PEER,
    /** Handshakes answered and never confirmed: the PresharedKeys differ (issue 11 cause 4). */
    PRESHARED_KEY_MISMATCH,
    /** Initiations with a timestamp not after one the server accepted: ignored as replays (issue 11 cause 3). */
    STALE_TIMESTAMP,
    /** Two captures: answers leave one capture point and never reach the other (issue 11 cause 5). */
    ANSWERS_LOST,
    /** ICMP says the initiations do not get to the server: wrong Endpoint, server down, or a rejecting firewall (issue 11 cause 6). */
    UNREACHABLE,
    /** Full-size tunnel packets do not fit the path: it explains the loss and stalls that follow. */
    PACKETS_TOO_BIG,
    /** A NAT forgot the tunnel while it was idle: the "drops after a few minutes" users report. */
    MAPPING_EXPIRED,
    /** Handshakes got no answer (given up or not). */
    HANDSHAKES_UNANSWERED,
    /** The other side stopped answering and the responder had to start a new handshake. */
    INITIATOR_SWAPPED,
    /** More than {@link Advisor#LOSS_UNSTABLE_PERCENT} % of one direction's packets were lost. */
    LOSS
}
