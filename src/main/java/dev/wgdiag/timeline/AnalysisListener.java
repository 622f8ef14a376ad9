package dev.wgdiag.timeline;

/** Called as events are inferred (on the reading thread, in capture order). */
@FunctionalInterface
public interface AnalysisListener {
    void onEvent(Event event);
}
