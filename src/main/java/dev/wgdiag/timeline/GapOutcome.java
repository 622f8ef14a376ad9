package dev.wgdiag.timeline;

/** What an idle gap did to the peer's NAT mapping. */
public enum GapOutcome {
    /** The peer spoke again from the same endpoint: the mapping lived through the gap. */
    SURVIVED,
    /** The peer spoke again from a new port on the same address: the mapping died within the gap. */
    EXPIRED,
    /** The peer spoke again from a new address: roaming, no evidence. */
    ROAMED,
    /** Seen from inside the NAT: a packet from the other peer arrived after the gap, so the mapping was alive. */
    INBOUND_DELIVERED
}
