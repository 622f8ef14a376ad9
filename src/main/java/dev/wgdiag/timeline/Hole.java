package dev.wgdiag.timeline;

import dev.wgdiag.time.Timestamp;
/**
 * A silence in the whole capture longer than any WireGuard timer ({@link Episodes#HOLE_NANOS}): the
 * capture has a hole there (traces glued together) or every tunnel was idle so long that all keys were
 * gone. What follows is analysed as a new episode.
 *
 * @param from    the last message before it
 * @param to      the first message after it
 * @param seconds its length
 */
public record Hole(Timestamp from, Timestamp to, double seconds) {
}
