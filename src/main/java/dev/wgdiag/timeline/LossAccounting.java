package dev.wgdiag.timeline;

import dev.wgdiag.wire.SessionIndex;

import java.util.ArrayList;
import java.util.List;

/**
 * Loss per session direction from its counters ({@link CounterWindow}: sent is the counter span seen,
 * missing what never reached the capture point), and per sending peer over all sessions. Joined with
 * the capture inside the NAT, a direction seen at both points is counted from the capture at the sender
 * (how many it sent) and the one downstream (how many arrived); a direction toward the NAT-side peer
 * that the inside capture covered but never saw lost everything.
 */
final class LossAccounting {
    /** Per direction, and per sending peer. */
    record Result(List<Loss> directions, List<Loss> totals) {
    }

    private LossAccounting() {
    }

    static Result of(TunnelState tn, int nat, JoinEvidence join, CaptureTotals clock) {
        List<Loss> loss = new ArrayList<>();
        long[][] totals = new long[2][4];
        long[] totalFirst = {Long.MAX_VALUE, Long.MAX_VALUE};
        long[] totalLast = {Long.MIN_VALUE, Long.MIN_VALUE};
        for (Session s : tn.allSessions) {
            for (SessionDirection d : s.bySender) {
                if (d == null || !d.window.any()) continue;
                CounterWindow w = d.window;
                long sent = w.sent(), missing = w.missing(), reordered = w.reordered(), duplicates = w.duplicates();
                SessionDirection twin = join == null || nat < 0 ? null : join.twin(d);
                if (twin != null) {
                    boolean upInside = join.upstreamInside(d, nat);
                    CounterWindow up = upInside ? twin.window : w, down = upInside ? w : twin.window;
                    sent = up.sent();
                    missing = Math.max(0, sent - Math.min(sent, down.received()));
                    reordered = down.reordered();
                    duplicates = down.duplicates();
                } else if (join != null && nat >= 0 && d.senderSide != nat && join.insideCovers(d.first, d.last)) {
                    missing = sent; // nothing of it arrived inside the NAT
                    reordered = 0;
                    duplicates = 0;
                }
                loss.add(new Loss(tn.sides[d.senderSide].peer.id, tn.sides[1 - d.senderSide].peer.id,
                        SessionIndex.of(d.receiverIndex), clock.ts(d.first), clock.ts(d.last), sent, missing,
                        percent(missing, sent), reordered, duplicates));
                long[] tot = totals[d.senderSide];
                tot[0] += sent;
                tot[1] += missing;
                tot[2] += reordered;
                tot[3] += duplicates;
                totalFirst[d.senderSide] = Math.min(totalFirst[d.senderSide], d.first);
                totalLast[d.senderSide] = Math.max(totalLast[d.senderSide], d.last);
            }
        }
        List<Loss> lossTotals = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            if (totals[i][0] == 0) continue;
            lossTotals.add(new Loss(tn.sides[i].peer.id, tn.sides[1 - i].peer.id, null, clock.ts(totalFirst[i]), clock.ts(totalLast[i]),
                    totals[i][0], totals[i][1], percent(totals[i][1], totals[i][0]), totals[i][2], totals[i][3]));
        }
        return new Result(loss, lossTotals);
    }

    static double percent(long missing, long sent) {
        return sent == 0 ? 0 : Math.round(10_000.0 * missing / sent) / 100.0;
    }
}
