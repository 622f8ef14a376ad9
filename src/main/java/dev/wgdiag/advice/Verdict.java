package dev.wgdiag.advice;

/** Stable or not, and why, in one sentence. */
public record Verdict(boolean stable, String sentence) {
}
