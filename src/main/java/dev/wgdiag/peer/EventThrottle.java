package dev.wgdiag.peer;

import dev.wgdiag.crypto.PublicKey;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * Bounds the events an unauthenticated sender can cause (DATAGRAM_REJECTED, COOKIE_REPLY_SENT): at most
 * {@link #PER_SECOND} events per kind and cause per second. The datagrams not reported are counted, and
 * the next event of that kind and cause (or a summary at the next tick after the second ends) carries
 * in {@code count} how many datagrams it stands for. So a flood costs a handful of events per second,
 * and the totals stay exact.
 */
final class EventThrottle {
    /** Events per kind and cause per second (ours). */
    static final int PER_SECOND = 10;
    private static final long SECOND = 1_000_000_000L;
    private static final int CAUSES = PeerEvent.Cause.values().length;
    private static final PeerEvent.Kind[] KINDS = PeerEvent.Kind.values();
    private static final PeerEvent.Cause[] CAUSE_VALUES = PeerEvent.Cause.values();

    private final long[] windowStart = new long[KINDS.length * CAUSES];
    private final int[] emitted = new int[KINDS.length * CAUSES];
    private final long[] suppressed = new long[KINDS.length * CAUSES];
    private boolean anySuppressed;

    EventThrottle() {
        java.util.Arrays.fill(windowStart, Long.MIN_VALUE);
    }

    /** The event to emit for one more such datagram, or null when it is only counted. */
    PeerEvent event(long now, PublicKey peer, PeerEvent.Kind kind, InetSocketAddress endpoint, PeerEvent.Cause cause) {
        int i = kind.ordinal() * CAUSES + cause.ordinal();
        if (windowStart[i] == Long.MIN_VALUE || now - windowStart[i] >= SECOND) {
            windowStart[i] = now;
            emitted[i] = 0;
        }
        if (emitted[i] < PER_SECOND) {
            emitted[i]++;
            long count = suppressed[i] + 1;
            suppressed[i] = 0;
            return new PeerEvent(now, peer, kind, endpoint, cause, count);
        }
        suppressed[i]++;
        anySuppressed = true;
        return null;
    }

    /** Summaries of datagrams counted but not reported, once their second is over (endpoint and peer: null). */
    void flush(long now, List<Action> out) {
        if (!anySuppressed) {
            return;
        }
        anySuppressed = false;
        for (int i = 0; i < suppressed.length; i++) {
            if (suppressed[i] == 0) {
                continue;
            }
            if (now - windowStart[i] >= SECOND) {
                out.add(new Action.Emit(new PeerEvent(now, null, KINDS[i / CAUSES], null, CAUSE_VALUES[i % CAUSES], suppressed[i])));
                suppressed[i] = 0;
                windowStart[i] = now;
                emitted[i] = 1;
            } else {
                anySuppressed = true;
            }
        }
    }
}
