package dev.wgdiag.advice;

import java.util.List;

/**
 * One change to a WireGuard config, backed by evidence. Never made without evidence.
 *
 * @param setting    the wg-quick attribute, e.g. {@code PersistentKeepalive}
 * @param peer       id of the peer whose config changes (the side of the tunnel that must act)
 * @param value      the new value, as written in the config
 * @param reason     one sentence: why this value
 * @param confidence see {@link Confidence}
 * @param evidence   the events (with times) the value rests on; never empty
 * @param config     where it goes, for a person: e.g. {@code wg0.conf of peer2 (NAT client), [Peer] section of peer1}
 * @param lines      the exact config lines, section header first
 * @param cost       what it costs (keepalives per hour, bytes per day), or null
 */
public record Recommendation(String setting, String peer, String value, String reason, Confidence confidence,
                             List<Cited> evidence, String config, List<String> lines, String cost) {
    public Recommendation {
        if (evidence == null || evidence.isEmpty()) {
            throw new IllegalArgumentException("a recommendation needs evidence: " + setting);
        }
        evidence = List.copyOf(evidence);
        lines = List.copyOf(lines);
    }
}
