package dev.wgdiag.capture;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;

/**
 * Writes a capture to one file, or to a ring of files.
 *
 * <p>Without a size limit the capture goes to exactly the path given. With {@code rotateSize > 0}
 * each file is closed before it would pass that many bytes and a new one is started; files are
 * numbered from 1 with five digits before the extension: {@code wg.pcap} becomes
 * {@code wg-00001.pcap}, {@code wg-00002.pcap}, ... (numbers never repeat, so names sort in capture
 * order, unlike tcpdump's reused {@code wg.pcap0}, {@code wg.pcap1}). With {@code rotateCount > 0}
 * as well, only the newest {@code rotateCount} files are kept: the oldest is deleted when a new
 * one starts (tcpdump's {@code -C}/{@code -W} ring).
 *
 * <p>Every file is a complete capture with its own header. A packet larger than the size limit
 * still gets a file of its own.
 */
public final class RotatingWriter implements Closeable {
    private final Path base;
    private final FileFormat format;
    private final int linkType;
    private final int snaplen;
    private final String interfaceName;
    private final long rotateSize;
    private final int rotateCount;
    private final Deque<Path> kept = new ArrayDeque<>();
    private long deleted; // a count, not the names: a ring may turn for days
    private CaptureFileWriter current;
    private int index;
    private long packets;
    private long bytesClosed;

    public RotatingWriter(Path base, FileFormat format, int linkType, int snaplen, String interfaceName,
                          long rotateSize, int rotateCount) throws IOException {
        if (rotateCount > 0 && rotateSize <= 0) {
            throw new IllegalArgumentException("a rotate count needs a rotate size");
        }
        this.base = base;
        this.format = format;
        this.linkType = linkType;
        this.snaplen = snaplen;
        this.interfaceName = interfaceName;
        this.rotateSize = rotateSize;
        this.rotateCount = rotateCount;
        open(null);
    }

    /** The name of the {@code index}-th file (1-based) of a ring on {@code base}. */
    public static Path ringFile(Path base, int index) {
        String name = base.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        String ext = dot > 0 ? name.substring(dot) : "";
        return base.resolveSibling(String.format(Locale.ROOT, "%s-%05d%s", stem, index, ext));
    }

    /** Starts the next file, writing with {@code reuse} (the closed file's buffer) when given. */
    private void open(ByteBuffer reuse) throws IOException {
        Path path = rotateSize > 0 ? ringFile(base, ++index) : base;
        current = format == FileFormat.PCAPNG
                ? new PcapngWriter(path, linkType, snaplen, interfaceName, reuse)
                : new PcapWriter(path, linkType, snaplen, reuse);
        kept.addLast(path);
        while (rotateCount > 0 && kept.size() > rotateCount) {
            Path oldest = kept.removeFirst();
            Files.deleteIfExists(oldest);
            deleted++;
        }
    }

    /**
     * Writes one packet, starting a new file first when the size limit says so.
     *
     * @return false when an earlier write error stopped the writer
     * @throws IOException on the first write error; the files written so far stay valid
     */
    public boolean write(long timeNanos, byte[] data, int off, int capLen, int origLen) throws IOException {
        if (current.failure() != null) return false;
        if (rotateSize > 0 && current.packets() > 0 && current.sizeAfter(capLen) > rotateSize) {
            bytesClosed += current.size();
            current.close();
            open(current.buffer());
        }
        boolean ok = current.write(timeNanos, data, off, capLen, origLen);
        if (ok) packets++;
        return ok;
    }

    public void flush() throws IOException {
        current.flush();
    }

    /** libpcap's counters for the pcapng statistics block of the last file (ignored for pcap). */
    public void setStatistics(long received, long osDrops, long ifDrops) {
        if (current instanceof PcapngWriter ng) ng.setStatistics(received, osDrops, ifDrops);
    }

    /** Packets written to all files. */
    public long packets() {
        return packets;
    }

    /** Bytes written to all files (deleted ring files included). */
    public long bytes() {
        return bytesClosed + current.size();
    }

    /** Files that exist now, oldest first. */
    public List<Path> files() {
        return List.copyOf(kept);
    }

    /** How many ring files were deleted to keep the count. */
    public long deletedFiles() {
        return deleted;
    }

    /** The write error that stopped the writer, or null. */
    public IOException failure() {
        return current.failure();
    }

    /** The current file's write buffer (one for the whole ring). */
    ByteBuffer buffer() {
        return current.buffer();
    }

    public Path currentFile() {
        return current.path();
    }

    @Override
    public void close() throws IOException {
        current.close();
    }
}
