package dev.wgdiag.lab;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * WireGuard packets of a capture as decoded by tshark (independent of wgdiag's decoder). Used by the
 * lab tests to check that the lab did what its settings say.
 */
public final class Tshark {
    private Tshark() {
    }

    /**
     * One WireGuard message seen by tshark.
     *
     * @param time    capture timestamp, epoch seconds
     * @param src     source address (IPv4 or IPv6 text as tshark prints it)
     * @param srcPort source UDP port
     * @param dst     destination address
     * @param dstPort destination UDP port
     * @param type    WireGuard message type 1..4
     * @param length  WireGuard message length (UDP payload)
     */
    public record WgPacket(double time, String src, int srcPort, String dst, int dstPort, int type, int length) {
        /** "addr:port" or "[v6]:port" of the source. */
        public String srcEndpoint() {
            return (src.contains(":") ? "[" + src + "]" : src) + ":" + srcPort;
        }

        public boolean isKeepalive() {
            return type == 4 && length == 32;
        }
    }

    /**
     * All WireGuard messages in a pcap, in capture order (ICMP-quoted packets excluded). UDP heuristics
     * go first: the NAT's random outside port sometimes is a port tshark gives to another protocol
     * (seen: 19948 decoded as KDP, so a lab run "lost" all its server-side messages).
     */
    public static List<WgPacket> wireGuard(Path pcap) {
        List<String> cmd = List.of("tshark", "-n", "-r", pcap.toString(),
                "-o", "udp.try_heuristic_first:TRUE", "-d", "udp.port==51820,wg", "-Y", "wg && !icmp && !icmpv6",
                "-T", "fields", "-E", "separator=\t",
                "-e", "frame.time_epoch", "-e", "ip.src", "-e", "ipv6.src", "-e", "udp.srcport",
                "-e", "ip.dst", "-e", "ipv6.dst", "-e", "udp.dstport", "-e", "wg.type", "-e", "udp.length");
        List<WgPacket> out = new ArrayList<>();
        for (String line : run(cmd)) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split("\t", -1);
            String src = f[1].isEmpty() ? f[2] : f[1];
            String dst = f[4].isEmpty() ? f[5] : f[4];
            out.add(new WgPacket(Double.parseDouble(f[0]), src, Integer.parseInt(f[3]), dst,
                    Integer.parseInt(f[6]), Integer.parseInt(f[7]), Integer.parseInt(f[8]) - 8));
        }
        return out;
    }

    private static List<String> run(List<String> cmd) {
        return List.of(dev.wgdiag.testing.Requirements.run(cmd.toArray(String[]::new)).split("\n"));
    }
}
