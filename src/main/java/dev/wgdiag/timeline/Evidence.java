package dev.wgdiag.timeline;

import java.util.List;
import java.util.Map;

/** One observation bounding the NAT mapping timeout. */
public record Evidence(Timestamp time, GapOutcome outcome, double idleOutboundSeconds, double idleAnySeconds, String detail) {
}
