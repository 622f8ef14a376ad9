package dev.wgdiag.timeline;

import dev.wgdiag.time.Timestamp;

/** A session initiated by another peer than the previous one. {@code time} is the new initiator's first initiation. */
public record InitiatorSwap(Timestamp time, String previousInitiator, String newInitiator, SwapCause cause, TriggerDetail detail) {
}
