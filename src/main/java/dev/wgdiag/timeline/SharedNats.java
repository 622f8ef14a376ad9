package dev.wgdiag.timeline;


import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Groups the tunnels of one analysis by their client's public address (capture outside the NAT, the
 * client on one address all along) and pools each group's bracket ({@link SharedNat}); a client with no
 * NAT evidence of its own gets {@link NatClue#SHARED_ADDRESS} when a neighbour shows the NAT.
 */
final class SharedNats {
    private static final int MAX_EVIDENCE = 40;

    private SharedNats() {
    }

    record Result(List<Tunnel> tunnels, List<SharedNat> nats) {
    }

    static Result pool(List<Tunnel> tunnels) {
        Map<String, List<Tunnel>> byAddress = new LinkedHashMap<>();
        for (Tunnel t : tunnels) {
            String address = publicAddress(t);
            if (address != null) byAddress.computeIfAbsent(address, a -> new ArrayList<>()).add(t);
        }
        List<SharedNat> nats = new ArrayList<>();
        Map<String, SharedNat> natOfTunnel = new LinkedHashMap<>();
        for (Map.Entry<String, List<Tunnel>> e : byAddress.entrySet()) {
            List<Tunnel> group = e.getValue();
            if (group.size() < 2) continue;
            List<String> peers = new ArrayList<>(), ids = new ArrayList<>();
            List<MappingTimeout> members = new ArrayList<>();
            for (Tunnel t : group) {
                peers.add(t.natMappingTimeout().peer());
                ids.add(t.id());
                members.add(t.natMappingTimeout());
            }
            SharedNat nat = new SharedNat(e.getKey(), peers, ids, pooled(members));
            nats.add(nat);
            for (Tunnel t : group) natOfTunnel.put(t.id(), nat);
        }
        if (nats.isEmpty()) return new Result(tunnels, nats);
        List<Tunnel> out = new ArrayList<>();
        Map<List<Tunnel>, Integer> showing = new java.util.IdentityHashMap<>();
        for (Tunnel t : tunnels) {
            SharedNat nat = natOfTunnel.get(t.id());
            out.add(nat == null ? t : marked(t, nat, byAddress.get(nat.address()), showing));
        }
        return new Result(out, nats);
    }

    /** The client's one public address when the capture is outside its NAT, else null. */
    private static String publicAddress(Tunnel t) {
        MappingTimeout m = t.natMappingTimeout();
        if (m == null || m.peer() == null || m.viewpoint() != Viewpoint.OUTSIDE) return null;
        String address = null;
        for (Peer p : t.peers()) {
            if (!p.id().equals(m.peer())) continue;
            for (dev.wgdiag.net.Endpoint ep : p.endpoints()) {
                String a = ep.address();
                if (address != null && !address.equals(a)) return null; // roamed: not one NAT
                address = a;
            }
        }
        return address;
    }

    /** A client without NAT evidence of its own behind an address where a neighbour shows the NAT. */
    private static Tunnel marked(Tunnel t, SharedNat nat, List<Tunnel> group, Map<List<Tunnel>, Integer> showingByGroup) {
        // How many of the group show the NAT, counted once per group: linear in the group, not quadratic.
        int showing = showingByGroup.computeIfAbsent(group, g -> {
            int n = 0;
            for (Tunnel o : g) n += shows(o) ? 1 : 0;
            return n;
        });
        boolean neighbourShows = showing - (shows(t) ? 1 : 0) > 0;
        if (!neighbourShows) return t;
        List<Peer> peers = new ArrayList<>();
        for (Peer p : t.peers()) {
            if (p.id().equals(t.natMappingTimeout().peer()) && !p.natEvidence().contains(NatClue.SHARED_ADDRESS)) {
                List<NatClue> clues = new ArrayList<>(p.natEvidence());
                clues.add(NatClue.SHARED_ADDRESS);
                Role role = p.role() == Role.CLIENT ? Role.NAT_CLIENT : p.role();
                peers.add(new Peer(p.id(), p.name(), p.endpoints(), role, p.roleConfidence(), p.roleEvidence(), clues));
            } else {
                peers.add(p);
            }
        }
        return new Tunnel(t.id(), peers, t.sessions(), t.handshakes(), t.initiatorSwaps(), t.persistentKeepaliveSeconds(),
                t.keepalives(), t.endpointChanges(), t.idleGaps(), t.natMappingTimeout(), t.loss(), t.lossTotals(), t.episode());
    }

    /** Its NAT-side peer has NAT evidence of its own. */
    private static boolean shows(Tunnel o) {
        for (Peer p : o.peers()) {
            if (p.id().equals(o.natMappingTimeout().peer()) && !p.natEvidence().isEmpty()) return true;
        }
        return false;
    }

    /** One bracket from several mappings of one NAT: the longest survival and the shortest expiry, per refresh model. */
    static MappingTimeout pooled(List<MappingTimeout> members) {
        Double lowOut = null, lowAny = null, upOut = null, upAny = null;
        int survived = 0, expired = 0;
        List<Evidence> evidence = new ArrayList<>();
        for (MappingTimeout m : members) {
            if (!m.observed()) continue;
            lowOut = max(lowOut, m.outboundOnly().lowerSeconds());
            lowAny = max(lowAny, m.anyDirection().lowerSeconds());
            upOut = min(upOut, m.outboundOnly().upperSeconds());
            upAny = min(upAny, m.anyDirection().upperSeconds());
            survived += m.survivedGaps();
            expired += m.expiredGaps();
            evidence.addAll(m.evidence());
        }
        evidence.sort((a, b) -> a.time().compareTo(b.time()));
        if (evidence.size() > MAX_EVIDENCE) evidence = new ArrayList<>(evidence.subList(0, MAX_EVIDENCE));
        return MappingTimeout.choose(null, Viewpoint.OUTSIDE, lowOut, lowAny, upOut, upAny, survived, expired, evidence,
                List.of(new MappingNote.Pooled(members.size())));
    }

    private static Double max(Double a, Double b) {
        if (a == null) return b;
        return b == null ? a : Double.valueOf(Math.max(a, b));
    }

    private static Double min(Double a, Double b) {
        if (a == null) return b;
        return b == null ? a : Double.valueOf(Math.min(a, b));
    }
}
