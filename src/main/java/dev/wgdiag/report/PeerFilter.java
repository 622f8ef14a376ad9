package dev.wgdiag.report;

import dev.wgdiag.keys.Identification;
import dev.wgdiag.net.Endpoint;
import dev.wgdiag.timeline.Analysis;
import dev.wgdiag.timeline.Peer;
import dev.wgdiag.timeline.SharedNat;
import dev.wgdiag.timeline.Tunnel;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code --peer NAME|KEY|ENDPOINT}: an analysis narrowed to the tunnels of one peer, named by its id in the
 * report ({@code peer3}), its name (from a config), its public key (when the keys identified it), an endpoint
 * it used ({@code address:port}) or its address alone. The capture summary and warnings stay those of the
 * whole capture.
 */
public final class PeerFilter {
    private PeerFilter() {
    }

    /** The analysis with only the tunnels of a peer that {@code wanted} names; null when none does. */
    public static Analysis narrow(Analysis a, Identification identification, String wanted) {
        Set<String> names = new HashSet<>(List.of(wanted));
        Set<String> endpoints = new HashSet<>(List.of(wanted));
        if (identification != null) {
            for (Identification.IdentifiedPeer p : identification.peers()) {
                if (wanted.equals(p.publicKey()) || wanted.equals(p.name())) {
                    if (p.name() != null) names.add(p.name());
                    endpoints.addAll(p.endpoints());
                }
            }
        }
        List<Tunnel> kept = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (Tunnel t : a.tunnels()) {
            if (t.peers().stream().anyMatch(p -> matches(p, names, endpoints, wanted))) {
                kept.add(t);
                ids.add(t.id());
            }
        }
        if (kept.isEmpty()) return null;
        List<SharedNat> nats = new ArrayList<>();
        for (SharedNat n : a.sharedNats()) {
            if (n.tunnels().stream().anyMatch(ids::contains)) nats.add(n);
        }
        return new Analysis(a.schemaVersion(), a.summary(), kept, a.join(), a.warnings(), nats);
    }

    private static boolean matches(Peer p, Set<String> names, Set<String> endpoints, String wanted) {
        if (names.contains(p.id()) || (p.name() != null && names.contains(p.name()))) return true;
        for (Endpoint e : p.endpoints()) {
            if (endpoints.contains(e.toString()) || e.address().equals(wanted)) return true;
        }
        return false;
    }
}
