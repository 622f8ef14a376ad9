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
 * @param note          the model and what qualifies the bracket (JSON writes it as a sentence)
 */
public record MappingTimeout(boolean observed, Double lowerSeconds, Double upperSeconds, RefreshModel refreshModel,
                             String peer, Viewpoint viewpoint, Bracket outboundOnly, Bracket anyDirection,
                             int survivedGaps, int expiredGaps, List<Evidence> evidence, MappingNote note) {

    /**
     * The reported bracket from the two models' bounds: under both models when they agree (survival
     * counted the short way, expiry the long way), else under the one model the evidence fits, else
     * contradictory (no bounds). {@code context} qualifies it (the note).
     */
    static MappingTimeout choose(String peer, Viewpoint vp, Double lowOut, Double lowAny, Double upOut, Double upAny,
                                 int survived, int expired, List<Evidence> evidence, List<MappingNote.Context> context) {
        boolean okOut = lowOut == null || upOut == null || lowOut < upOut;
        boolean okAny = lowAny == null || upAny == null || lowAny < upAny;
        Bracket bOut = new Bracket(lowOut, upOut, okOut);
        Bracket bAny = new Bracket(lowAny, upAny, okAny);
        if (survived == 0 && expired == 0) {
            return new MappingTimeout(false, null, null, RefreshModel.NOT_OBSERVED, peer, vp, bOut, bAny, 0, 0, List.of(),
                    new MappingNote(RefreshModel.NOT_OBSERVED, context));
        }
        Double lower, upper;
        RefreshModel model;
        if (okOut && okAny) {
            lower = lowAny;                     // survival counted the short way, expiry the long way
            upper = upOut;
            model = RefreshModel.EITHER;
        } else if (okAny) {
            lower = lowAny;                     // a mapping outlived outbound silence longer than one it lost
            upper = upAny;
            model = RefreshModel.ANY_DIRECTION;
        } else if (okOut) {
            lower = lowOut;                     // inbound packets did not keep the mapping alive
            upper = upOut;
            model = RefreshModel.OUTBOUND_ONLY;
        } else {
            return new MappingTimeout(true, null, null, RefreshModel.CONTRADICTORY, peer, vp, bOut, bAny, survived, expired, evidence,
                    new MappingNote(RefreshModel.CONTRADICTORY, context));
        }
        if (lower == null) lower = 0.0;
        return new MappingTimeout(true, lower, upper, model, peer, vp, bOut, bAny, survived, expired, evidence, new MappingNote(model, context));
    }
}
