package dev.wgdiag.timeline;

/** Placeholder, replaced below. */
public final class CaptureJoin {
    public record Result() {
    }
}
