package dev.wgdiag.timeline;

import dev.wgdiag.net.Endpoint;

import java.util.List;

/**
 * A peer of a tunnel. {@code id} is stable within one document.
 *
 * @param role           SERVER, CLIENT, NAT_CLIENT (a client the capture shows behind a NAT) or UNKNOWN
 * @param roleConfidence how firmly the clues name the client (null when the role is UNKNOWN)
 * @param roleEvidence   the clues that made this peer the client (empty for the server)
 * @param natEvidence    what shows a NAT in front of this peer (empty: nothing does)
 */
public record Peer(String id, String name, List<Endpoint> endpoints, Role role, RoleConfidence roleConfidence,
                   List<RoleClue> roleEvidence, List<NatClue> natEvidence) {
    public Peer {
        endpoints = List.copyOf(endpoints);
        roleEvidence = List.copyOf(roleEvidence);
        natEvidence = List.copyOf(natEvidence);
    }

    /** A peer with a role and no recorded evidence (hand-built analyses). */
    public Peer(String id, String name, List<Endpoint> endpoints, Role role) {
        this(id, name, endpoints, role, null, List.of(), List.of());
    }
}
