package dev.wgdiag.pcap;

import dev.wgdiag.wire.Datagram;
import dev.wgdiag.wire.DatagramHandler;

import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads a capture file (classic pcap, pcapng, either gzip-compressed) or standard input ({@code "-"})
 * and delivers every UDP datagram in it, IP fragments reassembled, to a {@link DatagramHandler}.
 * No native library is involved. Memory stays bounded whatever the file size: one 8 MiB read buffer
 * and at most {@link CaptureOptions#maxPendingReassemblies()} 64 KiB reassembly buffers (and, read on
 * two threads, at most 4 hand-over batches of about 1.2 MB). A regular
 * file is read up to its size when opened (a warning says what it grew by meanwhile); a FIFO or
 * standard input is read to its end. Bounds and the tests behind them: docs/security.md.
 *
 * <p>Formats: pcap (microsecond and nanosecond magic, either byte order, and the "modified" pcap of
 * Kuznetsov's patches); pcapng (several sections and interfaces, EPB, SPB, obsolete PB,
 * {@code if_tsresol}, {@code if_tsoffset}; Decryption Secrets Blocks go to
 * {@link CaptureOptions#secretsHandler()}; other blocks are skipped). Gzip is detected by its magic
 * (1f 8b), whatever the file name.
 *
 * <p>Link types: Ethernet with 802.1Q / 802.1ad / 0x9100 VLAN tags, Linux cooked v1 and v2, raw IP
 * (101, DLT 12 and 14, 228, 229), BSD NULL and LOOP. IPv4 with options, IPv6 with hop-by-hop,
 * routing, destination options, AH and fragment headers.
 *
 * <p>Fragments: a fragmented UDP datagram is delivered once, at the frame that completes it (its
 * time and frame number, as tshark shows it), with {@link Datagram#reassembled()} true. Snaplen-cut
 * fragments: a cut <em>first</em> fragment (offset 0) is delivered at once, at its own frame, not
 * reassembled, with what it holds (UDP header, start of the WireGuard message; {@code payloadLength}
 * from the UDP header) -- tshark does the same for IPv4 (for IPv6 it shows nothing). When only a
 * later fragment is cut, fragments count by their on-the-wire length and the datagram is delivered
 * at completion with {@code payloadCaptured} = the bytes captured contiguously from its start
 * (tshark shows nothing then). Pending reassemblies are bounded (count and capture-time timeout,
 * {@link CaptureOptions}); dropped fragment frames are counted in {@link CaptureStats#skipped()}.
 *
 * <p>Threads: a read of a file of at least 4 MiB, or of a stream, uses a second core: a reader thread
 * reads the records and decodes them down to UDP, and the calling thread runs the handler, so the
 * handler, the ICMP and secrets handlers and the progress consumer all run on the calling thread, in
 * capture order, exactly as on one thread ({@link ReaderThread}). Small files are read on the calling
 * thread alone. A regular file is read through memory maps ({@link MappedInput}: one copy out of the
 * page cache instead of two); {@code -Dwgdiag.mmap=off} reads it with channel reads.
 *
 * <p>Frame numbers count every packet record (pcap record, EPB, SPB, PB) and, like tshark, pcapng
 * Custom Blocks and Systemd Journal Export Blocks. A Simple Packet Block has no time stamp: time 0.
 */
public final class CaptureReader {
    /** The name used in messages for standard input. */
    public static final String STDIN = "-";

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
        return read(source, handler, progress, CaptureOptions.DEFAULTS);
    }

    /** As {@link #read(String, DatagramHandler, LongConsumer)}, with options (frame limit, secrets, reassembly bounds). */
    public static CaptureStats read(String source, DatagramHandler handler, LongConsumer progress,
                                    CaptureOptions options) throws CaptureException {
        if (STDIN.equals(source)) {
            return read("stdin", System.in, handler, progress, options);
        }
        Path path;
        try {
            path = Path.of(source);
        } catch (InvalidPathException e) {
            throw new CaptureException(source + ": not a valid file name");
        }
        if (Files.isDirectory(path)) {
            throw new CaptureException(source + ": is a directory, not a capture file");
        }
        FileChannel channel;
        long sizeAtOpen;
        try {
            channel = FileChannel.open(path, StandardOpenOption.READ);
            // A regular file is read up to its size when opened: one still being written (tcpdump -w)
            // cannot keep the read going for ever. A FIFO or device is a stream (size -1): read to its end.
            sizeAtOpen = Files.isRegularFile(path) ? channel.size() : -1;
        } catch (NoSuchFileException e) {
            throw new CaptureException(source + ": no such file");
        } catch (AccessDeniedException e) {
            throw new CaptureException(source + ": permission denied");
        } catch (IOException | SecurityException | UnsupportedOperationException e) {
            throw new CaptureException(source + ": cannot open (" + e.getMessage() + ")");
        }
        try (FileChannel c = channel; InputStream s = input(c, sizeAtOpen)) {
            CaptureStats stats = read(source, s, handler, progress, options, InputBuffer.DEFAULT_SIZE, sizeAtOpen);
            long sizeNow = sizeAtOpen < 0 ? -1 : c.size();
            if (sizeNow > sizeAtOpen) {
                List<String> w = new ArrayList<>(stats.warnings());
                w.add(source + ": grew by " + (sizeNow - sizeAtOpen) + " bytes while being read; only its first " + sizeAtOpen
                        + " bytes (its size when opened) are analysed");
                stats = new CaptureStats(stats.frames(), stats.bytesRead(), stats.datagrams(), stats.skipped(),
                        List.copyOf(w), stats.truncated());
            }
            return stats;
        } catch (IOException e) {
            throw new CaptureException(source + ": cannot close (" + e.getMessage() + ")");
        } catch (InternalError e) {
            // a mapped page beyond a new, shorter end (MappedInput): the bytes read meanwhile are not the file's
            long sizeNow = sizeNow(path);
            if (sizeAtOpen < 0 || sizeNow >= sizeAtOpen) throw e;
            throw new CaptureException(source + ": cut from " + sizeAtOpen + " bytes to " + Math.max(0, sizeNow)
                    + " while being read (written anew?); analyse it once it is complete");
        }
    }

    /** The file's size now (the channel is closed), or -1 when it is gone. */
    private static long sizeNow(Path path) {
        try {
            return Files.size(path);
        } catch (IOException e) {
            return -1;
        }
    }

    /** {@code -Dwgdiag.mmap=off} reads regular files with channel reads instead of {@link MappedInput} (benchmarks compare the two). */
    static final String MMAP_PROPERTY = "wgdiag.mmap";

    /** A stream (size -1) read to its end; a regular file up to {@code size}, mapped unless mapping is off. */
    private static InputStream input(FileChannel c, long size) {
        if (size < 0) return Channels.newInputStream(c);
        if (!"off".equals(System.getProperty(MMAP_PROPERTY))) return new MappedInput(c, size);
        return new BoundedInputStream(Channels.newInputStream(c), size);
    }

    /** At most {@code limit} bytes of a stream. */
    private static final class BoundedInputStream extends FilterInputStream {
        private long left;

        BoundedInputStream(InputStream in, long limit) {
            super(in);
            this.left = limit;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) return -1;
            int b = in.read();
            if (b >= 0) left--;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) return -1;
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n > 0) left -= n;
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long k = in.skip(Math.min(n, left));
            left -= k;
            return k;
        }

        @Override
        public int available() throws IOException {
            return (int) Math.min(in.available(), left);
        }
    }

    /**
     * Reads a capture from a stream (not closed here); {@code name} is what messages call it.
     */
    public static CaptureStats read(String name, InputStream stream, DatagramHandler handler, LongConsumer progress,
                                    CaptureOptions options) throws CaptureException {
        return read(name, stream, handler, progress, options, InputBuffer.DEFAULT_SIZE, -1);
    }

    static CaptureStats read(String name, InputStream stream, DatagramHandler handler, LongConsumer progress,
                             CaptureOptions options, int bufferSize) throws CaptureException {
        return read(name, stream, handler, progress, options, bufferSize, -1);
    }

    /**
     * @param sizeHint the input's size in bytes, or -1 when unknown (a stream): a large or unknown input
     *                 is read on two threads ({@link ReaderThread})
     */
    static CaptureStats read(String name, InputStream stream, DatagramHandler handler, LongConsumer progress,
                             CaptureOptions options, int bufferSize, long sizeHint) throws CaptureException {
        return readBatched(name, stream, handler, progress, options, bufferSize, ReaderThread.worthIt(sizeHint) ? ReaderThread.ENTRIES : 0);
    }

    /**
     * One read of a stream as {@link #read(String, InputStream, DatagramHandler, LongConsumer, CaptureOptions)}
     * on one thread ({@code batchEntries} 0) or with a reader thread and batches of {@code batchEntries}
     * (tests compare the two).
     */
    static CaptureStats readBatched(String name, InputStream stream, DatagramHandler decoder, LongConsumer progress,
                                    CaptureOptions options, int bufferSize, int batchEntries) throws CaptureException {
        InputStream in;
        try {
            in = maybeGunzip(name, stream);
        } catch (IOException e) {
            throw new CaptureException(name + ": cannot read (" + e.getMessage() + ")");
        }
        if (batchEntries > 0) return ReaderThread.read(name, in, decoder, progress, options, bufferSize, batchEntries);
        return new CaptureSession(name, in, decoder, progress, options, bufferSize).run();
    }

    /** Gzip member magic 1f 8b (RFC 1952 section 2.3.1). */
    private static InputStream maybeGunzip(String name, InputStream stream) throws IOException, CaptureException {
        PushbackInputStream pb = new PushbackInputStream(stream, 2);
        byte[] magic = new byte[2];
        int n = 0;
        while (n < 2) {
            int r = pb.read(magic, n, 2 - n);
            if (r < 0) break;
            n += r;
        }
        if (n > 0) pb.unread(magic, 0, n);
        if (n == 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
            try {
                return new GZIPInputStream(pb, 1 << 16);
            } catch (EOFException | ZipException e) {
                throw new CaptureException(name + ": corrupt gzip header (" + e.getMessage() + ")");
            }
        }
        return pb;
    }
}
