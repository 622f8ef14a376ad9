package dev.wgdiag.capture;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Writes packets to one capture file, in whole records only: whatever goes wrong (disk full, a
 * kill between flushes), the file on disk ends at a record boundary and stays readable.
 *
 * <p>Records are gathered in a direct buffer and written with {@link FileChannel#write}; the buffer
 * remembers where each record ends. When a write fails part-way (ENOSPC), the file is truncated
 * back to the last record that reached the disk whole, and the writer refuses further packets
 * ({@link #failure()}). Nothing is allocated per packet.
 *
 * <p>Subclasses give the file header and the record framing: {@link PcapWriter} (classic pcap,
 * nanosecond timestamps) and {@link PcapngWriter}.
 */
public abstract class CaptureFileWriter implements Closeable {
    /** Bytes gathered before a write to disk. */
    static final int BUFFER_SIZE = 256 * 1024;

    private final Path path;
    private final FileChannel channel;
    protected final ByteBuffer buf;
    private int[] recordEnds = new int[1024];
    private int records;
    private long fileSize;
    private long packets;
    private IOException failure;

    protected CaptureFileWriter(Path path, ByteOrder order) throws IOException {
        this(path, order, null);
    }

    /**
     * @param reuse the buffer of a closed writer to write with (a ring's next file), or null for a new
     *     one. A direct buffer's memory returns only when a collection finds it unreachable, which for
     *     an old one can take long: a ring that allocated one per file grew its resident set by about
     *     6 MB a minute (CaptureRingSoakLabTest, 600 s).
     */
    protected CaptureFileWriter(Path path, ByteOrder order, ByteBuffer reuse) throws IOException {
        this.path = path;
        this.channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        this.buf = (reuse != null && reuse.capacity() == BUFFER_SIZE && reuse.isDirect()
                ? reuse.clear() : ByteBuffer.allocateDirect(BUFFER_SIZE)).order(order);
    }

    /** The buffer, for the next file of a ring once this writer is closed. */
    ByteBuffer buffer() {
        return buf;
    }

    /** Bytes a record for a packet of {@code capLen} captured bytes takes in this format. */
    protected abstract int recordSize(int capLen);

    /** Puts one record into {@link #buf}; it has room. */
    protected abstract void putRecord(long timeNanos, byte[] data, int off, int capLen, int origLen);

    /**
     * Writes one packet.
     *
     * @return false when the writer has failed earlier and the packet was not written
     * @throws IOException the first time a write fails; the file then ends at the last whole record
     */
    public final boolean write(long timeNanos, byte[] data, int off, int capLen, int origLen) throws IOException {
        if (failure != null) return false;
        int size = recordSize(capLen);
        if (size > buf.remaining()) {
            flush();
            if (size > buf.capacity()) {
                throw new IllegalArgumentException("record of " + size + " bytes exceeds the write buffer");
            }
        }
        putRecord(timeNanos, data, off, capLen, origLen);
        endRecord();
        packets++;
        return true;
    }

    /** Marks the end of a record (header blocks included) put into the buffer. */
    protected final void endRecord() {
        if (records == recordEnds.length) {
            int[] bigger = new int[records * 2];
            System.arraycopy(recordEnds, 0, bigger, 0, records);
            recordEnds = bigger;
        }
        recordEnds[records++] = buf.position();
    }

    /** Bytes a file would have after writing a record of this size now (for size rotation). */
    public final long sizeAfter(int capLen) {
        return fileSize + buf.position() + recordSize(capLen);
    }

    /** Bytes in the file, counting those still buffered. */
    public final long size() {
        return fileSize + buf.position();
    }

    public final long packets() {
        return packets;
    }

    public final Path path() {
        return path;
    }

    /** The write error that stopped this writer, or null. */
    public final IOException failure() {
        return failure;
    }

    /** Writes the buffered records to the file (not fsync). */
    public final void flush() throws IOException {
        if (failure != null) return;
        buf.flip();
        try {
            while (buf.hasRemaining()) {
                channel.write(buf);
            }
            fileSize += buf.limit();
        } catch (IOException e) {
            failure = e;
            keepWholeRecords(buf.position());
            throw e;
        } finally {
            buf.clear();
            records = 0;
        }
    }

    private void keepWholeRecords(int written) {
        int keep = 0;
        for (int i = 0; i < records && recordEnds[i] <= written; i++) {
            keep = recordEnds[i];
        }
        try {
            channel.truncate(fileSize + keep);
        } catch (IOException ignored) {
            // truncating never needs space; if even that fails there is nothing better to do
        }
        fileSize += keep;
    }

    /** Writes anything the format puts at the end, flushes and closes; safe after a failure. */
    @Override
    public void close() throws IOException {
        try {
            if (failure == null) {
                beforeClose();
                flush();
            }
        } finally {
            channel.close();
        }
    }

    /** Hook for a trailer record (pcapng statistics); runs before the last flush. */
    protected void beforeClose() throws IOException {
    }
}
