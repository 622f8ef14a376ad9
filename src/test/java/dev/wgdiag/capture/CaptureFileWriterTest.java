package dev.wgdiag.capture;

import dev.wgdiag.pcap.PcapFormat;
import dev.wgdiag.testing.Requirements;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CaptureFileWriterTest {
    static final long T0 = 1_700_000_000_123_456_789L;
    static final int ETHERNET = 1;

    @TempDir
    Path dir;

    /** What tshark must print for the packet written with (time, receiver, counter). */
    private static String expectedLine(long timeNanos, long receiver, long counter) {
        return String.format(Locale.ROOT, "%d.%09d\t4\t\t0x%08x\t%d", timeNanos / 1_000_000_000L,
                timeNanos % 1_000_000_000L, receiver, counter);
    }

    private static List<String> writeTen(CaptureFileWriter w) throws IOException {
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            long t = T0 + i * 1_000_001L;
            byte[] f = TestFrames.transport(0xcafe0001L, i, i % 2 == 0 ? 32 : 48);
            w.write(t, f, 0, f.length, f.length);
            expected.add(expectedLine(t, 0xcafe0001L, i));
        }
        w.close();
        return expected;
    }

    @Test
    void shouldWritePcapThatTsharkReadsWithNanosecondTimes() throws IOException {
        Requirements.commands("tshark");
        Path f = dir.resolve("x.pcap");
        List<String> expected = writeTen(new PcapWriter(f, ETHERNET, 262144));
        assertEquals(expected, Tools.wgMessages(f, 51820));
    }

    @Test
    void shouldWritePcapngThatTsharkReadsWithNanosecondTimes() throws IOException {
        Requirements.commands("tshark");
        Path f = dir.resolve("x.pcapng");
        PcapngWriter w = new PcapngWriter(f, ETHERNET, 262144, "veth0");
        w.setStatistics(10, 0, 0);
        List<String> expected = writeTen(w);
        assertEquals(expected, Tools.wgMessages(f, 51820));
    }

    @Test
    void shouldKeepOnlyTheNewestFilesOfARing() throws IOException {
        Requirements.commands("tshark");
        Path base = dir.resolve("ring.pcap");
        byte[] probe = TestFrames.transport(1, 0, 32);
        int record = PcapFormat.PCAP_RECORD_HEADER_SIZE + probe.length;
        long size = PcapFormat.PCAP_FILE_HEADER_SIZE + 5L * record; // five packets per file
        List<String> expected = new ArrayList<>();
        java.util.Set<Object> buffers = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        try (RotatingWriter w = new RotatingWriter(base, FileFormat.PCAP, ETHERNET, 65535, "x", size, 3)) {
            for (int i = 0; i < 23; i++) {
                byte[] f = TestFrames.transport(7, i, 32);
                w.write(T0 + i, f, 0, f.length, f.length);
                expected.add(expectedLine(T0 + i, 7, i));
                buffers.add(w.buffer());
            }
        }
        // one direct buffer for the whole ring: one per file kept off-heap memory until a full collection
        assertEquals(1, buffers.size(), "direct buffers allocated by the ring");
        // 23 packets, 5 per file: files 1..5 (5,5,5,5,3); the ring keeps 3, 4, 5
        assertFalse(Files.exists(RotatingWriter.ringFile(base, 2)));
        List<String> seen = new ArrayList<>();
        for (int i = 3; i <= 5; i++) {
            Path p = RotatingWriter.ringFile(base, i);
            assertTrue(Files.size(p) <= size, p + " is larger than the rotate size");
            seen.addAll(Tools.wgMessages(p, 51820));
        }
        assertEquals(dir.resolve("ring-00003.pcap"), RotatingWriter.ringFile(base, 3));
        assertEquals(expected.subList(10, 23), seen);
    }

    @Test
    void shouldLeaveAValidCaptureWhenTheDiskFills() throws IOException {
        Requirements.root();
        Requirements.commands("tshark", "mount", "umount");
        Path mnt = Files.createDirectory(dir.resolve("tiny"));
        Tools.Run m = Tools.exec(List.of("mount", "-t", "tmpfs", "-o", "size=200k", "tmpfs", mnt.toString()));
        if (m.code() != 0) Requirements.unmet("cannot mount a tmpfs: " + m.err());
        try {
            for (FileFormat format : FileFormat.values()) {
                Path f = mnt.resolve("full." + format.name().toLowerCase(Locale.ROOT));
                RotatingWriter w = new RotatingWriter(f, format, ETHERNET, 65535, "x", 0, 0);
                IOException failure = null;
                long written = 0;
                for (int i = 0; i < 100_000 && failure == null; i++) {
                    byte[] frame = TestFrames.transport(9, i, 32 + 16 * (i % 50));
                    try {
                        w.write(T0 + i * 1000L, frame, 0, frame.length, frame.length);
                        written++;
                    } catch (IOException e) {
                        failure = e;
                    }
                }
                if (failure == null) {
                    try {
                        w.close();
                    } catch (IOException e) {
                        failure = e;
                    }
                } else {
                    w.close();
                }
                assertNotNull(failure, "a 200k tmpfs must fill up");
                assertTrue(failure.getMessage().contains("No space"), failure.getMessage());
                int inFile = Tools.frames(f); // fails on a cut record
                assertTrue(inFile > 100 && inFile <= written, format + ": " + inFile + " of " + written);
                assertEquals(inFile, Tools.wgMessages(f, 51820).size());
                assertFalse(w.write(T0, TestFrames.transport(9, 0, 32), 0, 74, 74), "no writes after a failure");
                Files.delete(f);
            }
        } finally {
            Tools.exec(List.of("umount", mnt.toString()));
        }
    }

    @Test
    void shouldRejectARingCountWithoutASize() {
        assertThrows(IllegalArgumentException.class,
                () -> new RotatingWriter(dir.resolve("r.pcap"), FileFormat.PCAP, ETHERNET, 100, "x", 0, 3));
    }

    @Test
    void shouldPickPcapngByExtension() {
        assertEquals(FileFormat.PCAPNG, FileFormat.forName("a.pcapng"));
        assertEquals(FileFormat.PCAP, FileFormat.forName("a.pcap"));
        assertEquals(FileFormat.PCAP, FileFormat.forName("a.cap"));
    }
}
