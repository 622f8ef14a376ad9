package dev.wgdiag.pcap;

import dev.wgdiag.wire.DatagramHandler;

import java.io.InputStream;

/**
 * For fuzz harnesses outside this package: {@link CaptureReader#read(String, InputStream, DatagramHandler,
 * java.util.function.LongConsumer, CaptureOptions)} with a 512 KiB buffer instead of 8 MiB (it still
 * holds the largest record), so that each of millions of inputs does not allocate and clear 8 MiB.
 */
public final class FuzzReads {
    private FuzzReads() {
    }

    public static CaptureStats read(String name, InputStream in, DatagramHandler handler, CaptureOptions options)
            throws CaptureException {
        return CaptureReader.read(name, in, handler, null, options, CaptureReaderFuzzTest.BUFFER);
    }
}
