package dev.wgdiag.wire;

import dev.wgdiag.net.Endpoint;
import dev.wgdiag.pcap.CaptureException;
import dev.wgdiag.pcap.CaptureReader;
import dev.wgdiag.time.Times;
import dev.wgdiag.testing.Requirements;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * wgdiag decodes every WireGuard message of every bundled capture and test fixture exactly as the
 * reference decoder, tshark, does: same (frame, time, source, destination, type, sender, receiver,
 * counter, length). tshark runs with its WireGuard dissector forced on port 51820 and its UDP
 * heuristics tried first, so WireGuard on any port is decoded. Messages quoted inside ICMP errors are
 * not transmissions and are left out of tshark's list (wgdiag does not report them as messages).
 * Captures under captures/corpus come from other projects' test suites (captures/README.md).
 */
class TsharkAgreementTest {

    record Row(long frame, BigDecimal time, Endpoint src, Endpoint dst, int type, String sender,
               String receiver, String counter, int length) {
        @Override
        public String toString() {
            return "#" + frame + " " + (time == null ? "-" : time.toPlainString()) + " " + src + " -> " + dst + " type=" + type
                    + " sender=" + sender + " receiver=" + receiver + " counter=" + counter + " len=" + length;
        }
    }

    @TestFactory
    Stream<DynamicTest> shouldDecodeEveryCaptureAsTsharkDoes() throws IOException {
        List<Path> files = captureFiles();
        assertFalse(files.isEmpty(), "no captures found under captures/ or src/test/resources");
        // Files that are not readable captures (bad magic, empty) are the reader's error tests' subject.
        files.removeIf(f -> !readable(f));
        return files.stream().map(f -> DynamicTest.dynamicTest(
                Requirements.projectDir().relativize(f).toString(), () -> compare(f)));
    }

    private static boolean readable(Path file) {
        try {
            CaptureReader.read(file.toString(), d -> { }, null);
            return true;
        } catch (CaptureException e) {
            return false;
        }
    }

    static List<Path> captureFiles() throws IOException {
        List<Path> out = new ArrayList<>();
        Path root = Requirements.projectDir();
        for (Path dir : List.of(root.resolve("captures"), root.resolve("src/test/resources"))) {
            if (!Files.isDirectory(dir)) continue;
            try (Stream<Path> s = Files.walk(dir)) {
                s.filter(Files::isRegularFile)
                        .filter(p -> p.getFileName().toString().matches(".*\\.(pcap|pcapng|cap)(\\.gz)?$"))
                        .sorted()
                        .forEach(out::add);
            }
        }
        return out;
    }

    private static void compare(Path file) {
        Requirements.commands("tshark");
        List<Row> ours = new ArrayList<>();
        try {
            CaptureReader.read(file.toString(), new WireGuardDecoder((d, m) -> {
                ours.add(new Row(d.frameNumber(),
                    new BigDecimal(Times.epochSeconds(d.timeNanos(), 9)).stripTrailingZeros(),
                    d.source(), d.destination(), m.wireType(),
                    m.hasSender() ? Long.toString(m.sender()) : "",
                    m.hasReceiver() ? Long.toString(m.receiver()) : "",
                    m.hasCounter() ? Long.toUnsignedString(m.counter()) : "",
                    m.length()));
            }), null);
        } catch (CaptureException e) {
            throw new AssertionError(e.getMessage(), e);
        }
        List<Row> theirs = tshark(file);
        // A first fragment cut by the snaplen cannot be reassembled: tshark then shows no WireGuard
        // for it, while wgdiag still reports the header fields it holds. Those frames (first fragments
        // by tshark's own reading) are left out of the comparison; every other frame must agree.
        java.util.Set<Long> cutFirstFragments = cutFirstFragments(file);
        theirs.removeIf(r -> cutFirstFragments.contains(r.frame()));
        ours.removeIf(r -> cutFirstFragments.contains(r.frame()));
        assertEquals(theirs.size(), ours.size(),
                () -> "message count differs for " + file + firstDifference(theirs, ours));
        for (int i = 0; i < theirs.size(); i++) {
            Row mine = ours.get(i);
            if (theirs.get(i).time() == null) {
                // A Simple Packet Block has no time stamp: tshark shows none, there is nothing to compare.
                mine = new Row(mine.frame(), null, mine.src(), mine.dst(), mine.type(), mine.sender(),
                        mine.receiver(), mine.counter(), mine.length());
            }
            assertEquals(theirs.get(i), mine, "message " + i + " of " + file);
        }
    }

    private static String firstDifference(List<Row> expected, List<Row> actual) {
        for (int i = 0; i < Math.min(expected.size(), actual.size()); i++) {
            if (!expected.get(i).equals(actual.get(i))) {
                return "; first difference at " + i + ": tshark " + expected.get(i) + " / wgdiag " + actual.get(i);
            }
        }
        return expected.size() > actual.size() ? "; tshark has more: " + expected.get(actual.size())
                : actual.size() > expected.size() ? "; wgdiag has more: " + actual.get(expected.size()) : "";
    }

    private static java.util.Set<Long> cutFirstFragments(Path file) {
        String out = Requirements.run(false, "tshark", "-r", file.toString(), "-n", "-T", "fields", "-e", "frame.number",
                "-Y", "((ipv6.fraghdr.offset == 0 && ipv6.fraghdr.more == 1) || (ip.flags.mf == 1 && ip.frag_offset == 0))"
                        + " && frame.cap_len < frame.len");
        java.util.Set<Long> frames = new java.util.HashSet<>();
        out.lines().filter(l -> !l.isBlank()).forEach(l -> frames.add(Long.parseLong(l.trim())));
        return frames;
    }

    static List<Row> tshark(Path file) {
        String out = Requirements.run(false, "tshark", "-r", file.toString(), "-n",
                "-o", "udp.try_heuristic_first:TRUE", "-d", "udp.port==51820,wg",
                // Decrypted transport (a pcapng with Decryption Secrets) would show the inner packet's fields:
                // compare the outer WireGuard message only.
                "-o", "wg.dissect_packet:FALSE",
                "-Y", "wg && !icmp && !icmpv6",
                "-T", "fields", "-E", "separator=/t", "-E", "occurrence=l",
                "-e", "frame.number", "-e", "frame.time_epoch",
                "-e", "ip.src", "-e", "ipv6.src", "-e", "udp.srcport",
                "-e", "ip.dst", "-e", "ipv6.dst", "-e", "udp.dstport",
                "-e", "wg.type", "-e", "wg.sender", "-e", "wg.receiver", "-e", "wg.counter", "-e", "udp.length");
        List<Row> rows = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (line.isBlank()) continue;
            String[] f = line.split("\t", -1);
            if (f.length < 13 || f[8].isEmpty()) {
                throw new AssertionError("unexpected tshark line for " + file + ": " + line);
            }
            String src = !f[3].isEmpty() ? f[3] : f[2];
            String dst = !f[6].isEmpty() ? f[6] : f[5];
            rows.add(new Row(Long.parseLong(f[0]), f[1].isEmpty() ? null : new BigDecimal(f[1]).stripTrailingZeros(),
                    endpoint(src, f[4]), endpoint(dst, f[7]), Integer.parseInt(f[8]),
                    unsigned(f[9]), unsigned(f[10]), f[11], Integer.parseInt(f[12]) - 8));
        }
        return rows;
    }

    private static String unsigned(String hexOrEmpty) {
        return hexOrEmpty.isEmpty() ? "" : Long.toString(Long.decode(hexOrEmpty));
    }

    private static Endpoint endpoint(String address, String port) {
        try {
            return Endpoint.of(InetAddress.getByName(address), Integer.parseInt(port));
        } catch (IOException e) {
            throw new AssertionError("tshark printed a bad address: " + address, e);
        }
    }
}
