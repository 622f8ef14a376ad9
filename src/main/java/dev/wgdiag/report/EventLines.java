package dev.wgdiag.report;

import dev.wgdiag.timeline.Event;

import java.util.Locale;

/** The one-line form of an inferred event, as {@code wgdiag capture} prints it live. */
public final class EventLines {
    private EventLines() {
    }

    public static String line(Event e) {
        return e.time().clock() + "  " + e.kind().name().toLowerCase(Locale.ROOT).replace('_', ' ')
                + "  tunnel " + e.tunnel() + (e.peer() == null ? "" : "  peer " + e.peer())
                + (e.detail() == null ? "" : "  " + words(e.detail()));
    }

    static String words(Event.Detail d) {
        if (d instanceof Event.Completed c) {
            return c.initiator() + " initiated, " + c.responder() + " responded"
                    + (c.attempts() > 2 ? " after " + (c.attempts() - 1) + " retries" : c.attempts() == 2 ? " after 1 retry" : "");
        }
        if (d instanceof Event.GivenUp g) return g.initiations() + " initiations unanswered over " + g.seconds() + " s";
        if (d instanceof Event.Swapped s) return s.initiator() + " now initiates: " + s.cause() + " (" + EvidenceWords.words(s.why()) + ")";
        if (d instanceof Event.Keepalive k) return String.format(Locale.ROOT, "%.1f s after the last packet", k.secondsAfterLast());
        if (d instanceof Event.Moved m) return m.peer() + " " + m.kind() + " " + m.from() + " -> " + m.to();
        if (d instanceof Event.Idle i) return String.format(Locale.ROOT, "%s idle %.1f s, mapping %s", i.peer(), i.idleSeconds(), i.outcome());
        if (d instanceof Event.NotAnswering n) {
            return n.peer() + (n.silentSeconds() == null ? " not heard from yet" : " silent for " + n.silentSeconds() + " s")
                    + " and not answering initiations";
        }
        throw new IllegalArgumentException("no words for " + d);
    }
}
