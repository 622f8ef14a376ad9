package dev.wgdiag.pcap;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;

/**
 * A regular file's first {@code size} bytes (its size when opened) read through memory maps of
 * {@link #WINDOW} bytes, one at a time, each unmapped as soon as it is read. A read then copies once,
 * out of the page cache into the caller's array, where a {@link FileChannel} read copies twice (into a
 * temporary direct buffer in the kernel call, then into the array): on the 1.1 GB benchmark capture
 * 0.02-0.03 s to map and fault in every page against 0.18-0.23 s for channel reads
 * (docs/benchmarks.md). Resident memory stays bounded: at most one window is mapped. A file system
 * that cannot map files gets channel reads instead.
 *
 * <p>A file cut shorter while it is read (another program truncating it, {@code tcpdump -w} writing
 * it anew) makes the mapped pages beyond its new end unreadable: the JVM reports the fault as an
 * {@link InternalError}, soon but not always at the read that met it (bytes copied meanwhile are not
 * the file's). {@link CaptureReader} turns it into a one-line error that says the file was cut while
 * it was read; no result is made from such a read.
 */
final class MappedInput extends InputStream {
    /** Bytes mapped at a time: few map calls, little resident memory. */
    static final long WINDOW = 32L << 20;

    private final long windowBytes;
    private final FileChannel channel;
    private final long size;
    private MappedByteBuffer window;
    /** File offset of the window's first byte. */
    private long windowStart;
    /** File offset of the next byte to read. */
    private long position;
    /** The file system refused a map: channel reads instead. */
    private boolean unmappable;

    MappedInput(FileChannel channel, long size) {
        this(channel, size, WINDOW);
    }

    /** With windows of {@code windowBytes} (tests put window ends everywhere). */
    MappedInput(FileChannel channel, long size, long windowBytes) {
        this.channel = channel;
        this.size = size;
        this.windowBytes = windowBytes;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) return 0;
        if (position >= size) return -1;
        if (unmappable) return readChannel(b, off, len);
        if (window == null || position >= windowStart + window.limit()) {
            try {
                map();
            } catch (IOException e) {
                // a file system that cannot map files (some FUSE and network ones): channel reads from here on
                unmappable = true;
                return readChannel(b, off, len);
            }
        }
        int at = (int) (position - windowStart);
        int n = Math.min(len, window.limit() - at);
        window.get(at, b, off, n);
        position += n;
        return n;
    }

    private int readChannel(byte[] b, int off, int len) throws IOException {
        int r = channel.read(ByteBuffer.wrap(b, off, (int) Math.min(len, size - position)), position);
        if (r > 0) position += r;
        return r;
    }

    @Override
    public long skip(long n) {
        long k = Math.max(0, Math.min(n, size - position));
        position += k;
        return k;
    }

    @Override
    public int available() {
        return (int) Math.min(Integer.MAX_VALUE, size - position);
    }

    @Override
    public void close() {
        unmap();
    }

    private void map() throws IOException {
        unmap();
        windowStart = position;
        window = channel.map(FileChannel.MapMode.READ_ONLY, windowStart, Math.min(windowBytes, size - windowStart));
    }

    /** Unmaps the window now rather than when the collector gets to it, so that its pages leave the resident set. */
    private void unmap() {
        MappedByteBuffer w = window;
        window = null;
        if (w != null && UNSAFE != null) {
            try {
                UNSAFE.invokeCleaner(w);
            } catch (RuntimeException e) {
                // left to the collector
            }
        }
    }

    /** sun.misc.Unsafe (module jdk.unsupported) for invokeCleaner, the JDK's one way to unmap a buffer now; null when absent. */
    private static final sun.misc.Unsafe UNSAFE = unsafe();

    private static sun.misc.Unsafe unsafe() {
        try {
            Field f = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
            f.setAccessible(true);
            return (sun.misc.Unsafe) f.get(null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
