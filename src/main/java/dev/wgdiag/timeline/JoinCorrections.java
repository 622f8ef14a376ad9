package dev.wgdiag.timeline;

import dev.wgdiag.net.Endpoint;

import java.util.Map;
import java.util.Set;

/**
 * What a capture inside the NAT-side peer's NAT corrects in the analysis of the capture outside it,
 * made by {@link JoinEvidence#read} and applied by the {@link TunnelAssembler} as it builds the result;
 * neither analyzer is changed.
 *
 * @param inside            the inside capture's view (delivered packets, its directions' counters)
 * @param insideOffset      the inside capture's clock minus the outside one's, ns
 * @param portPreserving    the join saw the NAT keep the inside port: a new mapping gets the old public port back
 * @param insideUpstream    receiver indices of the directions whose sender is on the inside capture's side
 * @param translatedOutside outside endpoints the join saw the NAT translate an inside endpoint to
 * @param causes            handshakes whose cause the inside capture read better (where their initiator sits)
 */
record JoinCorrections(CaptureView inside, long insideOffset, boolean portPreserving, Set<Long> insideUpstream,
                       Set<Endpoint> translatedOutside, Map<HandshakeSeries, Cause> causes) {

    /** A handshake's trigger and cause as read in the other capture. */
    record Cause(HandshakeTrigger trigger, SwapCause cause, TriggerDetail detail) {
    }

    /** A handshake's trigger, corrected when a join has one ({@code join} null: none). */
    static HandshakeTrigger trigger(HandshakeSeries s, JoinCorrections join) {
        Cause c = join == null ? null : join.causes.get(s);
        return c == null ? s.trigger : c.trigger();
    }

    /** A handshake's cause and its detail, corrected when a join has one. */
    static Cause cause(HandshakeSeries s, JoinCorrections join) {
        Cause c = join == null ? null : join.causes.get(s);
        return c != null ? c : new Cause(s.trigger, s.cause, s.causeDetail);
    }
}
