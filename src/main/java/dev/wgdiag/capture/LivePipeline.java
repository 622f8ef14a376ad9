package dev.wgdiag.capture;

import dev.wgdiag.pcap.CaptureOptions;
import dev.wgdiag.pcap.FrameDecoder;
import dev.wgdiag.wire.MessageType;
import dev.wgdiag.wire.WgMessageHandler;
import dev.wgdiag.wire.WireGuardDecoder;

import java.io.IOException;
import java.util.Map;

/**
 * What happens to each live frame, on the capture thread: it is written to the capture file(s)
 * first, then decoded (link layer, IP, reassembly, UDP) and handed to the WireGuard decoder and
 * its message handler (normally the timeline Analyzer). A frame is analysed only once it is safely
 * in the file, so the live analysis always equals an offline analysis of the file written.
 */
public final class LivePipeline implements PacketSink {
    private final RotatingWriter writer;
    private final FrameDecoder frames;
    private final WireGuardDecoder wire;
    private final int timeDigits;

    /**
     * @param linkType   the capture's link type
     * @param timeDigits fractional digits of the capture's timestamps
     * @param writer     where frames are written, or null to write nothing
     * @param port       WireGuard port to decode, or -1 for any port
     * @param handler    receives each WireGuard message
     */
    public LivePipeline(int linkType, int timeDigits, RotatingWriter writer, int port, WgMessageHandler handler) {
        this.writer = writer;
        this.timeDigits = timeDigits;
        this.wire = new WireGuardDecoder(handler, port);
        this.frames = new FrameDecoder(linkType, wire, CaptureOptions.DEFAULTS);
    }

    @Override
    public void onPacket(long frameNumber, long timeNanos, byte[] data, int capLen, int origLen) throws IOException {
        if (writer != null) writer.write(timeNanos, data, 0, capLen, origLen);
        frames.decode(timeNanos, timeDigits, frameNumber, data, 0, capLen);
    }

    /** WireGuard messages decoded so far (a racy but harmless read from a status thread). */
    public long wireGuardMessages() {
        long n = 0;
        for (long v : wire.accepted().values()) n += v;
        return n;
    }

    public Map<MessageType, Long> messagesByType() {
        return wire.accepted();
    }

    public WireGuardDecoder wireGuardDecoder() {
        return wire;
    }

    public FrameDecoder frameDecoder() {
        return frames;
    }

    public RotatingWriter writer() {
        return writer;
    }
}
