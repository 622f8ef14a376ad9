package dev.wgdiag.pcap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wgdiag.pcap.Fixtures.Collector;
import dev.wgdiag.pcap.Fixtures.Row;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input, truncation, gzip, stdin-like streams, options. Truth is the fixture files' layout (make-fixtures.py). */
class CaptureReaderInputTest {

    private static String path(String name) {
        return Fixtures.fixture(name).toString();
    }

    private static CaptureException failure(String source) {
        return assertThrows(CaptureException.class, () -> CaptureReader.read(source, d -> { }, null));
    }

    @Test
    void shouldNameTheFileWhenItIsMissing() {
        String missing = path("no-such-capture.pcap");
        assertEquals(missing + ": no such file", failure(missing).getMessage());
    }

    @Test
    void shouldRejectAnEmptyFile() {
        assertEquals(path("empty.pcap") + ": empty file, not a capture", failure(path("empty.pcap")).getMessage());
    }

    @Test
    void shouldRejectBadMagicShowingIt() {
        // "<htm" = 3c 68 74 6d
        assertEquals(path("bad-magic.pcap") + ": not a pcap or pcapng file (magic 0x3c68746d)",
                failure(path("bad-magic.pcap")).getMessage());
    }

    @Test
    void shouldRejectAPcapHeaderCutShort() {
        // 8 bytes: magic d4 c3 b2 a1, version 2.4, then nothing
        assertEquals(path("short-header.pcap") + ": truncated pcap file header (8 of 24 bytes)",
                failure(path("short-header.pcap")).getMessage());
    }

    @Test
    void shouldRejectADirectory() {
        String dir = Fixtures.dir().toString();
        assertEquals(dir + ": is a directory, not a capture file", failure(dir).getMessage());
    }

    @Test
    void shouldReportPermissionDenied(@TempDir Path tmp) throws Exception {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path f = tmp.resolve("secret.pcap");
        Files.copy(Fixtures.fixture("eth-le-usec.pcap"), f);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("---------"));
        if (!Files.isReadable(f)) {
            assertEquals(f + ": permission denied", failure(f.toString()).getMessage());
            return;
        }
        // Root reads every file: read it as the unprivileged user nobody instead, in a child JVM given
        // a world-readable copy of wgdiag's classes (the reader needs nothing else).
        dev.wgdiag.testing.Requirements.commands("setpriv");
        Path classes = tmp.resolve("classes");
        for (Path root : List.of(Path.of(ReadProbe.class.getProtectionDomain().getCodeSource().getLocation().toURI()),
                Path.of(CaptureReader.class.getProtectionDomain().getCodeSource().getLocation().toURI()))) {
            try (var walk = Files.walk(root)) {
                for (Path p : (Iterable<Path>) walk::iterator) {
                    Path to = classes.resolve(root.relativize(p).toString());
                    if (Files.isDirectory(p)) Files.createDirectories(to);
                    else if (!Files.exists(to)) Files.copy(p, to);
                }
            }
        }
        try (var walk = Files.walk(classes)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String out = dev.wgdiag.testing.Requirements.run("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                java, "-cp", classes.toString(), ReadProbe.class.getName(), f.toString());
        assertEquals(f + ": permission denied", out.strip());
    }

    @Test
    void shouldReportTruncationAndKeepEarlierDatagrams() throws Exception {
        // truncated.pcap = eth-le-usec.pcap cut 60 bytes into record 6: records 1-5 whole, record 4 is ARP
        Path file = Fixtures.fixture("truncated.pcap");
        Collector c = new Collector();
        CaptureStats stats = CaptureReader.read(file.toString(), c, null);

        assertTrue(stats.truncated());
        assertEquals(List.of(1L, 2L, 3L, 5L), c.rows.stream().map(Row::frame).toList());
        assertEquals(5, stats.frames());
        long size = Files.size(file);
        assertEquals(List.of(file + ": truncated at byte " + size + " (record 6 incomplete); results cover the first 5 frames"),
                stats.warnings());
    }

    @Test
    void shouldReportTruncatedPcapngBlockAndKeepEarlierFrames() throws Exception {
        Path file = Fixtures.fixture("truncated.pcapng");
        CaptureStats stats = CaptureReader.read(file.toString(), new Collector(), null);
        assertTrue(stats.truncated());
        assertEquals(1, stats.warnings().size());
        String w = stats.warnings().get(0);
        assertTrue(w.startsWith(file + ": truncated at byte " + Files.size(file) + " (block "), w);
        assertTrue(w.endsWith("incomplete); results cover the first " + stats.frames() + " frames"), w);
    }

    @Test
    void shouldReadGzipByMagicWhateverTheName() throws Exception {
        Collector plain = new Collector();
        Collector gz = new Collector();
        CaptureReader.read(path("fragments.pcapng"), plain, null);
        CaptureStats stats = CaptureReader.read(path("gzipped-without-suffix.pcapng"), gz, null);
        assertEquals(plain.rows, gz.rows);
        assertEquals(Files.size(Fixtures.fixture("fragments.pcapng")), stats.bytesRead());
    }

    @Test
    void shouldTreatACutGzipStreamAsTruncation() throws Exception {
        byte[] gz = Files.readAllBytes(Fixtures.fixture("eth-le-usec.pcap.gz"));
        byte[] cut = java.util.Arrays.copyOf(gz, gz.length / 2);
        Collector c = new Collector();
        CaptureStats stats = CaptureReader.read("half.pcap.gz", new ByteArrayInputStream(cut), c, null,
                CaptureOptions.DEFAULTS);
        assertTrue(stats.truncated());
        assertEquals(1, stats.warnings().size());
        assertTrue(stats.warnings().get(0).startsWith("half.pcap.gz: "), stats.warnings().get(0));
        assertFalse(c.rows.isEmpty());
    }

    @Test
    void shouldReadTheSameFromAStreamAsFromTheFile() throws Exception {
        Collector file = new Collector();
        Collector stream = new Collector();
        CaptureReader.read(path("eth.pcapng"), file, null);
        try (InputStream in = Files.newInputStream(Fixtures.fixture("eth.pcapng"))) {
            CaptureReader.read("stdin", in, stream, null, CaptureOptions.DEFAULTS);
        }
        assertEquals(file.rows, stream.rows);
    }

    @Test
    void shouldGiveRecordsAcrossBufferRefillsIntact() throws Exception {
        // a 512-byte buffer forces compaction and refills between every few records
        Collector big = new Collector();
        Collector small = new Collector();
        byte[] data = Files.readAllBytes(Fixtures.fixture("multi-interface.pcapng"));
        CaptureReader.read("a", new ByteArrayInputStream(data), big, null, CaptureOptions.DEFAULTS);
        CaptureReader.read("b", new TrickleStream(data), small, null, CaptureOptions.DEFAULTS, 512);
        assertEquals(big.rows, small.rows);
    }

    @Test
    void shouldStopAtTheFrameLimit() throws Exception {
        Collector c = new Collector();
        CaptureStats stats = CaptureReader.read(path("eth-le-usec.pcap"), c, null,
                CaptureOptions.builder().frameLimit(5).build());
        assertEquals(5, stats.frames());
        assertEquals(List.of(1L, 2L, 3L, 5L), c.rows.stream().map(Row::frame).toList());
    }

    @Test
    void shouldHandTheWireguardKeyLogToTheSecretsHandler() throws Exception {
        // sections.pcapng holds one DSB of type 0x57474b4c with one keylog line (a dummy all-zero key)
        List<Integer> types = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        CaptureReader.read(path("sections.pcapng"), d -> { }, null, CaptureOptions.builder()
                .secretsHandler((type, data) -> {
                    types.add(type);
                    texts.add(new String(data, StandardCharsets.US_ASCII));
                }).build());
        assertEquals(List.of(SecretsHandler.WIREGUARD_KEY_LOG), types);
        assertTrue(texts.get(0).startsWith("LOCAL_STATIC_PRIVATE_KEY = "), "keylog line");
    }

    @Test
    void shouldGiveEachPcapngInterfaceItsLinkTypeAndPrecision() throws Exception {
        // sections.pcapng: section 1 if0 Ethernet µs, if1 raw ns; section 2 (big-endian) if0 Ethernet 2^-20, if1 SLL ms
        Collector c = new Collector();
        CaptureReader.read(path("sections.pcapng"), c, null);
        assertEquals(List.of(1, 101, 1, 1, 113, 1, 1), c.rows.stream().map(Row::linkType).toList());
        assertEquals(List.of(6, 9, 6, 6, 3, 7, 7), c.rows.stream().map(Row::timeDigits).toList());
    }

    @Test
    void shouldCountFramesItCannotDeliver() throws Exception {
        // eth-le-usec.pcap: 18 frames; ARP (not IP), TCP, ICMP, ICMPv6 (not UDP)
        CaptureStats stats = CaptureReader.read(path("eth-le-usec.pcap"), d -> { }, null);
        assertEquals(18, stats.frames());
        assertEquals(1L, stats.skipped().get("not IP"));
        assertEquals(3L, stats.skipped().get("not UDP"));
        assertEquals(14, stats.datagrams());
    }

    @Test
    void shouldDropTheOldestReassemblyBeyondTheLimit() throws Exception {
        // fragments.pcap interleaves two IPv4 datagrams: with room for one, the first one's fragment is dropped
        Collector c = new Collector();
        CaptureStats stats = CaptureReader.read(path("fragments.pcap"), c, null,
                CaptureOptions.builder().maxPendingReassemblies(1).build());
        assertTrue(stats.skipped().getOrDefault("IP fragments dropped (too many pending reassemblies)", 0L) > 0,
                stats.skipped().toString());
    }

    @Test
    void shouldReportProgressNowAndThen() throws Exception {
        List<Long> seen = new ArrayList<>();
        CaptureReader.read(path("fragments.pcap"), d -> { }, seen::add,
                CaptureOptions.builder().progressIntervalBytes(1).build());
        assertFalse(seen.isEmpty());
        assertEquals(Files.size(Fixtures.fixture("fragments.pcap")), seen.get(seen.size() - 1));
    }

    /** Hands out at most 7 bytes per read, like a slow pipe. */
    private static final class TrickleStream extends ByteArrayInputStream {
        TrickleStream(byte[] b) {
            super(b);
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) {
            return super.read(b, off, Math.min(len, 7));
        }
    }
}
