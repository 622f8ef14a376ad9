package dev.wgdiag.pcap;

import dev.wgdiag.wire.DatagramHandler;

import java.util.Map;

/**
 * Public entry point to the frame decoding the readers use (link layer, IPv4/IPv6, fragment
 * reassembly, UDP), for frames that do not come from a file: live capture. One instance per link
 * type; not thread-safe; no allocation per frame.
 */
public final class FrameDecoder {
    private final PacketDecoder decoder;
    private final int linkType;
    private final boolean supported;

    /**
     * @param linkType LINKTYPE_ value of every frame given to {@link #decode}
     * @param handler  receives each UDP datagram (a flyweight valid only during the call)
     * @param options  reassembly limits (frame limit and secrets are ignored)
     */
    public FrameDecoder(int linkType, DatagramHandler handler, CaptureOptions options) {
        this.decoder = new PacketDecoder(handler, options);
        this.linkType = linkType;
        this.supported = PacketDecoder.supported(linkType);
        decoder.setLinkType(linkType);
        decoder.interfaceId = 0;
    }

    /** True when frames of this link type can be decoded. */
    public static boolean supported(int linkType) {
        return PacketDecoder.supported(linkType);
    }

    /**
     * Decodes one frame.
     *
     * @param timeNanos   capture time, nanoseconds since the Unix epoch
     * @param timeDigits  fractional digits of a second the time really holds (9 for nanosecond capture)
     * @param frameNumber 1-based frame number, as tshark would count it in the written file
     * @param capLen      bytes of the frame present in {@code b} from {@code off}
     */
    public void decode(long timeNanos, int timeDigits, long frameNumber, byte[] b, int off, int capLen) {
        if (!supported) {
            decoder.unsupported(linkType);
            return;
        }
        decoder.time = timeNanos;
        decoder.timeDigits = timeDigits;
        decoder.frameNumber = frameNumber;
        decoder.decode(linkType, b, off, capLen);
    }

    /** UDP datagrams delivered so far. */
    public long datagrams() {
        return decoder.datagrams;
    }

    /** Frames not delivered, by reason, as in {@link CaptureStats#skipped()}. */
    public Map<String, Long> skipped() {
        return decoder.skipped();
    }
}
