package dev.wgdiag.timeline;

import java.util.List;
import java.util.Map;

/** A peer's endpoint changed; {@code idleSeconds} since its last packet from the old endpoint. */
public record EndpointChange(Timestamp time, String peer, String from, String to, ChangeKind kind, double idleSeconds) {
}
