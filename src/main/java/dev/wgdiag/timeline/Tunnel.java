package dev.wgdiag.timeline;

import java.util.List;
import java.util.Map;

/**
 * One tunnel: a pair of peers followed across sessions through indices and endpoints.
 *
 * @param persistentKeepaliveSeconds persistent keepalive interval per sending peer id (only peers seen using one)
 * @param loss        per session and direction
 * @param lossTotals  per direction, all sessions together
 * @param episode     which episode of the capture it belongs to (1 unless the capture has holes, see {@link Episodes})
 */
public record Tunnel(String id, List<Peer> peers, int sessions, List<Handshake> handshakes,
                     List<InitiatorSwap> initiatorSwaps, Map<String, Double> persistentKeepaliveSeconds,
                     List<KeepaliveStats> keepalives, List<EndpointChange> endpointChanges, List<IdleGap> idleGaps,
                     MappingTimeout natMappingTimeout, List<Loss> loss, List<Loss> lossTotals, int episode) {
    /** A tunnel of a capture without holes (episode 1). */
    public Tunnel(String id, List<Peer> peers, int sessions, List<Handshake> handshakes,
                  List<InitiatorSwap> initiatorSwaps, Map<String, Double> persistentKeepaliveSeconds,
                  List<KeepaliveStats> keepalives, List<EndpointChange> endpointChanges, List<IdleGap> idleGaps,
                  MappingTimeout natMappingTimeout, List<Loss> loss, List<Loss> lossTotals) {
        this(id, peers, sessions, handshakes, initiatorSwaps, persistentKeepaliveSeconds, keepalives, endpointChanges, idleGaps,
                natMappingTimeout, loss, lossTotals, 1);
    }
}
