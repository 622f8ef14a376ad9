package dev.wgdiag.timeline;

import java.util.List;

/**
 * Several tunnels whose client peers talk from one public address: one NAT in front of them all (a
 * carrier-grade NAT, a home router with several phones). Their mapping-timeout evidence is pooled:
 * a mapping of that NAT that lived L seconds and one that died within U seconds bound the same timer
 * (RFC 4787 REQ-1 and REQ-5: one NAT applies one UDP mapping timer), so the pooled bracket is the
 * longest survival and the shortest expiry of them all.
 *
 * @param address        the shared public address
 * @param peers          the client peers behind it (ids), in the order of {@code tunnels}
 * @param tunnels        their tunnels (ids)
 * @param mappingTimeout the pooled bracket; its {@code peer} is null (it is the NAT's, not one peer's)
 */
public record SharedNat(String address, List<String> peers, List<String> tunnels, MappingTimeout mappingTimeout) {
    public SharedNat {
        peers = List.copyOf(peers);
        tunnels = List.copyOf(tunnels);
    }
}
