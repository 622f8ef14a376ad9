package dev.wgdiag.timeline;

import java.util.ArrayList;
import java.util.List;

/**
 * The NAT mapping timeout as a bracket, a pure function of the gaps the mapping survived and the ones it
 * did not (nat-behaviour.md, "Reading a capture"): the timeout is longer than every gap it survived (the
 * lower bound is the longest) and at most every gap it lost (the upper bound is the shortest), under each
 * refresh model: idle time counted from the peer's last outbound packet (only outbound refreshes the
 * mapping), or from the last packet either way (inbound refreshes it too). {@link MappingTimeout#choose}
 * picks the model the evidence fits.
 */
final class MappingTimeoutEstimator {
    /** Evidence kept in the result: every expiry, then the longest survivals (at least 5) up to this many in all. */
    static final int MAX_EVIDENCE = 40;

    private MappingTimeoutEstimator() {
    }

    /** No NAT-side peer identified: nothing to estimate. */
    static MappingTimeout notObserved() {
        return new MappingTimeout(false, null, null, RefreshModel.NOT_OBSERVED, null, Viewpoint.UNKNOWN,
                new Bracket(null, null, true), new Bracket(null, null, true), 0, 0, List.of(),
                new MappingNote(RefreshModel.NOT_OBSERVED, List.of(new MappingNote.NoNatPeer())));
    }

    /**
     * The bracket for the NAT in front of {@code peer} seen from {@code viewpoint}.
     *
     * @param note with no gap at all, why none counts; else what qualifies the bracket (may be empty)
     */
    static MappingTimeout estimate(String peer, Viewpoint viewpoint, List<Evidence> survived, List<Evidence> expired,
                                   List<MappingNote.Context> note) {
        Double lowOut = null, lowAny = null, upOut = null, upAny = null;
        for (Evidence e : survived) {
            lowOut = lowOut == null ? e.idleOutboundSeconds() : Math.max(lowOut, e.idleOutboundSeconds());
            lowAny = lowAny == null ? e.idleAnySeconds() : Math.max(lowAny, e.idleAnySeconds());
        }
        for (Evidence e : expired) {
            upOut = upOut == null ? e.idleOutboundSeconds() : Math.min(upOut, e.idleOutboundSeconds());
            upAny = upAny == null ? e.idleAnySeconds() : Math.min(upAny, e.idleAnySeconds());
        }
        if (survived.isEmpty() && expired.isEmpty()) {
            return MappingTimeout.choose(peer, viewpoint, lowOut, lowAny, upOut, upAny, 0, 0, List.of(), note);
        }
        List<Evidence> ev = new ArrayList<>(expired);
        List<Evidence> sv = new ArrayList<>(survived);
        sv.sort((a, b) -> Double.compare(b.idleOutboundSeconds(), a.idleOutboundSeconds()));
        ev.addAll(sv.subList(0, Math.min(sv.size(), Math.max(5, MAX_EVIDENCE - ev.size()))));
        ev.sort((a, b) -> a.time().compareTo(b.time()));
        return MappingTimeout.choose(peer, viewpoint, lowOut, lowAny, upOut, upAny, survived.size(), expired.size(), ev, note);
    }
}
