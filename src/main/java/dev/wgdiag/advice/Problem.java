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
    /** One capture: initiations never answered and no ICMP; answers lost on the way back or never arriving (issue 11 causes 5, 6). */
    NOT_ANSWERED,
    /** Connected, transport data one way only; which cause takes the session keys (issue 11 cause 7). */
    TRANSPORT_ONE_WAY,
    /** Connected, inner packets from a source the receiver's AllowedIPs do not allow (issue 11 cause 7). */
    SOURCE_NOT_ALLOWED,
    /** Connected, nothing back from beyond the server: no forwarding or no masquerade (issue 11 cause 7). */
    NOT_FORWARDED,
    /** Connected, nothing back from beyond the server, whose PostUp has no masquerade rule (issue 11 cause 7). */
    NO_MASQUERADE,
    /** Connected, nothing back from beyond the server, which masquerades but does not forward (issue 11 cause 7). */
    NO_FORWARDING,
    /** Connected, DNS queries to the DNS address never answered (issue 11 cause 7). */
    DNS_UNANSWERED,
    /** Connected, large inner packets vanish while small ones pass: an MTU black hole (issue 11 cause 7). */
    MTU_BLACK_HOLE,
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
