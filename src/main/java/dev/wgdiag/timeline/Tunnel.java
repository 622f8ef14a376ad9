package dev.wgdiag.timeline;

import java.util.List;
import java.util.Map;

/**
 * One tunnel: a pair of peers followed across sessions through indices and endpoints.
 *
 * @param persistentKeepaliveSeconds persistent keepalive interval per sending peer id (only peers seen using one)
 * @param loss        per session and direction
 * @param lossTotals  per direction, all sessions together
 */
public record Tunnel(String id, List<Peer> peers, int sessions, List<Handshake> handshakes,
                     List<InitiatorSwap> initiatorSwaps, Map<String, Double> persistentKeepaliveSeconds,
                     List<KeepaliveStats> keepalives, List<EndpointChange> endpointChanges, List<IdleGap> idleGaps,
                     MappingTimeout natMappingTimeout, List<Loss> loss, List<Loss> lossTotals) {
}
