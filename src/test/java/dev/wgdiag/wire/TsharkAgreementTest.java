package dev.wgdiag.wire;

import dev.wgdiag.net.Endpoint;
import dev.wgdiag.pcap.CaptureException;
import dev.wgdiag.pcap.CaptureReader;
import dev.wgdiag.report.Times;
import dev.wgdiag.testing.Requirements;
import org.junit.jupiter.api.Assumptions;
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
 */
class TsharkAgreementTest {

    record Row(long frame, BigDecimal time, Endpoint src, Endpoint dst, int type, String sender,
               String receiver, String counter, int length) {
        @Override
        public String toString() {
            return "#" + frame + " " + time.toPlainString() + " " + src + " -> " + dst + " type=" + type
                    + " sender=" + sender + " receiver=" + receiver + " counter=" + counter + " len=" + length;
        }
    }

    @TestFactory
    Stream<DynamicTest> shouldDecodeEveryCaptureAsTsharkDoes() throws IOException {
        List<Path> files = captureFiles();
        assertFalse(files.isEmpty(), "no captures found under captures/ or src/test/resources");
        return files.stream().map(f -> DynamicTest.dynamicTest(
                Requirements.projectDir().relativize(f).toString(), () -> compare(f)));
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
            CaptureReader.read(file.toString(), new WireGuardDecoder((d, m) -> ours.add(new Row(d.frameNumber(),
                    new BigDecimal(Times.epochSeconds(d.timeNanos(), 9)).stripTrailingZeros(),
                    d.source(), d.destination(), m.wireType(),
                    m.hasSender() ? Long.toString(m.sender()) : "",
                    m.hasReceiver() ? Long.toString(m.receiver()) : "",
                    m.hasCounter() ? Long.toUnsignedString(m.counter()) : "",
                    m.length()))), null);
        } catch (CaptureException e) {
            // Unreadable fixtures (bad magic, empty) are the subject of the reader's own error tests.
            Assumptions.abort("not a readable capture: " + e.getMessage());
        }
        List<Row> theirs = tshark(file);
        assertEquals(theirs.size(), ours.size(),
                () -> "message count differs for " + file + firstDifference(theirs, ours));
        for (int i = 0; i < theirs.size(); i++) {
            assertEquals(theirs.get(i), ours.get(i), "message " + i + " of " + file);
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

    static List<Row> tshark(Path file) {
        String out = Requirements.run(false, "tshark", "-r", file.toString(), "-n",
                "-o", "udp.try_heuristic_first:TRUE", "-d", "udp.port==51820,wg",
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
            String src = !f[3].isEmpty() ? f[3] : f[2];
            String dst = !f[6].isEmpty() ? f[6] : f[5];
            rows.add(new Row(Long.parseLong(f[0]), new BigDecimal(f[1]).stripTrailingZeros(),
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
