package dev.wgdiag.timeline;

/**
 * One session (keypair) of a tunnel: made by a response (whitepaper 5.4.3), or met mid-way when the
 * capture starts during it (then its initiator is unknown, -1, and its directions are known by sender).
 */
final class Session {
    final TunnelState tunnel;
    final int initiatorSide;
    final long established;
    /** The handshake that made it (null for sessions met mid-way). */
    HandshakeSeries series;
    SessionDirection toInitiator;
    SessionDirection toResponder;
    /** Its directions by sender side. */
    final SessionDirection[] bySender = new SessionDirection[2];

    Session(TunnelState tunnel, int initiatorSide, long established) {
        this.tunnel = tunnel;
        this.initiatorSide = initiatorSide;
        this.established = established;
    }
}
