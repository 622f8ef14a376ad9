package dev.wgdiag.timeline;


/** A peer's endpoint changed; {@code idleSeconds} since its last packet from the old endpoint. */
public record EndpointChange(Timestamp time, String peer, String from, String to, ChangeKind kind, double idleSeconds) {
}
