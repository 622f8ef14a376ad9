package dev.wgdiag.timeline;


/** One observation bounding the NAT mapping timeout. */
public record Evidence(Timestamp time, GapOutcome outcome, double idleOutboundSeconds, double idleAnySeconds, String detail) {
}
