package dev.wgdiag.timeline;

/**
 * Packets the other peer sent to a peer's endpoint while the peer was silent for an idle gap, as seen
 * at this capture point: outside the NAT what was sent into the mapping, inside what was delivered.
 *
 * @param silenceStart the peer's last packet before the gap
 * @param end          when it spoke again (-1: not before the capture ended)
 * @param outcome      what its return said about the mapping (null: no return)
 * @param times        the first {@link SideGaps#LATE_KEPT} packets' times, in order
 * @param total        how many packets in all
 * @param last         the last packet's time
 * @param gapIndex     the gap in the tunnel's list (-1: none recorded)
 */
record IntoGap(long silenceStart, long end, GapOutcome outcome, long[] times, long total, long last, int gapIndex) {
}
