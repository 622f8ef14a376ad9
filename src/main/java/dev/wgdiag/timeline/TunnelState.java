package dev.wgdiag.timeline;

import java.util.ArrayList;
import java.util.List;

/**
 * One tunnel (a pair of peers) during the pass: its two sides' timers, its sessions, handshakes and
 * what happened to it. Lists start as the shared empty list and become an ArrayList at their first
 * element (most tunnels of a many-flow capture have none): memory grows with events, not packets.
 */
final class TunnelState {
    final String id;
    /** Its place in this analysis' tunnel list. */
    final int ordinal;
    final SideTimers[] sides = new SideTimers[2];
    /** Per side, the next tunnel in its {@link TunnelIndex} address chain. */
    final TunnelState[] nextAt = new TunnelState[2];
    long lastAny = -1;
    Session current;
    Session openOrphan;
    int sessions;
    List<Session> allSessions = List.of();
    List<HandshakeSeries> handshakes = List.of();
    List<InitiatorSwap> swaps = List.of();
    /** The handshake behind each swap, parallel to {@code swaps} (a join may correct its cause). */
    List<HandshakeSeries> swapSeries = List.of();
    List<EndpointChange> changes = List.of();
    List<IdleGap> gaps = List.of();

    TunnelState(String id, int ordinal, PeerState a, PeerState b) {
        this.id = id;
        this.ordinal = ordinal;
        sides[0] = new SideTimers(a);
        sides[1] = new SideTimers(b);
    }

    int sideOf(PeerState p) {
        return sides[0].peer == p ? 0 : sides[1].peer == p ? 1 : -1;
    }

    /** The list itself once something was added to it, else a new ArrayList (fields start as the shared empty list). */
    static <T> List<T> mutable(List<T> list) {
        return list instanceof ArrayList<T> ? list : new ArrayList<>(4);
    }
}
