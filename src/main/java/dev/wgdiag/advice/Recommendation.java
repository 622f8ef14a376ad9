package dev.wgdiag.advice;

import dev.wgdiag.config.Attribute;

import java.util.List;

/**
 * One change to a WireGuard config, backed by evidence. Never made without evidence. The report
 * writes the reason, the place, the exact config lines and the cost in words (report/AdviceWords).
 *
 * @param setting    the wg-quick attribute, e.g. {@link Attribute#PERSISTENT_KEEPALIVE}
 * @param peer       id of the peer whose config changes (the side of the tunnel that must act)
 * @param value      the new value, as written in the config
 * @param reason     why this value
 * @param confidence see {@link Confidence}
 * @param evidence   the events (with times) the value rests on; never empty
 * @param config     where it goes: whose config, which section
 * @param cost       what it costs (keepalives per hour, bytes per day), or null
 */
public record Recommendation(Attribute setting, String peer, String value, Why reason, Confidence confidence,
                             List<Cited> evidence, ConfigPlace config, Cost cost) {
    public Recommendation {
        if (evidence == null || evidence.isEmpty()) {
            throw new IllegalArgumentException("a recommendation needs evidence: " + setting);
        }
        evidence = List.copyOf(evidence);
    }
}
