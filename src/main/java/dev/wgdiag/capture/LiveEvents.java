package dev.wgdiag.capture;

import dev.wgdiag.timeline.Event;

import java.util.Locale;

/** The one-line form of an inferred event, as {@code wgdiag capture} prints it. */
public final class LiveEvents {
    private LiveEvents() {
    }

    public static String format(Event e) {
        return e.time().clock() + "  " + e.kind().name().toLowerCase(Locale.ROOT).replace('_', ' ')
                + "  tunnel " + e.tunnel() + (e.peer() == null ? "" : "  peer " + e.peer())
                + (e.detail() == null ? "" : "  " + e.detail());
    }
}
