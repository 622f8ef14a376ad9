package dev.wgdiag.timeline;

import dev.wgdiag.time.Timestamp;

/**
 * One observation bounding the NAT mapping timeout.
 *
 * @param detail what was seen (JSON writes it as a sentence, docs/analysis-json.md)
 */
public record Evidence(Timestamp time, GapOutcome outcome, double idleOutboundSeconds, double idleAnySeconds, Observation detail) {
}
