package dev.wgdiag.timeline;

import dev.wgdiag.time.Timestamp;

/** A period in which a peer sent nothing. {@code idleOutboundSeconds} from its last packet; {@code idleAnySeconds} the longest silence either way within it; {@code packetsIntoGap} packets the other peer sent to it meanwhile (into a dead mapping when EXPIRED). */
public record IdleGap(Timestamp start, Timestamp end, String peer, double idleOutboundSeconds, double idleAnySeconds, GapOutcome outcome, long packetsIntoGap, long initiationsIntoGap) {
}
