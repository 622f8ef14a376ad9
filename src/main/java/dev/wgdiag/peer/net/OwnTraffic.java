package dev.wgdiag.peer.net;

import dev.wgdiag.capture.PacketSink;

import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * The peer's own datagrams as a capture: each one wrapped in a synthetic raw-IP frame
 * ({@link SyntheticFrames}), written to the {@code -w} file when there is one, then handed to the
 * analysis (normally {@code capture.LivePipeline} with link type RAW), numbered as tshark numbers the
 * frames of that file. So the live events and the closing report are those of {@code wgdiag analyze}
 * on the written file.
 */
public final class OwnTraffic {
    /** A handshake initiation: type 1, 148 bytes (whitepaper 5.4.2). */
    static final int INITIATION_TYPE = 1;
    static final int INITIATION_SIZE = 148;

    private final SyntheticFrames frames = new SyntheticFrames();
    private final PeerCaptureFile file;
    private final PacketSink analysis;
    private long frameNumber;

    /** @param file the {@code -w} file, or null */
    public OwnTraffic(PeerCaptureFile file, PacketSink analysis) {
        this.file = file;
        this.analysis = analysis;
    }

    /** One datagram we sent to {@code remote} or received from it, on {@code local}. */
    public void datagram(long now, InetSocketAddress local, InetSocketAddress remote, byte[] data, int off, int len, boolean sent)
            throws IOException {
        int n = sent ? frames.wrap(local, remote, data, off, len) : frames.wrap(remote, local, data, off, len);
        if (file != null) {
            file.frame(now, frames.frame(), n, sent && len == INITIATION_SIZE && data[off] == INITIATION_TYPE);
        }
        analysis.onPacket(++frameNumber, now, frames.frame(), n, n);
    }

    /** Frames so far. */
    public long frames() {
        return frameNumber;
    }
}
