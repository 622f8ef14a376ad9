package dev.wgdiag.peer;

import dev.wgdiag.capture.PcapWriter;
import dev.wgdiag.testing.Requirements;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The inner stack's echo packets, written to a raw-IP pcap (LINKTYPE_RAW 101) and judged by tshark:
 * header and ICMP / ICMPv6 checksums (tshark's checksum status "Good" = 1, "Bad" = 0), types,
 * identifiers, sequences, addresses, and the request each reply answers (tshark's {@code resp_to}).
 */
class InnerStackTsharkTest {
    private static final int LINKTYPE_RAW = 101;
    private static final long T0 = 1_764_000_000_000_000_000L;

    @TempDir
    Path dir;

    private final InetAddress us4 = ip("10.0.0.2");
    private final InetAddress us6 = ip("fd86:ea04:1119::2");
    private final InetAddress them4 = ip("10.0.0.1");
    private final InetAddress them6 = ip("fd86:ea04:1119::1");

    @Test
    void shouldBuildEchoRequestsTsharkDecodesWithGoodChecksums() throws Exception {
        InnerStack stack = new InnerStack(List.of(us4, us6));
        byte[] v4 = stack.echoRequest(them4, 0x1234, 1, T0, 56);
        byte[] v6 = stack.echoRequest(them6, 0xbeef, 65535, T0, 101); // odd length: the checksum's padding byte

        List<String[]> rows = tshark(write(v4, v6), "ip.src", "ipv6.src", "ip.dst", "ipv6.dst", "ip.checksum.status",
                "icmp.type", "icmp.ident", "icmp.seq", "icmp.checksum.status",
                "icmpv6.type", "icmpv6.echo.identifier", "icmpv6.echo.sequence_number", "icmpv6.checksum.status", "data.len");

        assertEquals(List.of("10.0.0.2", "", "10.0.0.1", "", "1", "8", "4660", "1", "1", "", "", "", "", "56"), List.of(rows.get(0)));
        assertEquals(List.of("", "fd86:ea04:1119::2", "", "fd86:ea04:1119::1", "", "", "", "", "", "128", "0xbeef", "65535", "1", "101"),
                List.of(rows.get(1)));
    }

    @Test
    void shouldAnswerEchoRequestsToOurAddressesAsTsharkPairsThem() throws Exception {
        InnerStack them = new InnerStack(List.of(them4, them6));
        InnerStack us = new InnerStack(List.of(us4, us6));
        byte[] req4 = them.echoRequest(us4, 7, 3, T0, 56);
        byte[] req6 = them.echoRequest(us6, 8, 4, T0, 56);

        InnerStack.Answer a4 = assertInstanceOf(InnerStack.Answer.class, us.receive(req4));
        InnerStack.Answer a6 = assertInstanceOf(InnerStack.Answer.class, us.receive(req6));

        List<String[]> rows = tshark(write(req4, a4.reply(), req6, a6.reply()), "frame.number", "ip.src", "ipv6.src", "ip.dst",
                "ipv6.dst", "ip.checksum.status", "icmp.type", "icmp.checksum.status", "icmp.resp_to",
                "icmpv6.type", "icmpv6.checksum.status", "icmpv6.resp_to", "data.data");
        String[] reply4 = rows.get(1);
        String[] reply6 = rows.get(3);
        assertEquals(List.of("2", "10.0.0.2", "", "10.0.0.1", "", "1", "0", "1", "1"), List.of(reply4).subList(0, 9));
        assertEquals(List.of("4", "", "fd86:ea04:1119::2", "", "fd86:ea04:1119::1", "", "", "", "", "129", "1", "3"),
                List.of(reply6).subList(0, 12));
        assertEquals(rows.get(0)[12], reply4[12], "the request's data echoed");
        assertEquals(rows.get(2)[12], reply6[12], "the request's data echoed");
        assertEquals(them4, a4.to());
        assertEquals(them6, a6.to());
        assertEquals(2, us.answered());
    }

    @Test
    void shouldReadTheRepliesToOurRequestsWithTheirSendTime() {
        InnerStack us = new InnerStack(List.of(us4, us6));
        InnerStack them = new InnerStack(List.of(them4, them6));
        for (InetAddress target : List.of(them4, them6)) {
            InnerStack.Answer answer = (InnerStack.Answer) them.receive(us.echoRequest(target, 0x4242, 9, T0 + 5, 56));
            InnerStack.EchoReply reply = assertInstanceOf(InnerStack.EchoReply.class, us.receive(answer.reply()));
            assertEquals(new InnerStack.EchoReply(target, 0x4242, 9, 64, 64, T0 + 5), reply);
        }
        assertEquals(2, us.replies());
    }

    @Test
    void shouldCountAndDropWhatIsNotAnEchoForUsAndAgreeWithTsharkOnBadChecksums() throws Exception {
        InnerStack them = new InnerStack(List.of(them4, them6));
        InnerStack us = new InnerStack(List.of(us4, us6));
        byte[] corrupt4 = them.echoRequest(us4, 1, 1, T0, 56);
        corrupt4[40] ^= 0x01;                      // a data byte: the ICMP checksum no longer adds up
        byte[] corrupt6 = them.echoRequest(us6, 1, 1, T0, 56);
        corrupt6[70] ^= 0x01;
        byte[] elsewhere = new InnerStack(List.of(them4)).echoRequest(ip("10.0.0.9"), 1, 1, T0, 56);
        byte[] udp = them.echoRequest(us4, 1, 1, T0, 56);
        udp[9] = 17;                               // protocol UDP (the header checksum is now wrong too, but it is not echo first)
        byte[] fragment = them.echoRequest(us4, 1, 1, T0, 56);
        fragment[6] = 0x20;                        // more fragments
        byte[] junk = {0x00, 0x01, 0x02};

        List<String[]> rows = tshark(write(corrupt4, corrupt6), "icmp.checksum.status", "icmpv6.checksum.status");
        assertEquals("0", rows.get(0)[0], "tshark: bad ICMP checksum");
        assertEquals("0", rows.get(1)[1], "tshark: bad ICMPv6 checksum");

        for (byte[] p : List.of(corrupt4, corrupt6)) {
            assertEquals(new InnerStack.Dropped(InnerStack.Drop.BAD_CHECKSUM), us.receive(p));
        }
        assertEquals(new InnerStack.Dropped(InnerStack.Drop.NOT_OUR_ADDRESS), us.receive(elsewhere));
        assertEquals(new InnerStack.Dropped(InnerStack.Drop.NOT_ECHO), us.receive(udp));
        assertEquals(new InnerStack.Dropped(InnerStack.Drop.FRAGMENT), us.receive(fragment));
        assertEquals(new InnerStack.Dropped(InnerStack.Drop.MALFORMED), us.receive(junk));
        assertEquals(Map.of(InnerStack.Drop.BAD_CHECKSUM, 2L, InnerStack.Drop.NOT_OUR_ADDRESS, 1L, InnerStack.Drop.NOT_ECHO, 1L,
                InnerStack.Drop.FRAGMENT, 1L, InnerStack.Drop.MALFORMED, 1L), us.drops());
        assertEquals(0, us.answered());
    }

    // ------------------------------------------------------------------ helpers

    private Path write(byte[]... packets) throws Exception {
        Path pcap = dir.resolve("inner-" + System.nanoTime() + ".pcap");
        try (PcapWriter w = new PcapWriter(pcap, LINKTYPE_RAW, 65535)) {
            long t = T0;
            for (byte[] p : packets) w.write(t += 1_000_000, p, 0, p.length, p.length);
        }
        return pcap;
    }

    private static List<String[]> tshark(Path pcap, String... fields) {
        Requirements.commands("tshark");
        List<String> cmd = new ArrayList<>(List.of("tshark", "-r", pcap.toString(), "-n", "-2",
                "-o", "ip.check_checksum:TRUE", "-T", "fields", "-E", "separator=/t"));
        for (String f : fields) {
            cmd.add("-e");
            cmd.add(f);
        }
        List<String[]> rows = new ArrayList<>();
        for (String line : Requirements.run(cmd.toArray(String[]::new)).split("\n")) {
            if (!line.isBlank()) rows.add(line.split("\t", -1));
        }
        assertTrue(!rows.isEmpty(), "tshark read nothing from " + pcap);
        return rows;
    }

    private static InetAddress ip(String s) {
        try {
            return InetAddress.getByName(s);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
