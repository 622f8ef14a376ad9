package dev.wgdiag.advice;

import java.util.List;

/**
 * What to change for one tunnel: the recommendations, and notes on what needs no change (e.g. a
 * keepalive not needed, or already short enough).
 */
public record TunnelAdvice(String tunnel, List<Recommendation> recommendations, List<Note> notes) {
    public TunnelAdvice {
        recommendations = List.copyOf(recommendations);
        notes = List.copyOf(notes);
    }
}
