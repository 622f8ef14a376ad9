package dev.wgdiag.pcap;

import dev.wgdiag.testing.CaptureBytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@link MappedInput} gives the bytes the file holds (Files.readAllBytes is the reference), whatever
 * the window size and the read lengths, stops at the size it was given, and reads a file cut while it
 * is read up to the new end, as channel reads would.
 */
class MappedInputTest {
    @TempDir
    Path dir;

    private Path file(int size, long seed) throws IOException {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        Path f = dir.resolve("f" + seed);
        Files.write(f, b);
        return f;
    }

    private static byte[] readAll(MappedInput in, Random lengths) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[70_000];
        while (true) {
            int n = in.read(buf, 0, 1 + lengths.nextInt(buf.length));
            if (n < 0) return out.toByteArray();
            out.write(buf, 0, n);
        }
    }

    @Test
    void shouldReadTheFileByteForByteAcrossWindowEnds() throws IOException {
        Path f = file(300_007, 1);
        byte[] expected = Files.readAllBytes(f);
        for (long window : new long[]{1, 7, 4096, 65_537, MappedInput.WINDOW}) {
            try (FileChannel c = FileChannel.open(f); MappedInput in = new MappedInput(c, c.size(), window)) {
                assertArrayEquals(expected, readAll(in, new Random(window)), "window " + window);
            }
        }
    }

    @Test
    void shouldSkipAsFarAsAskedWithinTheSize() throws IOException {
        Path f = file(10_000, 2);
        byte[] all = Files.readAllBytes(f);
        try (FileChannel c = FileChannel.open(f); MappedInput in = new MappedInput(c, c.size(), 4096)) {
            byte[] head = new byte[10];
            assertEquals(10, in.read(head, 0, 10));
            assertEquals(5_000, in.skip(5_000));
            assertEquals(all.length - 5_010, in.available());
            assertArrayEquals(Arrays.copyOfRange(all, 5_010, all.length), readAll(in, new Random(3)));
            assertEquals(0, in.skip(1));
        }
    }

    @Test
    void shouldStopAtTheSizeItWasGivenWhenTheFileGrows() throws IOException {
        Path f = file(50_000, 4);
        byte[] expected = Arrays.copyOf(Files.readAllBytes(f), 20_000);
        try (FileChannel c = FileChannel.open(f); MappedInput in = new MappedInput(c, 20_000, 8192)) {
            Files.write(f, new byte[1000], StandardOpenOption.APPEND);
            assertArrayEquals(expected, readAll(in, new Random(5)));
        }
    }

    @Test
    void shouldReadWithChannelReadsWhereTheFileSystemCannotMapFiles() throws IOException {
        Path f = file(100_003, 8);
        try (FileChannel c = new Unmappable(FileChannel.open(f)); MappedInput in = new MappedInput(c, c.size(), 4096)) {
            assertArrayEquals(Files.readAllBytes(f), readAll(in, new Random(9)));
        }
    }

    /** A channel whose file system refuses to map (as some FUSE and network file systems do); all else as the file's. */
    private static final class Unmappable extends FileChannel {
        private final FileChannel c;

        Unmappable(FileChannel c) {
            this.c = c;
        }

        @Override
        public java.nio.MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
            throw new IOException("No such device");
        }

        @Override
        public int read(java.nio.ByteBuffer dst) throws IOException { return c.read(dst); }

        @Override
        public long read(java.nio.ByteBuffer[] dsts, int offset, int length) throws IOException { return c.read(dsts, offset, length); }

        @Override
        public int write(java.nio.ByteBuffer src) throws IOException { return c.write(src); }

        @Override
        public long write(java.nio.ByteBuffer[] srcs, int offset, int length) throws IOException { return c.write(srcs, offset, length); }

        @Override
        public long position() throws IOException { return c.position(); }

        @Override
        public FileChannel position(long p) throws IOException { c.position(p); return this; }

        @Override
        public long size() throws IOException { return c.size(); }

        @Override
        public FileChannel truncate(long size) throws IOException { c.truncate(size); return this; }

        @Override
        public void force(boolean metaData) throws IOException { c.force(metaData); }

        @Override
        public long transferTo(long position, long count, java.nio.channels.WritableByteChannel target) throws IOException {
            return c.transferTo(position, count, target);
        }

        @Override
        public long transferFrom(java.nio.channels.ReadableByteChannel src, long position, long count) throws IOException {
            return c.transferFrom(src, position, count);
        }

        @Override
        public int read(java.nio.ByteBuffer dst, long position) throws IOException { return c.read(dst, position); }

        @Override
        public int write(java.nio.ByteBuffer src, long position) throws IOException { return c.write(src, position); }

        @Override
        public java.nio.channels.FileLock lock(long position, long size, boolean shared) throws IOException {
            return c.lock(position, size, shared);
        }

        @Override
        public java.nio.channels.FileLock tryLock(long position, long size, boolean shared) throws IOException {
            return c.tryLock(position, size, shared);
        }

        @Override
        protected void implCloseChannel() throws IOException {
            c.close();
        }
    }

    @Test
    void shouldFailWithAOneLineErrorWhenTheCaptureIsCutWhileRead() throws IOException {
        // captures of 5.2 MB (read on two threads) and 2.6 MB (one thread, in 256 KiB reads): cut to 1,000 bytes at the first message
        for (int packets : new int[]{40_000, 20_000}) {
            Path f = dir.resolve("cut" + packets + ".pcap");
            try (var out = Files.newOutputStream(f)) {
                out.write(CaptureBytes.pcapHeader(65535, CaptureBytes.LINKTYPE_ETHERNET));
                for (int i = 0; i < packets; i++) {
                    out.write(CaptureBytes.pcapRecord(1_000_000L + i, CaptureBytes.udp4(CaptureBytes.CLIENT, 40000,
                            CaptureBytes.SERVER, 51820, CaptureBytes.transport(7, i, 64))));
                }
            }
            long size = Files.size(f);
            CaptureException e = assertThrows(CaptureException.class, () -> CaptureReader.read(f.toString(), d -> {
                try {
                    if (Files.size(f) == size) {
                        try (FileChannel w = FileChannel.open(f, StandardOpenOption.WRITE)) {
                            w.truncate(1000);
                        }
                    }
                } catch (IOException x) {
                    throw new java.io.UncheckedIOException(x);
                }
                // the handler goes on: the fault shows up on the reading side
            }, null));
            assertEquals(f + ": cut from " + size + " bytes to 1000 while being read (written anew?); analyse it once it is complete",
                    e.getMessage());
        }
    }
}
