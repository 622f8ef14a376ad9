package dev.wgdiag.timeline;

import java.util.List;

/**
 * The NAT UDP mapping timeout of one peer's NAT as a bracket (lower, upper] in seconds, from idle gaps
 * the mapping survived (lower) and gaps it did not (upper), never a guess: {@code observed} is false
 * and both bounds null when the capture holds no evidence; {@code upperSeconds} is null when no
 * expiry was seen. Each refresh model gets its own bracket; the reported one holds under the model(s)
 * the evidence supports ({@code refreshModel}).
 *
 * @param peer          the peer behind the NAT (id), or null
 * @param viewpoint     where the capture sits relative to that NAT
 * @param outboundOnly  bracket with idle time counted from the peer's last outbound packet
 * @param anyDirection  bracket with idle time counted from the last packet either way
 * @param survivedGaps  how many gaps the mapping survived; {@code expiredGaps} how many it did not
 * @param evidence      the gaps that set the bounds (all expiries, the longest survivals)
 */
public record MappingTimeout(boolean observed, Double lowerSeconds, Double upperSeconds, RefreshModel refreshModel,
                             String peer, Viewpoint viewpoint, Bracket outboundOnly, Bracket anyDirection,
                             int survivedGaps, int expiredGaps, List<Evidence> evidence, String note) {
}
