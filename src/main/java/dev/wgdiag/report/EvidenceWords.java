package dev.wgdiag.report;

import dev.wgdiag.timeline.CaptureJoin;
import dev.wgdiag.timeline.MappingNote;
import dev.wgdiag.timeline.Observation;
import dev.wgdiag.time.Timestamp;
import dev.wgdiag.timeline.TriggerDetail;

/** The words for the analysis' typed evidence: what a gap showed, and the note of a mapping-timeout bracket. */
public final class EvidenceWords {
    private EvidenceWords() {
    }

    public static String words(Observation o) {
        // Java 17 has no pattern switch: one test per permitted type (Observation is sealed).
        if (o instanceof Observation.InboundDelivered d) return "packet from " + d.fromPeer() + " reached the capture point";
        if (o instanceof Observation.SpokeAgain s) return s.peer() + " spoke again from " + s.from();
        if (o instanceof Observation.NewPort n) {
            return unanswered("data", n.dataUnanswered()) + unanswered("initiation", n.initiationUnanswered())
                    + n.peer() + " came back from a new port " + n.from();
        }
        if (o instanceof Observation.ArrivedInside a) {
            return "inside the NAT a packet from " + a.fromPeer() + " arrived after " + a.afterSeconds() + " s of outbound silence";
        }
        if (o instanceof Observation.NeverArrivedInside n) {
            return "the packet sent to " + n.toPeer() + " after " + Decimals.of(n.idleSeconds(), 1)
                    + " s idle never arrived inside the NAT, nor the " + n.followingLost() + " after it"
                    + (n.afterDelivery() ? " (the last one delivered inside was sent before it)" : "");
        }
        throw new IllegalArgumentException("no words for " + o);
    }

    /** The note of a mapping-timeout bracket: what qualifies it, then what its refresh model means. */
    public static String words(MappingNote note) {
        StringBuilder context = new StringBuilder();
        for (MappingNote.Context c : note.context()) {
            if (context.length() > 0) context.append("; ");
            context.append(words(c));
        }
        String ctx = context.toString();
        String model = switch (note.model()) {
            case NOT_OBSERVED -> null;
            case EITHER -> "evidence fits both refresh models; bracket holds under either";
            case ANY_DIRECTION -> "a mapping outlived outbound silence longer than one it lost: inbound packets refresh it";
            case OUTBOUND_ONLY -> "inbound packets did not keep the mapping alive: only outbound packets refresh it";
            case CONTRADICTORY -> "contradictory: the mapping survived gaps longer than ones it lost"
                    + " (port-preserving NAT, or a NAT rebinding under traffic)";
        };
        if (model == null) return "not observed" + (ctx.isEmpty() ? "" : ": " + ctx);
        return ctx.isEmpty() ? model : ctx + "; " + model;
    }

    private static String words(MappingNote.Context c) {
        if (c instanceof MappingNote.NoNatPeer) return "no NAT-side peer identified";
        if (c instanceof MappingNote.NoIdleGap g) return "no idle gap of " + g.peer() + " of " + g.minimumSeconds() + " s or more";
        if (c instanceof MappingNote.PortKeptNoSurvival k) {
            return k.peer() + " came back from the same public port " + k.port()
                    + " after idle gaps, but its NAT keeps the port (a new mapping looks the same), so that proves no survival";
        }
        if (c instanceof MappingNote.PortKept) return "NAT keeps the port: returns from the same endpoint are not counted as survivals";
        if (c instanceof MappingNote.InsideCapture) return "capture inside the NAT: expiries are invisible here, only survivals bound the timeout";
        if (c instanceof MappingNote.Joined) return "joined with the capture inside the NAT (delivered inbound packets count as survivals)";
        if (c instanceof MappingNote.Pooled p) return "pooled over " + p.peers() + " peers behind one public address";
        throw new IllegalArgumentException("no words for " + c);
    }

    /** The facts behind a handshake's trigger. */
    public static String words(TriggerDetail d) {
        if (d instanceof TriggerDetail.DataUnanswered u) {
            return "sent data " + Decimals.of(u.waitedSeconds(), 1) + " s earlier and heard nothing back";
        }
        if (d instanceof TriggerDetail.FirstSeen) return "first handshake seen";
        if (d instanceof TriggerDetail.Rekey r) return "rekey at keypair age " + Decimals.of(r.keypairAgeSeconds(), 1) + " s";
        if (d instanceof TriggerDetail.KeypairExpired k) {
            return "its keypair was " + Decimals.of(k.keypairAgeSeconds(), 1) + " s old (REJECT_AFTER_TIME 180 s)";
        }
        if (d instanceof TriggerDetail.DataLost l) {
            return l.packets() + " of its transport packets never reached the capture point before it: its data went"
                    + " unanswered (KEEPALIVE_TIMEOUT + REKEY_TIMEOUT)";
        }
        if (d instanceof TriggerDetail.NoRule) return "no timer rule explains it";
        if (d instanceof TriggerDetail.SeenInside s) return words(s.inside()) + " (seen in the capture inside the NAT)";
        throw new IllegalArgumentException("no words for " + d);
    }

    /** Initiations seen at one capture point that never reached the other. */
    public static String words(CaptureJoin.Unreached u) {
        return u.initiations() + " initiations to " + u.to() + " seen at " + u.seenAt() + " never reached " + u.neverAt();
    }

    private static String unanswered(String what, Timestamp at) {
        return at == null ? "" : what + " into the mapping at " + at.clock() + " unanswered; ";
    }
}
