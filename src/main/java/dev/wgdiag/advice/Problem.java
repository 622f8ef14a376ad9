package dev.wgdiag.advice;

/** A problem the verdict names, most important first (the order of the constants). */
public enum Problem {
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
