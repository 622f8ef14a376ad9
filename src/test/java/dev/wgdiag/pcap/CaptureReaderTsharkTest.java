package dev.wgdiag.pcap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wgdiag.pcap.Fixtures.Collector;
import dev.wgdiag.pcap.Fixtures.Row;
import dev.wgdiag.pcap.Fixtures.Truth;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every fixture read by CaptureReader must show exactly the UDP datagrams tshark shows. */
class CaptureReaderTsharkTest {

    @BeforeAll
    static void needsTshark() {
        Fixtures.requireTshark();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "eth-le-usec.pcap", "eth-be-usec.pcap", "eth-le-nsec.pcap", "eth-be-nsec.pcap", "eth.pcapng",
            "vlan.pcap", "fragments.pcap", "fragments.pcapng", "snap96.pcap",
            "raw101.pcap", "raw12.pcap", "ipv4-228.pcap", "ipv6-229.pcap", "null-le.pcap", "null-be.pcap",
            "loop.pcap", "sll.pcap", "sll2.pcap", "multi-interface.pcapng", "sections.pcapng",
            "eth-le-usec.pcap.gz", "gzipped-without-suffix.pcapng", "truncated.pcap", "truncated.pcapng"})
    void shouldDeliverTheUdpDatagramsTsharkShows(String name) throws Exception {
        Path file = Fixtures.fixture(name);
        List<Truth> expected = Fixtures.tsharkUdp(file);
        Collector actual = new Collector();
        CaptureReader.read(file.toString(), actual, null);

        assertFalse(expected.isEmpty(), "tshark shows no UDP in " + name);
        assertSame(name, expected, actual.rows);
    }

    /**
     * Snaplen 90 cuts every fragment. tshark shows the cut IPv4 first fragments as UDP at their own
     * frame (it cannot reassemble cut fragments), and so does the reader. For IPv6, tshark shows
     * nothing, while the reader delivers the cut first fragment the same way; the truth for those
     * comes from tshark on the uncut file: frame and time of the first fragment (two-pass
     * {@code ipv6.reassembled.in}), addresses, ports and UDP length of the datagram it belongs to.
     */
    @Test
    void shouldDeliverCutFirstFragmentsAtTheirOwnFrame() throws Exception {
        Path cut = Fixtures.fixture("fragments-snap90.pcap");
        Path full = Fixtures.fixture("fragments.pcap");
        List<Truth> expected = new ArrayList<>(Fixtures.tsharkUdp(cut));
        Map<Long, Truth> fullRows = new HashMap<>();
        for (Truth t : Fixtures.tsharkUdp(full)) fullRows.put(t.frame(), t);
        for (String line : Fixtures.tshark("-2", "-r", full.toString(), "-T", "fields", "-E", "separator=/t",
                "-e", "frame.number", "-e", "frame.time_epoch", "-e", "ipv6.reassembled.in",
                "-Y", "ipv6.fraghdr.offset == 0 && ipv6.fraghdr.more == 1")) {
            String[] f = line.split("\t", -1);
            Truth whole = fullRows.get(Long.parseLong(f[2]));
            expected.add(new Truth(Long.parseLong(f[0]), Fixtures.nanos(f[1]), whole.src(), whole.srcPort(),
                    whole.dst(), whole.dstPort(), whole.udpLength()));
        }
        expected.sort((a, b) -> Long.compare(a.frame(), b.frame()));
        Collector actual = new Collector();
        CaptureReader.read(cut.toString(), actual, null);

        assertSame("fragments-snap90.pcap", expected, actual.rows);
        for (Row r : actual.rows) {
            assertFalse(r.reassembled(), "a cut first fragment is not reassembled: " + r);
        }
        assertTrue(actual.rows.stream().anyMatch(r -> r.captured() < r.payloadLength()),
                "snaplen 90 leaves payloads incomplete");
    }

    @Test
    void shouldMarkReassembledDatagramsAndKeepTheirWholePayload() throws Exception {
        Collector actual = new Collector();
        CaptureReader.read(Fixtures.fixture("fragments.pcap").toString(), actual, null);
        List<Truth> expected = Fixtures.tsharkUdp(Fixtures.fixture("fragments.pcap"));
        assertSame("fragments.pcap", expected, actual.rows);
        // tshark's -T fields for reassembled datagrams: the frame carries ip.reassembled.in / ipv6 fields
        List<String> reassembledFrames = new ArrayList<>();
        for (String l : Fixtures.tshark("-r", Fixtures.fixture("fragments.pcap").toString(), "-T", "fields",
                "-e", "frame.number", "-Y", "udp && (ip.fragments || ipv6.fragments)")) {
            reassembledFrames.add(l.trim());
        }
        List<String> ours = new ArrayList<>();
        for (Row r : actual.rows) {
            if (r.reassembled()) ours.add(Long.toString(r.frame()));
            assertEquals(r.payloadLength(), r.captured(), "whole payload captured: " + r);
        }
        assertEquals(reassembledFrames, ours);
    }

    /**
     * snap96.pcap is eth-le-usec.pcap cut to 96 bytes per frame: tshark's view of the full file gives
     * every header and UDP length; only the payload bytes present shrink, to 96 minus the headers.
     */
    @Test
    void shouldDecodeEveryHeaderOfSnaplenCutFrames() throws Exception {
        Collector cut = new Collector();
        CaptureReader.read(Fixtures.fixture("snap96.pcap").toString(), cut, null);
        assertSame("snap96.pcap vs uncut truth", Fixtures.tsharkUdp(Fixtures.fixture("eth-le-usec.pcap")), cut.rows);
        Map<Long, String> headerBytes = new HashMap<>();
        // tshark: bytes before the UDP payload = Ethernet + IP (+ extension headers) + 8
        for (String l : Fixtures.tshark("-r", Fixtures.fixture("eth-le-usec.pcap").toString(), "-T", "fields",
                "-E", "separator=/t", "-e", "frame.number", "-e", "frame.len", "-e", "udp.length", "-Y", "udp && !icmp")) {
            String[] f = l.split("\t");
            headerBytes.put(Long.parseLong(f[0]), f[1] + " " + f[2]);
        }
        for (Row r : cut.rows) {
            String[] lens = headerBytes.get(r.frame()).split(" ");
            int frameLen = Integer.parseInt(lens[0]);
            int udpLen = Integer.parseInt(lens[1]);
            // the UDP payload ends at frame end (minus Ethernet trailer, none beyond frame 11 here)
            int payloadStart = frameLen - udpLen - (r.frame() == 11 ? 6 : 0);
            int expectedCaptured = Math.max(0, Math.min(udpLen - 8, 96 - payloadStart - 8));
            assertEquals(expectedCaptured, r.captured(), "captured payload of frame " + r.frame());
            assertEquals(udpLen - 8, r.payloadLength(), "payload length of frame " + r.frame());
        }
    }

    static void assertSame(String name, List<Truth> expected, List<Row> actual) {
        List<String> diffs = new ArrayList<>();
        List<String> e = expected.stream().map(Truth::key).toList();
        List<String> a = actual.stream().map(Row::key).toList();
        if (!e.equals(a)) {
            diffs.add("datagrams differ:\n  tshark: " + e + "\n  reader: " + a);
        } else {
            for (int i = 0; i < expected.size(); i++) {
                Truth t = expected.get(i);
                Row r = actual.get(i);
                // tshark shows no time for a Simple Packet Block; the reader gives 0
                long want = t.timeNanos() < 0 ? 0 : t.timeNanos();
                long unit = pow10(9 - r.timeDigits());
                if (Math.floorDiv(want, unit) != Math.floorDiv(r.timeNanos(), unit)) {
                    diffs.add("frame " + t.frame() + ": time " + r.timeNanos() + " (" + r.timeDigits()
                            + " digits) but tshark says " + want);
                }
            }
        }
        assertEquals(List.of(), diffs, name);
    }

    private static long pow10(int n) {
        long v = 1;
        for (int i = 0; i < n; i++) v *= 10;
        return v;
    }
}
