package dev.wgdiag.timeline;

import dev.wgdiag.net.Endpoint;
import dev.wgdiag.wire.Protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Which peer of a tunnel is the client (the side that dials, usually behind a NAT), from what the
 * capture shows even when it starts in the middle of a session: each {@link RoleClue} a side shows
 * adds its weight; the side with more points is the client, a tie names none.
 */
final class RoleInference {
    private RoleInference() {
    }

    /**
     * What one side of a tunnel showed in the capture.
     *
     * @param ports          every port it used
     * @param rebindings     port changes on the same address (and expired gaps it came back from on a new port)
     * @param roamed         it moved to another address
     * @param firstInitiator it initiated the capture's first handshake that is not an initiator swap, the
     *                       tunnel's first or a rekey
     * @param midInitiator   it initiated the first handshake of a capture begun mid-session, no timer rule known
     * @param persistent     it sends persistent keepalives (an interval was measured)
     * @param privateAddress its current address is private or shared (CGNAT)
     */
    record Facts(Set<Integer> ports, int rebindings, boolean roamed, boolean firstInitiator, boolean midInitiator, boolean persistent,
                 boolean privateAddress) {
    }

    /** The client side (0 or 1, -1 when the clues tie), how firmly, and its clues. */
    record Assessment(int client, RoleConfidence confidence, List<RoleClue> clues) {
        static final Assessment NONE = new Assessment(-1, null, List.of());
    }

    static Assessment assess(Facts a, Facts b) {
        List<RoleClue> ca = clues(a, b), cb = clues(b, a);
        int sa = score(ca), sb = score(cb);
        if (sa == sb) return Assessment.NONE;
        int client = sa > sb ? 0 : 1;
        List<RoleClue> clues = client == 0 ? ca : cb;
        int margin = Math.abs(sa - sb);
        RoleConfidence c = margin >= 4 && clues.size() >= 2 ? RoleConfidence.HIGH
                : margin >= 2 ? RoleConfidence.MEDIUM : RoleConfidence.LOW;
        return new Assessment(client, c, clues);
    }

    private static List<RoleClue> clues(Facts me, Facts other) {
        List<RoleClue> out = new ArrayList<>();
        if (me.rebindings() > other.rebindings()) out.add(RoleClue.PORT_CHANGED);
        if (me.roamed() && !other.roamed()) out.add(RoleClue.ROAMED);
        if (me.firstInitiator()) out.add(RoleClue.FIRST_INITIATOR);
        if (me.midInitiator()) out.add(RoleClue.INITIATED_MID_SESSION);
        if (other.ports().size() == 1) {
            int p = other.ports().iterator().next();
            if (isServerPort(p) && !me.ports().equals(other.ports())) out.add(RoleClue.OTHER_ON_SERVER_PORT);
        }
        if (me.persistent() && !other.persistent()) out.add(RoleClue.PERSISTENT_KEEPALIVE);
        if (me.privateAddress() && !other.privateAddress()) out.add(RoleClue.PRIVATE_ADDRESS);
        return out;
    }

    /** WireGuard's conventional port (wg-quick examples, every generator's default) or a well-known port (RFC 6335: 0-1023). */
    static boolean isServerPort(int port) {
        return port == Protocol.CONVENTIONAL_PORT || (port > 0 && port < 1024);
    }

    private static int score(List<RoleClue> clues) {
        int s = 0;
        for (RoleClue c : clues) s += c.weight();
        return s;
    }

    static Set<Integer> ports(List<Endpoint> endpoints) {
        Set<Integer> out = new java.util.LinkedHashSet<>();
        for (Endpoint e : endpoints) out.add(e.port());
        return out;
    }
}
