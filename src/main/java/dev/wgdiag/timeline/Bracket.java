package dev.wgdiag.timeline;

import java.util.List;
import java.util.Map;

/** (lower, upper] under one refresh model; null when unbounded. */
public record Bracket(Double lowerSeconds, Double upperSeconds, boolean consistent) {
}
