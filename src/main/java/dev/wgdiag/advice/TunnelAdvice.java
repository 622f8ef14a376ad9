package dev.wgdiag.advice;

import java.util.List;

/**
 * What to change for one tunnel: the recommendations, and notes on what needs no change or what the
 * capture cannot tell (e.g. "PersistentKeepalive not needed: ...").
 */
public record TunnelAdvice(String tunnel, List<Recommendation> recommendations, List<String> notes) {
    public TunnelAdvice {
        recommendations = List.copyOf(recommendations);
        notes = List.copyOf(notes);
    }
}
