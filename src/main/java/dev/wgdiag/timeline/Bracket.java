package dev.wgdiag.timeline;


/** (lower, upper] under one refresh model; null when unbounded. */
public record Bracket(Double lowerSeconds, Double upperSeconds, boolean consistent) {
}
