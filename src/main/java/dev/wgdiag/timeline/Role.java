package dev.wgdiag.timeline;

/**
 * A peer's part in its tunnel, said only with evidence ({@link Peer#roleEvidence()},
 * {@link Peer#natEvidence()}): the client dials the server; {@code NAT_CLIENT} is a client the capture
 * shows behind a NAT.
 */
public enum Role {
    SERVER, CLIENT, NAT_CLIENT, UNKNOWN
}
