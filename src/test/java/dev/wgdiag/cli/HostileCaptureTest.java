package dev.wgdiag.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wgdiag.testing.Requirements;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;

import static dev.wgdiag.testing.CaptureBytes.CLIENT;
import static dev.wgdiag.testing.CaptureBytes.LINKTYPE_ETHERNET;
import static dev.wgdiag.testing.CaptureBytes.SERVER;
import static dev.wgdiag.testing.CaptureBytes.block;
import static dev.wgdiag.testing.CaptureBytes.blockHead;
import static dev.wgdiag.testing.CaptureBytes.concat;
import static dev.wgdiag.testing.CaptureBytes.dsb;
import static dev.wgdiag.testing.CaptureBytes.epb;
import static dev.wgdiag.testing.CaptureBytes.idb;
import static dev.wgdiag.testing.CaptureBytes.initiation;
import static dev.wgdiag.testing.CaptureBytes.ipv4Frame;
import static dev.wgdiag.testing.CaptureBytes.pcapHeader;
import static dev.wgdiag.testing.CaptureBytes.pcapRecord;
import static dev.wgdiag.testing.CaptureBytes.pcapRecordHeader;
import static dev.wgdiag.testing.CaptureBytes.shb;
import static dev.wgdiag.testing.CaptureBytes.transport;
import static dev.wgdiag.testing.CaptureBytes.udp4;
import static dev.wgdiag.testing.CaptureBytes.udpDatagram;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile captures end within bounded time and memory with either a one-line error naming the file or
 * a result plus a warning of what was skipped; never a stack trace, never silent loss (issue 10 item 2,
 * bounds in docs/security.md). Each test writes its hostile input itself. Inputs that could make a
 * careless reader allocate run wgdiag in a child JVM with a 64 MiB heap. Truth: tshark's reading of
 * the same file where tshark reads it, else what the test built (so many frames, so many fragments).
 */
class HostileCaptureTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long T0 = 1_764_000_000_000_000L;   // microseconds
    private static final Pattern NUMBER = Pattern.compile("(\\d+) IP fragments");

    @TempDir
    Path dir;

    // ------------------------------------------------------------------ lengths that lie

    @Test
    void shouldStopAtAPcapRecordClaimingFourGigabytesAndKeepTheMessagesBeforeIt() throws Exception {
        Path f = write("lying-record.pcap", pcapHeader(65535, LINKTYPE_ETHERNET), threeMessages(),
                pcapRecordHeader(T0 + 9, 0xfffffff0, 0xfffffff0), new byte[64]);

        ChildJvm run = ChildJvm.wgdiag(dir, "64m", 120, "analyze", "--list", "--format", "json", f.toString());

        assertEquals(ExitCode.OK, run.exitCode(), run.err());
        assertEquals(tsharkWireGuardFrames(f), run.out().lines().count(), "the messages before the lie, as tshark reads them");
        assertOneWarning(run.err(), f, "corrupt record 4", "captured length 4294967280 exceeds 262144", "first 3 frames");
    }

    @Test
    void shouldStopAtAPcapRecordClaimingTwoGigabytes() throws Exception {
        Path f = write("lying-record-2g.pcap", pcapHeader(65535, LINKTYPE_ETHERNET), threeMessages(),
                pcapRecordHeader(T0 + 9, Integer.MAX_VALUE, Integer.MAX_VALUE), new byte[64]);

        ChildJvm run = ChildJvm.wgdiag(dir, "64m", 120, "analyze", "--list", "--format", "json", f.toString());

        assertEquals(ExitCode.OK, run.exitCode(), run.err());
        assertEquals(tsharkWireGuardFrames(f), run.out().lines().count());
        assertOneWarning(run.err(), f, "corrupt record 4", "captured length 2147483647 exceeds 262144");
    }

    @Test
    void shouldStopAtAPcapngPacketBlockClaimingTwoGigabytes() throws Exception {
        Path f = write("lying-block.pcapng", shb(), idb(LINKTYPE_ETHERNET, 65535), threeMessagesNg(),
                blockHead(6, 0x80000000), new byte[92]);

        ChildJvm run = ChildJvm.wgdiag(dir, "64m", 120, "analyze", "--list", "--format", "json", f.toString());

        assertEquals(ExitCode.OK, run.exitCode(), run.err());
        assertEquals(tsharkWireGuardFrames(f), run.out().lines().count());
        assertOneWarning(run.err(), f, "corrupt block 6", "block length 2147483648", "first 3 frames");
    }

    @Test
    void shouldSkipAnUnknownPcapngBlockClaimingFourGigabytesOnlyAsFarAsTheFileGoes() throws Exception {
        Path f = write("lying-unknown-block.pcapng", shb(), idb(LINKTYPE_ETHERNET, 65535), threeMessagesNg(),
                blockHead(0x80000001, 0xfffffffc), new byte[1 << 20]);

        ChildJvm run = ChildJvm.wgdiag(dir, "64m", 120, "analyze", "--list", "--format", "json", f.toString());

        assertEquals(ExitCode.OK, run.exitCode(), run.err());
        assertEquals(tsharkWireGuardFrames(f), run.out().lines().count());
        assertOneWarning(run.err(), f, "truncated at byte " + Files.size(f), "block 6 incomplete");
    }

    @Test
    void shouldReadCapturesWhoseSnaplenIsAllOnesNormally() throws Exception {
        Path pcap = write("snaplen-ffffffff.pcap", pcapHeader(0xffffffff, LINKTYPE_ETHERNET), threeMessages());
        Path ng = write("snaplen-ffffffff.pcapng", shb(), idb(LINKTYPE_ETHERNET, 0xffffffff), threeMessagesNg(),
                block(3, concat(le32(74), udp4(CLIENT, 40000, SERVER, 51820, transport(7, 9, 32)), new byte[2])));
        for (Path f : List.of(pcap, ng)) {
            CliRun run = CliRun.of("analyze", "--list", "--format", "json", f.toString());

            assertEquals(ExitCode.OK, run.exitCode(), run.err());
            assertEquals(tsharkWireGuardFrames(f), run.out().lines().count(), f.toString());
            assertEquals("", run.err());
        }
    }

    // ------------------------------------------------------------------ fragments

    @Test
    void shouldBoundAFloodOfNeverCompletedFragmentsAndAccountForEveryOne() throws Exception {
        int flood = 200_000;
        Path f = dir.resolve("fragment-flood.pcap");
        Path clean = dir.resolve("without-the-flood.pcap");
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(f));
             OutputStream legitOnly = new BufferedOutputStream(Files.newOutputStream(clean))) {
            out.write(pcapHeader(65535, LINKTYPE_ETHERNET));
            legitOnly.write(pcapHeader(65535, LINKTYPE_ETHERNET));
            long t = T0;
            int legit = 0;
            for (int i = 0; i < flood; i++) {
                // a first fragment whose rest never comes: 16 bytes at offset 0, more fragments; each from its
                // own source (100.64.0.0/10), as the 16-bit IP id alone would repeat
                byte[] src = {100, (byte) (64 + (i >>> 16)), (byte) (i >>> 8), (byte) i};
                out.write(pcapRecord(t += 1000, ipv4Frame(src, SERVER, i, 0, true, new byte[16])));
                if (i % 40_000 == 0) {
                    // a real initiation in two adjacent fragments, and a keepalive
                    byte[] udp = udpDatagram(40000, 51820, initiation(1000 + legit));
                    byte[] legitFrames = concat(
                            pcapRecord(t += 10, ipv4Frame(CLIENT, SERVER, 7 + legit, 0, true, Arrays.copyOf(udp, 96))),
                            pcapRecord(t += 10, ipv4Frame(CLIENT, SERVER, 7 + legit, 96, false, Arrays.copyOfRange(udp, 96, udp.length))),
                            pcapRecord(t += 10, udp4(SERVER, 51820, CLIENT, 40000, transport(5, legit, 32))));
                    out.write(legitFrames);
                    legitOnly.write(legitFrames);
                    legit++;
                }
            }
        }

        ChildJvm run = ChildJvm.wgdiag(dir, "64m", 300, "analyze", "--list", "--format", "json", f.toString());

        assertEquals(ExitCode.OK, run.exitCode(), run.err());
        // tshark, which keeps every pending reassembly, takes minutes over the flood: it reads the same
        // frames without it
        assertEquals(tsharkWireGuardFrames(clean), run.out().lines().count(), "every complete datagram, as tshark reassembles them");
        assertNoStackTrace(run.err());
        long accounted = 0;
        for (String line : run.err().strip().split("\n")) {
            assertTrue(line.startsWith("wgdiag: warning: " + f + ": "), line);
            Matcher m = NUMBER.matcher(line);
            if (m.find()) accounted += Long.parseLong(m.group(1));
        }
        assertEquals(flood, accounted, "each flooding fragment is in a warning: " + run.err());
    }

    @Test
    void shouldKeepTheFirstBytesOfOverlappingFragmentsAsTsharkDoesAndWarnWhenTheyDisagree() throws Exception {
        byte[] udp = udpDatagram(40000, 51820, transport(0x01020304, 77, 32));     // 40 bytes
        byte[] conflicting = Arrays.copyOfRange(udp, 16, 32);
        conflicting[0] ^= 0x55;                                                    // the counter's first byte
        Path agree = write("overlap-agree.pcap", pcapHeader(65535, LINKTYPE_ETHERNET),
                pcapRecord(T0, ipv4Frame(CLIENT, SERVER, 1, 0, true, Arrays.copyOf(udp, 24))),
                pcapRecord(T0 + 1, ipv4Frame(CLIENT, SERVER, 1, 16, true, Arrays.copyOfRange(udp, 16, 32))),
                pcapRecord(T0 + 2, ipv4Frame(CLIENT, SERVER, 1, 32, false, Arrays.copyOfRange(udp, 32, 40))));
        Path disagree = write("overlap-disagree.pcap", pcapHeader(65535, LINKTYPE_ETHERNET),
                pcapRecord(T0, ipv4Frame(CLIENT, SERVER, 2, 0, true, Arrays.copyOf(udp, 24))),
                pcapRecord(T0 + 1, ipv4Frame(CLIENT, SERVER, 2, 16, true, conflicting)),
                pcapRecord(T0 + 2, ipv4Frame(CLIENT, SERVER, 2, 32, false, Arrays.copyOfRange(udp, 32, 40))));

        for (Path f : List.of(agree, disagree)) {
            CliRun run = CliRun.of("analyze", "--list", "--format", "json", f.toString());

            assertEquals(ExitCode.OK, run.exitCode(), run.err());
            List<String> tshark = tsharkFields(f, "wg.counter");
            assertEquals(1, tshark.size(), "tshark reassembles one message: " + tshark);
            JsonNode message = JSON.readTree(run.out().lines().findFirst().orElseThrow());
            assertEquals(tshark.get(0), message.get("counter").asText(), "the counter tshark reads");
            boolean warned = run.err().contains("overlapping IP fragments that disagree");
            assertEquals(f == disagree, warned, run.err());
            if (warned) assertOneWarning(run.err(), f, "1 datagrams reassembled from overlapping IP fragments that disagree");
        }
    }

    // ------------------------------------------------------------------ many flows

    @Test
    void shouldAnalyseThreeHundredThousandFlowsInBoundedMemoryAndSayWhatItLeftOut() throws Exception {
        int flows = 300_000;
        Path f = dir.resolve("flows.pcap");
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(f), 1 << 16)) {
            out.write(pcapHeader(65535, LINKTYPE_ETHERNET));
            for (int i = 0; i < flows; i++) {
                byte[] src = {100, (byte) (64 + (i >>> 16)), (byte) (i >>> 8), (byte) i};  // 100.64.0.0/10
                out.write(pcapRecord(T0 + 10L * i, udp4(src, 1024 + i % 60_000, SERVER, 51820, transport(i, 0, 32))));
            }
        }
        Path json = dir.resolve("flows.json");

        ChildJvm run = ChildJvm.wgdiag(dir, "64m", 600, "analyze", "--format", "json", "-o", json.toString(), f.toString());

        assertEquals(ExitCode.OK, run.exitCode(), run.err());
        assertNoStackTrace(run.err());
        JsonNode report = JSON.readTree(json.toFile());
        assertEquals(flows, report.at("/summary/messages/keepalive").asLong(), "every message is counted");
        int tunnels = report.get("tunnels").size();
        String warning = report.get("warnings").toString();
        Matcher m = Pattern.compile("(\\d+) messages not analysed").matcher(warning);
        assertTrue(m.find(), warning);
        assertEquals(flows, tunnels + Long.parseLong(m.group(1)), "each flow is a tunnel or is in the warning: " + warning);
        assertTrue(warning.contains(f.toString()), warning);
    }

    // ------------------------------------------------------------------ garbage

    @Test
    void shouldStopAtRandomBytesAfterAValidPcapHeaderWithAWarning() throws Exception {
        byte[] noise = new byte[1 << 20];
        new Random(51820).nextBytes(noise);
        Path pcap = write("noise.pcap", pcapHeader(65535, LINKTYPE_ETHERNET), noise);
        Path ng = write("noise.pcapng", shb(), idb(LINKTYPE_ETHERNET, 65535), noise);
        for (Path f : List.of(pcap, ng)) {
            CliRun run = CliRun.of("analyze", f.toString());

            assertEquals(ExitCode.OK, run.exitCode(), run.err());
            assertTrue(run.out().contains("no WireGuard messages found"), run.out());
            assertOneWarning(run.err(), f, "corrupt");
        }
    }

    @Test
    void shouldReadAGzipBombOfTwoGigabytesInBoundedMemoryAndCountEveryEmptyFrame() throws Exception {
        long zeros = 2L << 30;
        int member = 16 << 20;
        Path f = dir.resolve("bomb.pcap.gz");
        byte[] zerosMember = gzip(new byte[member]);
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(f))) {
            out.write(gzip(pcapHeader(65535, LINKTYPE_ETHERNET)));       // concatenated members are one stream (RFC 1952 2.2)
            for (long n = 0; n < zeros; n += member) out.write(zerosMember);
        }

        ChildJvm run = ChildJvm.wgdiag(dir, "64m", 600, "analyze", f.toString());

        assertEquals(ExitCode.OK, run.exitCode(), run.err());
        assertTrue(run.out().contains("no WireGuard messages found"), run.out());
        // 16-byte record headers of zeros: records of 0 captured bytes, each too short for Ethernet
        assertOneWarning(run.err(), f, (zeros / 16) + " frames too short for their link, IP or UDP header skipped");
        System.out.println("gzip bomb: " + Files.size(f) + " bytes expanding to " + (zeros + 24) + " read in " + run.millis() + " ms");
    }

    @Test
    void shouldRejectAGzipOfZerosAtOnce() throws Exception {
        Path f = dir.resolve("zeros.gz");
        Files.write(f, gzip(new byte[64 << 20]));

        CliRun run = CliRun.of("analyze", f.toString());

        assertEquals(ExitCode.BAD_INPUT, run.exitCode());
        assertEquals(f + ": not a pcap or pcapng file (magic 0x00000000)", run.err().strip().replace("wgdiag: ", ""));
    }

    // ------------------------------------------------------------------ files that move

    @Test
    void shouldReadAFileThatGrowsWhileReadUpToItsSizeWhenOpened() throws Exception {
        Path f = write("growing.pcap", pcapHeader(65535, LINKTYPE_ETHERNET));
        try (OutputStream out = Files.newOutputStream(f, StandardOpenOption.APPEND)) {
            for (int i = 0; i < 2000; i++) out.write(keepaliveRecord(i));
        }
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong appended = new AtomicLong();
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try (OutputStream out = Files.newOutputStream(f, StandardOpenOption.APPEND)) {
                for (int i = 2000; !stop.get() && i < 50_000_000; i++) {
                    out.write(keepaliveRecord(i));
                    appended.incrementAndGet();
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        while (appended.get() < 1000) Thread.sleep(5);

        CliRun run = CliRun.of("analyze", "--list", "--format", "json", f.toString());
        boolean stillWriting = !writer.isDone();
        stop.set(true);
        writer.join();

        assertEquals(ExitCode.OK, run.exitCode(), run.err());
        assertTrue(stillWriting, "the read ended while the file was still growing");
        assertTrue(run.out().lines().count() >= 3000, "at least what was there when the writer got going");
        assertTrue(run.err().contains("grew by") && run.err().contains("(its size when opened) are analysed"), run.err());
        assertNoStackTrace(run.err());
    }

    @Test
    void shouldReadAFifoAsItReadsTheSameFile() throws Exception {
        Requirements.commands("mkfifo");
        Path capture = Requirements.projectDir().resolve("captures/handshake-ping.server.pcap");
        byte[] bytes = Files.readAllBytes(capture);
        CliRun fromFile = CliRun.of("analyze", "--list", "--format", "json", capture.toString());

        CliRun whole = throughFifo("whole", bytes);
        CliRun cut = throughFifo("cut", Arrays.copyOf(bytes, bytes.length / 2));
        CliRun garbage = throughFifo("garbage", "<html>not a capture</html>".getBytes(java.nio.charset.StandardCharsets.US_ASCII));

        assertEquals(ExitCode.OK, whole.exitCode(), whole.err());
        assertEquals(fromFile.out(), whole.out());
        assertEquals("", whole.err());
        assertEquals(ExitCode.OK, cut.exitCode(), cut.err());
        assertTrue(fromFile.out().startsWith(cut.out()) && !cut.out().isEmpty(), "the messages before the cut");
        assertOneWarning(cut.err(), dir.resolve("cut"), "truncated");
        assertEquals(ExitCode.BAD_INPUT, garbage.exitCode());
        assertEquals(1, garbage.err().strip().lines().count(), garbage.err());
        assertTrue(garbage.err().contains(dir.resolve("garbage") + ": not a pcap or pcapng file"), garbage.err());
    }

    // ------------------------------------------------------------------ secrets blocks

    @Test
    void shouldTakeAtMostAThousandKeysFromDecryptionSecretsBlocksAndSaySo() throws Exception {
        Path f = dir.resolve("dsb-flood.pcapng");
        Random random = new Random(7);
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(f))) {
            out.write(shb());
            out.write(idb(LINKTYPE_ETHERNET, 65535));
            byte[] key = new byte[32];
            for (int i = 0; i < 20_000; i++) {
                random.nextBytes(key);
                out.write(dsb("LOCAL_STATIC_PRIVATE_KEY = " + Base64.getEncoder().encodeToString(key) + "\n"));
            }
        }
        Path conf = Requirements.projectDir().resolve("captures/handshake-ping.server.conf");

        ChildJvm run = ChildJvm.wgdiag(dir, "64m", 300, "analyze", f.toString(), "--config", conf.toString());

        assertEquals(ExitCode.OK, run.exitCode(), run.err());
        assertTrue(run.err().contains("wgdiag: warning: 18976 Decryption Secrets Blocks ignored"), run.err());
        assertNoStackTrace(run.err());
    }

    // ------------------------------------------------------------------ helpers

    private CliRun throughFifo(String name, byte[] content) throws Exception {
        Path fifo = dir.resolve(name);
        Requirements.run("mkfifo", fifo.toString());
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try (OutputStream out = Files.newOutputStream(fifo)) {
                out.write(content);
            } catch (IOException e) {
                // the reader may stop early (a bad magic): a broken pipe is expected then
            }
        });
        CliRun run = CliRun.of("analyze", "--list", "--format", "json", fifo.toString());
        writer.join();
        return run;
    }

    /** An initiation, a response-sized message's stand-in (transport) and a keepalive, as pcap records. */
    private static byte[] threeMessages() {
        return concat(pcapRecord(T0, udp4(CLIENT, 40000, SERVER, 51820, initiation(1))),
                pcapRecord(T0 + 1000, udp4(SERVER, 51820, CLIENT, 40000, transport(1, 0, 48))),
                pcapRecord(T0 + 2000, udp4(CLIENT, 40000, SERVER, 51820, transport(2, 0, 32))));
    }

    private static byte[] threeMessagesNg() {
        return concat(epb(T0, udp4(CLIENT, 40000, SERVER, 51820, initiation(1))),
                epb(T0 + 1000, udp4(SERVER, 51820, CLIENT, 40000, transport(1, 0, 48))),
                epb(T0 + 2000, udp4(CLIENT, 40000, SERVER, 51820, transport(2, 0, 32))));
    }

    private static byte[] keepaliveRecord(int i) {
        return pcapRecord(T0 + 1000L * i, udp4(CLIENT, 40000, SERVER, 51820, transport(3, i, 32)));
    }

    private Path write(String name, byte[]... parts) throws IOException {
        return Files.write(dir.resolve(name), concat(parts));
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(b)) {
            g.write(data);
        }
        return b.toByteArray();
    }

    private static byte[] le32(int v) {
        return java.nio.ByteBuffer.allocate(4).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(v).array();
    }

    /** Frames tshark decodes as WireGuard (port 51820), reading as far as it can. */
    private static long tsharkWireGuardFrames(Path f) {
        return tsharkFields(f, "frame.number").size();
    }

    private static List<String> tsharkFields(Path f, String field) {
        Requirements.commands("tshark");
        String out = Requirements.run(false, "tshark", "-r", f.toString(), "-n", "-o", "ip.defragment:TRUE",
                "-d", "udp.port==51820,wg", "-Y", "wg", "-T", "fields", "-e", field);
        List<String> rows = new ArrayList<>();
        out.lines().filter(l -> !l.isBlank()).forEach(rows::add);
        return rows;
    }

    private static void assertOneWarning(String err, Path file, String... parts) {
        String[] lines = err.strip().split("\n");
        assertEquals(1, lines.length, "one warning line: " + err);
        assertTrue(lines[0].startsWith("wgdiag: warning: " + file + ": "), lines[0]);
        for (String p : parts) assertTrue(lines[0].contains(p), "'" + p + "' in: " + lines[0]);
        assertNoStackTrace(err);
    }

    private static void assertNoStackTrace(String err) {
        assertFalse(err.contains("Exception") || err.contains("\tat ") || err.contains("OutOfMemoryError"), err);
    }
}
