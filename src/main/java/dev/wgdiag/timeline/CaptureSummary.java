package dev.wgdiag.timeline;

import dev.wgdiag.time.Timestamp;
import dev.wgdiag.net.Endpoint;

import java.util.List;
import java.util.Map;

/**
 * The short summary: time span, messages per type, endpoints seen, and the capture's holes (silences
 * longer than any WireGuard timer, after which the analysis starts a new episode).
 */
public record CaptureSummary(List<String> captures, Timestamp start, Timestamp end, double durationSeconds, Map<String, Long> messages,
                             List<Endpoint> endpoints, List<Hole> holes) {
    public CaptureSummary {
        holes = List.copyOf(holes);
    }

    /** A summary of a capture without holes. */
    public CaptureSummary(List<String> captures, Timestamp start, Timestamp end, double durationSeconds, Map<String, Long> messages,
                          List<Endpoint> endpoints) {
        this(captures, start, end, durationSeconds, messages, endpoints, List.of());
    }

    /** Seconds the capture covered: its span without its holes. */
    @com.fasterxml.jackson.annotation.JsonProperty("observedSeconds")
    public double observedSeconds() {
        double s = durationSeconds;
        for (Hole h : holes) s -= h.seconds();
        return Math.max(0, Timestamp.seconds(Math.round(s * 1e9)));
    }
}
