package dev.wgdiag.timeline;

/** Hands timeline events to the {@link AnalysisListener} as they happen (live use); nothing when there is none. */
final class EventSink {
    private final AnalysisListener listener;
    private final CaptureTotals clock;

    EventSink(AnalysisListener listener, CaptureTotals clock) {
        this.listener = listener;
        this.clock = clock;
    }

    /** Whether anyone listens (callers skip building a detail nobody reads). */
    boolean on() {
        return listener != null;
    }

    void emit(Event.Kind kind, long t, TunnelState tn, PeerState p, Event.Detail detail) {
        if (listener != null) listener.onEvent(new Event(kind, clock.ts(t), tn.id, p.id, detail));
    }
}
