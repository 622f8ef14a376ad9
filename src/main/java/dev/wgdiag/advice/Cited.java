package dev.wgdiag.advice;

import dev.wgdiag.time.Timestamp;

/** One piece of evidence a finding rests on: what it shows and its capture time (null when it spans the capture). */
public record Cited(Timestamp time, Fact what) {
}
