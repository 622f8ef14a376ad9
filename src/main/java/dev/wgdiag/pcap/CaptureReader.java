package dev.wgdiag.pcap;

import java.util.function.LongConsumer;

/**
 * Reads a capture file (classic pcap, pcapng, either gzip-compressed) or standard input ({@code "-"})
 * and delivers every UDP datagram in it, IP fragments reassembled, to a {@link DatagramHandler}.
 * No native library is involved. Memory stays bounded whatever the file size.
 */
public final class CaptureReader {
    private CaptureReader() {
    }

    /**
     * @param source   a file path, or "-" for standard input
     * @param handler  receives each datagram (a flyweight valid only during the call)
     * @param progress receives the number of file bytes consumed so far, now and then (may be null)
     * @throws CaptureException with a one-line message naming the file and the problem when the
     *                          source is missing, unreadable, empty or not a capture. A capture cut
     *                          short is not an exception: the datagrams up to the cut are delivered
     *                          and {@link CaptureStats#truncated()} is set with a warning.
     */
    public static CaptureStats read(String source, DatagramHandler handler, LongConsumer progress)
            throws CaptureException {
        throw new CaptureException(source + ": capture reading is not implemented yet");
    }
}
