package dev.wgdiag.capture;

import java.io.IOException;

/** Receives each captured frame on the capture thread. {@code data} is valid only during the call. */
@FunctionalInterface
public interface PacketSink {
    /**
     * @param frameNumber 1-based number of the frame in this capture
     * @param timeNanos   capture time, nanoseconds since the Unix epoch
     * @param capLen      bytes of {@code data} captured
     * @param origLen     length of the frame on the wire
     * @throws IOException to stop the capture (e.g. the disk is full)
     */
    void onPacket(long frameNumber, long timeNanos, byte[] data, int capLen, int origLen) throws IOException;
}
