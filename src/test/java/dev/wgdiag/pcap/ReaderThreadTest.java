package dev.wgdiag.pcap;

import dev.wgdiag.net.IpAddresses;
import dev.wgdiag.testing.Requirements;
import dev.wgdiag.wire.Datagram;
import dev.wgdiag.wire.WgMessage;
import dev.wgdiag.wire.WgMessageHandler;
import dev.wgdiag.wire.WireGuardDecoder;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.function.LongConsumer;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The reader thread ({@link ReaderThread}) hands the analysis exactly what one thread would: every
 * message with every field and payload byte, ICMP errors, secrets blocks and progress reports in the
 * same order, across batch boundaries (batches of 1, 2, 3 and 7 entries put a boundary everywhere), and
 * the same statistics, warnings and errors. The one-thread path is the reference here; it is held to
 * tshark's decode by {@code TsharkAgreementTest} and {@code CaptureReaderTsharkTest}, and one test below
 * holds the reader thread's frames to tshark's directly.
 */
class ReaderThreadTest {
    private static final int[] BATCHES = {1, 2, 3, 7, ReaderThread.ENTRIES};

    /** Everything a read hands out, one line per event, in order. */
    static final class Events implements WgMessageHandler, IcmpHandler, SecretsHandler, LongConsumer {
        final List<String> lines = new ArrayList<>();
        final List<String> threads = new ArrayList<>();

        @Override
        public void onMessage(Datagram d, WgMessage m) {
            lines.add("message #" + d.frameNumber() + " t=" + d.timeNanos() + "/" + d.timeDigits() + " if=" + d.interfaceId()
                    + " link=" + d.linkType() + " " + IpAddresses.format(d.ipVersion(), d.srcHi(), d.srcLo()) + ":" + d.srcPort()
                    + " > " + IpAddresses.format(d.ipVersion(), d.dstHi(), d.dstLo()) + ":" + d.dstPort()
                    + " captured=" + d.payloadCaptured() + " length=" + d.payloadLength() + " reassembled=" + d.reassembled()
                    + " type=" + m.type() + " message=" + m.captured() + "/" + m.length() + " "
                    + HexFormat.of().formatHex(m.buffer(), m.offset(), m.offset() + m.captured()));
            threads.add(Thread.currentThread().getName());
        }

        @Override
        public void onIcmpError(IcmpError e) {
            lines.add("icmp #" + e.frameNumber() + " t=" + e.timeNanos() + " " + e.kindName() + " mtu=" + e.mtu() + " from "
                    + e.reporter() + " quoting " + e.quotedSource() + " > " + e.quotedDestination() + " len=" + e.quotedLength());
            threads.add(Thread.currentThread().getName());
        }

        @Override
        public void onSecrets(int secretsType, byte[] data) {
            lines.add("secrets " + Integer.toHexString(secretsType) + " " + HexFormat.of().formatHex(data));
            threads.add(Thread.currentThread().getName());
        }

        @Override
        public void accept(long bytes) {
            lines.add("progress " + bytes);
            threads.add(Thread.currentThread().getName());
        }
    }

    /** One read's outcome: its events, its statistics or error, and the decoder's counts. */
    record Outcome(List<String> events, String result, String counts) {
    }

    private static Outcome read(byte[] capture, int batchEntries, int bufferSize) {
        return read(new ByteArrayInputStream(capture), batchEntries, bufferSize, new Events());
    }

    private static Outcome read(InputStream capture, int batchEntries, int bufferSize, Events events) {
        CaptureOptions options = CaptureOptions.builder().icmpHandler(events).secretsHandler(events)
                .progressIntervalBytes(1000).build();
        WireGuardDecoder decoder = new WireGuardDecoder(events);
        String result;
        try {
            CaptureStats s = CaptureReader.readBatched("capture", capture, decoder, events, options, bufferSize, batchEntries);
            result = s.toString();
        } catch (CaptureException e) {
            result = "error: " + e.getMessage();
        }
        return new Outcome(events.lines, result, decoder.accepted() + " " + decoder.rejected() + " " + decoder.otherUdp());
    }

    static List<Path> captures() throws IOException {
        List<Path> out = new ArrayList<>();
        Path root = Requirements.projectDir();
        for (Path dir : List.of(root.resolve("captures"), root.resolve("src/test/resources/pcap"))) {
            try (Stream<Path> s = Files.walk(dir)) {
                s.filter(Files::isRegularFile).filter(p -> p.getFileName().toString().matches(".*\\.(pcap|pcapng)(\\.gz)?$"))
                        .sorted().forEach(out::add);
            }
        }
        return out;
    }

    @TestFactory
    Stream<DynamicTest> shouldHandEveryEventOverInTheOrderOneThreadDoes() throws IOException {
        List<Path> files = captures();
        assertTrue(files.size() > 30, "bundled captures found: " + files.size());
        return files.stream().map(f -> DynamicTest.dynamicTest(Requirements.projectDir().relativize(f).toString(), () -> {
            byte[] bytes = Files.readAllBytes(f);
            Outcome expected = read(bytes, 0, InputBuffer.DEFAULT_SIZE);
            for (int entries : BATCHES) {
                assertEquals(expected, read(bytes, entries, InputBuffer.DEFAULT_SIZE), "batches of " + entries);
            }
        }));
    }

    @Test
    void shouldRunEveryCallbackOnTheCallingThread() throws IOException {
        Events events = new Events();
        byte[] bytes = Files.readAllBytes(Requirements.projectDir().resolve("captures/small-mtu.client.pcap"));
        read(new ByteArrayInputStream(bytes), 3, InputBuffer.DEFAULT_SIZE, events);
        assertTrue(events.lines.stream().anyMatch(l -> l.startsWith("icmp")), "the capture has ICMP errors");
        assertEquals(List.of(Thread.currentThread().getName()), events.threads.stream().distinct().toList());
    }

    @Test
    void shouldCarrySecretsBlocksBeforeTheMessagesThatFollowThem() throws IOException {
        byte[] bytes = Files.readAllBytes(Requirements.projectDir().resolve("captures/corpus/wireshark-wireguard-ping-tcp-dsb.pcapng"));
        Outcome one = read(bytes, 0, InputBuffer.DEFAULT_SIZE);
        Outcome two = read(bytes, 1, InputBuffer.DEFAULT_SIZE);
        assertTrue(one.events().stream().anyMatch(l -> l.startsWith("secrets 57474b4c")), "the capture has a WireGuard key log");
        assertEquals(one.events(), two.events());
    }

    @Test
    void shouldDeliverTheMessagesTsharkShowsInTsharksOrder() throws Exception {
        Fixtures.requireTshark();
        Path file = Requirements.projectDir().resolve("captures/loss.client.pcap");
        List<String> expected = Fixtures.tshark("-r", file.toString(), "-o", "udp.try_heuristic_first:TRUE",
                "-d", "udp.port==51820,wg", "-Y", "wg && !icmp", "-T", "fields", "-e", "frame.number", "-e", "wg.type");
        Events events = new Events();
        List<String> actual = new ArrayList<>();
        WgMessageHandler tap = (d, m) -> actual.add(d.frameNumber() + "\t" + m.wireType());
        try (InputStream in = Files.newInputStream(file)) {
            CaptureReader.readBatched(file.toString(), in, new WireGuardDecoder(tap), events, CaptureOptions.DEFAULTS,
                    InputBuffer.DEFAULT_SIZE, 3);
        } catch (CaptureException e) {
            throw new AssertionError(e);
        }
        assertFalse(expected.isEmpty());
        assertEquals(expected, actual);
    }

    @Test
    void shouldAnalyseACaptureCutMidBatchUpToTheCutWithTheSameWarning() throws IOException {
        byte[] whole = Files.readAllBytes(Requirements.projectDir().resolve("captures/loss.client.pcap"));
        for (int cut : new int[] {30, 1000, 5003, whole.length / 2 + 1, whole.length - 1}) {
            byte[] bytes = Arrays.copyOf(whole, cut);
            Outcome expected = read(bytes, 0, InputBuffer.DEFAULT_SIZE);
            assertTrue(expected.result().contains("truncated=true"), expected.result());
            for (int entries : BATCHES) {
                assertEquals(expected, read(bytes, entries, InputBuffer.DEFAULT_SIZE), "cut at " + cut + ", batches of " + entries);
            }
        }
    }

    @Test
    void shouldAnalyseACutGzipCaptureUpToTheCut() throws IOException {
        byte[] whole = Files.readAllBytes(Fixtures.fixture("eth-le-usec.pcap.gz"));
        byte[] bytes = Arrays.copyOf(whole, whole.length * 2 / 3);
        Outcome expected = read(bytes, 0, InputBuffer.DEFAULT_SIZE);
        assertTrue(expected.result().contains("compressed data ends early"), expected.result());
        assertEquals(expected, read(bytes, 2, InputBuffer.DEFAULT_SIZE));
    }

    @Test
    void shouldFailWithTheSameOneLineErrorAfterTheSameMessagesWhenTheReadFails() throws IOException {
        byte[] bytes = Files.readAllBytes(Requirements.projectDir().resolve("captures/loss.client.pcap"));
        for (int at : new int[] {10, 4096, bytes.length / 2}) {
            // the stream fails when the reader comes back for bytes past "at": mid-capture
            Outcome expected = read(new Failing(bytes, at), 0, 65536, new Events());
            assertTrue(expected.result().startsWith("error: capture: "), expected.result());
            for (int entries : BATCHES) {
                assertEquals(expected, read(new Failing(bytes, at), entries, 65536, new Events()), "failing at " + at);
            }
        }
    }

    @Test
    void shouldNameTheInputWhenItIsNotACapture() throws IOException {
        byte[] bytes = Files.readAllBytes(Fixtures.fixture("bad-magic.pcap"));
        Outcome expected = read(bytes, 0, InputBuffer.DEFAULT_SIZE);
        assertTrue(expected.result().startsWith("error: capture: not a pcap or pcapng file"), expected.result());
        assertEquals(expected, read(bytes, 1, InputBuffer.DEFAULT_SIZE));
    }

    @Test
    void shouldStopTheReaderAndRethrowWhenTheAnalysisFails() throws Exception {
        byte[] bytes = Files.readAllBytes(Requirements.projectDir().resolve("captures/loss.client.pcap"));
        IllegalStateException boom = new IllegalStateException("analysis failed");
        int[] seen = {0};
        WgMessageHandler failing = (d, m) -> {
            if (++seen[0] == 5) throw boom;
        };
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> CaptureReader.readBatched("capture",
                new ByteArrayInputStream(bytes), new WireGuardDecoder(failing), null, CaptureOptions.DEFAULTS,
                InputBuffer.DEFAULT_SIZE, 2));
        assertSame(boom, thrown);
        assertEquals(5, seen[0]);
        for (int i = 0; i < 100 && readerAlive(); i++) Thread.sleep(10);
        assertFalse(readerAlive(), "the reader thread ended");
    }

    private static boolean readerAlive() {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals("wgdiag-reader") && t.isAlive());
    }

    /** The capture's bytes, then an I/O error at byte {@code at}. */
    private static final class Failing extends InputStream {
        private final byte[] bytes;
        private final int at;
        private int pos;

        Failing(byte[] bytes, int at) {
            this.bytes = bytes;
            this.at = at;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (pos >= at) throw new IOException("device gone");
            int n = Math.min(len, at - pos);
            System.arraycopy(bytes, pos, b, off, n);
            pos += n;
            return n;
        }
    }
}
