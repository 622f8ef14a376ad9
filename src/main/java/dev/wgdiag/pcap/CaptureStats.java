package dev.wgdiag.pcap;

import java.util.List;
import java.util.Map;

/**
 * What a reader saw besides the datagrams it delivered.
 *
 * @param frames        frames (packet records) read
 * @param bytesRead     bytes of the capture file consumed (after decompression)
 * @param datagrams     UDP datagrams delivered (reassembled ones count once)
 * @param skipped       frames not delivered, by reason (e.g. "not IP", "not UDP", "unsupported link type 105")
 * @param warnings      one-line warnings for a person (e.g. truncation: results are partial up to that point)
 * @param truncated     true when the file ended in the middle of a record or block
 */
public record CaptureStats(long frames, long bytesRead, long datagrams, Map<String, Long> skipped,
                           List<String> warnings, boolean truncated) {
}
