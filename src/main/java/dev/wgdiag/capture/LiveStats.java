package dev.wgdiag.capture;

/**
 * Counters of a live capture.
 *
 * @param packets    frames handed to the sink
 * @param bytes      captured bytes handed to the sink
 * @param received   libpcap's ps_recv (frames that passed the filter, dropped ones included), -1 unknown
 * @param dropped    libpcap's ps_drop: frames the kernel dropped because wgdiag did not keep up, -1 unknown
 * @param ifDropped  libpcap's ps_ifdrop: frames the interface dropped (for all listeners), -1 unknown
 */
public record LiveStats(long packets, long bytes, long received, long dropped, long ifDropped) {
}
