package dev.wgdiag.timeline;

import java.util.List;
import java.util.Map;

/** A session initiated by another peer than the previous one. {@code time} is the new initiator's first initiation. */
public record InitiatorSwap(Timestamp time, String previousInitiator, String newInitiator, SwapCause cause, String detail) {
}
