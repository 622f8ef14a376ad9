package dev.wgdiag.peer.net;

import dev.wgdiag.capture.PcapWriter;
import dev.wgdiag.testing.Requirements;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The synthetic frames around the peer's datagrams, as tshark decodes them with checksum checks on:
 * IPv4 header checksum, UDP checksum over the IPv4 and IPv6 pseudo-headers (status 1 = "Good"),
 * addresses, ports and lengths; an odd payload length exercises the checksum's padding byte.
 */
class SyntheticFramesTsharkTest {
    @TempDir
    Path dir;

    @Test
    void shouldWrapDatagramsInHeadersTsharkFindsCorrect() throws Exception {
        Requirements.commands("tshark");
        SyntheticFrames frames = new SyntheticFrames();
        Path pcap = dir.resolve("frames.pcap");
        byte[] keepalive = new byte[32];
        keepalive[0] = 4;
        byte[] odd = new byte[147];
        for (int i = 0; i < odd.length; i++) odd[i] = (byte) (i * 7);
        try (PcapWriter w = new PcapWriter(pcap, SyntheticFrames.LINKTYPE_RAW, 262144)) {
            int n = frames.wrap(new InetSocketAddress("100.64.0.2", 40000), new InetSocketAddress("198.51.100.2", 51820), keepalive, 0, 32);
            w.write(1_000_000_000L, frames.frame(), 0, n, n);
            n = frames.wrap(new InetSocketAddress("2001:db8:100::2", 51820), new InetSocketAddress("2001:db8:100::1", 1024), odd, 0, odd.length);
            w.write(2_000_000_000L, frames.frame(), 0, n, n);
            n = frames.wrap(new InetSocketAddress("::ffff:198.51.100.2", 51820), new InetSocketAddress("198.51.100.1", 65535), odd, 0, odd.length);
            w.write(3_000_000_000L, frames.frame(), 0, n, n);
        }
        String out = Requirements.run("tshark", "-r", pcap.toString(), "-n", "-o", "ip.check_checksum:TRUE",
                "-o", "udp.check_checksum:TRUE", "-T", "fields", "-E", "separator=,",
                "-e", "ip.src", "-e", "ipv6.src", "-e", "udp.srcport", "-e", "ip.dst", "-e", "ipv6.dst", "-e", "udp.dstport",
                "-e", "ip.checksum.status", "-e", "udp.checksum.status", "-e", "udp.length");
        assertEquals(List.of(
                "100.64.0.2,,40000,198.51.100.2,,51820,1,1,40",
                ",2001:db8:100::2,51820,,2001:db8:100::1,1024,,1,155",
                "198.51.100.2,,51820,198.51.100.1,,65535,1,1,155"), out.lines().toList());
    }
}
