package dev.wgdiag.timeline;

import dev.wgdiag.time.Timestamp;
import dev.wgdiag.wire.SessionIndex;


/** Transport counter gaps of one direction (of one session, or all sessions when receiverIndex is null): loss between the sender and the capture point. */
public record Loss(String from, String to, SessionIndex receiverIndex, Timestamp start, Timestamp end, long sent, long missing, double percent, long reordered, long duplicates) {
}
