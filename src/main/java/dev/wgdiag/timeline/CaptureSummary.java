package dev.wgdiag.timeline;

import java.util.List;
import java.util.Map;

/** The short summary: time span, messages per type, endpoints seen. */
public record CaptureSummary(List<String> captures, Timestamp start, Timestamp end, double durationSeconds, Map<String, Long> messages, List<String> endpoints) {
}
