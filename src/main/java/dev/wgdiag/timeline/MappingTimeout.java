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

    /**
     * The reported bracket from the two models' bounds: under both models when they agree (survival
     * counted the short way, expiry the long way), else under the one model the evidence fits, else
     * contradictory (no bounds). {@code context}, when not null, is put before the model's note.
     */
    static MappingTimeout choose(String peer, Viewpoint vp, Double lowOut, Double lowAny, Double upOut, Double upAny,
                                 int survived, int expired, List<Evidence> evidence, String context) {
        boolean okOut = lowOut == null || upOut == null || lowOut < upOut;
        boolean okAny = lowAny == null || upAny == null || lowAny < upAny;
        Bracket bOut = new Bracket(lowOut, upOut, okOut);
        Bracket bAny = new Bracket(lowAny, upAny, okAny);
        if (survived == 0 && expired == 0) {
            return new MappingTimeout(false, null, null, RefreshModel.NOT_OBSERVED, peer, vp, bOut, bAny, 0, 0, List.of(),
                    "not observed" + (context == null ? "" : ": " + context));
        }
        Double lower, upper;
        RefreshModel model;
        String note;
        if (okOut && okAny) {
            lower = lowAny;
            upper = upOut;
            model = RefreshModel.EITHER;
            note = "evidence fits both refresh models; bracket holds under either";
        } else if (okAny) {
            lower = lowAny;
            upper = upAny;
            model = RefreshModel.ANY_DIRECTION;
            note = "a mapping outlived outbound silence longer than one it lost: inbound packets refresh it";
        } else if (okOut) {
            lower = lowOut;
            upper = upOut;
            model = RefreshModel.OUTBOUND_ONLY;
            note = "inbound packets did not keep the mapping alive: only outbound packets refresh it";
        } else {
            return new MappingTimeout(true, null, null, RefreshModel.CONTRADICTORY, peer, vp, bOut, bAny, survived, expired, evidence,
                    (context == null ? "" : context + "; ") + "contradictory: the mapping survived gaps longer than ones it lost"
                            + " (port-preserving NAT, or a NAT rebinding under traffic)");
        }
        if (lower == null) lower = 0.0;
        return new MappingTimeout(true, lower, upper, model, peer, vp, bOut, bAny, survived, expired, evidence,
                (context == null ? "" : context + "; ") + note);
    }
}
