package dev.wgdiag.timeline;

import dev.wgdiag.time.Timestamp;
import dev.wgdiag.net.Endpoint;


/** A peer's endpoint changed; {@code idleSeconds} since its last packet from the old endpoint. */
public record EndpointChange(Timestamp time, String peer, Endpoint from, Endpoint to, ChangeKind kind, double idleSeconds) {
}
