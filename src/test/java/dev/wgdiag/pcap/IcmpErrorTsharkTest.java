package dev.wgdiag.pcap;

import dev.wgdiag.testing.Requirements;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * ICMP errors quoting UDP are delivered as tshark reads them: on the lab's small-mtu client capture
 * (a real 1280-byte link behind a real NAT), the NAT's "fragmentation needed" with its next-hop MTU,
 * the quoted WireGuard datagram's ports and its length.
 */
class IcmpErrorTsharkTest {
    @Test
    void shouldDeliverFragmentationNeededAsTsharkDecodesIt() throws Exception {
        Requirements.commands("tshark");
        Path capture = Requirements.projectDir().resolve("captures/small-mtu.client.pcap");
        List<String> expected = new ArrayList<>();
        // occurrence=a: ip.src and ip.len appear twice, the ICMP packet's own and the quoted one's.
        for (String line : Requirements.run(false, "tshark", "-r", capture.toString(), "-n", "-Y", "icmp.type == 3 || icmp.type == 11",
                "-T", "fields", "-E", "separator=/t", "-E", "occurrence=a", "-e", "frame.number", "-e", "icmp.type",
                "-e", "icmp.code", "-e", "icmp.mtu", "-e", "ip.src", "-e", "ip.dst", "-e", "udp.srcport", "-e", "udp.dstport",
                "-e", "ip.len").split("\n")) {
            if (line.isBlank()) continue;
            String[] f = line.split("\t", -1);
            String[] src = f[4].split(",");
            String[] dst = f[5].split(",");
            String[] len = f[8].split(",");
            expected.add(String.join(" ", f[0], f[1], f[2], f[3].isEmpty() ? "0" : f[3], src[0],
                    src[1] + ":" + f[6], dst[1] + ":" + f[7], len[1]));
        }
        assertFalse(expected.isEmpty(), "the lab's small-mtu capture holds an ICMP fragmentation-needed");

        List<String> actual = new ArrayList<>();
        CaptureReader.read(capture.toString(), d -> { }, null, CaptureOptions.builder().icmpHandler(e -> actual.add(String.join(" ",
                Long.toString(e.frameNumber()), Integer.toString(e.type()), Integer.toString(e.code()), Integer.toString(e.mtu()),
                e.reporter(), e.quotedSource().toString(), e.quotedDestination().toString(),
                Integer.toString(e.quotedLength())))).build());

        assertEquals(expected, actual);
    }
}
