package dev.wgdiag.pcap;


import dev.wgdiag.net.IpAddresses;
import dev.wgdiag.wire.Datagram;
import dev.wgdiag.wire.DatagramHandler;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Test helpers: fixture paths, collecting what the reader delivers, running tshark. */
final class Fixtures {
    private Fixtures() {
    }

    static Path dir() {
        String base = System.getProperty("wgdiag.projectDir", System.getenv().getOrDefault("WGDIAG_PROJECT_DIR", "."));
        return Path.of(base, "src", "test", "resources", "pcap");
    }

    static Path fixture(String name) {
        return dir().resolve(name);
    }

    /** One delivered datagram, copied out of the flyweight. */
    record Row(long frame, long timeNanos, int timeDigits, String src, int srcPort, String dst, int dstPort,
               int udpLength, int captured, int payloadLength, boolean reassembled, int linkType) {
        /** The columns tshark also shows, for comparison. */
        String key() {
            return frame + " " + src + ":" + srcPort + " > " + dst + ":" + dstPort + " udp.length=" + udpLength;
        }
    }

    static final class Collector implements DatagramHandler {
        final List<Row> rows = new ArrayList<>();

        @Override
        public void onDatagram(Datagram d) {
            rows.add(new Row(d.frameNumber(), d.timeNanos(), d.timeDigits(),
                    IpAddresses.format(d.ipVersion(), d.srcHi(), d.srcLo()), d.srcPort(),
                    IpAddresses.format(d.ipVersion(), d.dstHi(), d.dstLo()), d.dstPort(),
                    d.payloadLength() + 8, d.payloadCaptured(), d.payloadLength(), d.reassembled(), d.linkType()));
        }
    }

    /** A row of tshark's truth: frame, time (ns, or -1 when tshark shows none), addresses, ports, UDP length. */
    record Truth(long frame, long timeNanos, String src, int srcPort, String dst, int dstPort, int udpLength) {
        String key() {
            return frame + " " + src + ":" + srcPort + " > " + dst + ":" + dstPort + " udp.length=" + udpLength;
        }
    }

    static void requireTshark() {
        dev.wgdiag.testing.Requirements.commands("tshark");
    }

    /** tshark's output lines (non-blank); tshark may exit non-zero on a cut file and still print what it read. */
    static List<String> tshark(String... args) throws IOException, InterruptedException {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "tshark";
        System.arraycopy(args, 0, cmd, 1, args.length);
        return dev.wgdiag.testing.Requirements.run(false, cmd).lines().filter(l -> !l.isBlank()).toList();
    }

    /**
     * tshark's UDP datagrams of a file, in the field layout of the brief, without the UDP headers that
     * tshark shows inside ICMP errors (quoted, not on the wire by themselves).
     */
    static List<Truth> tsharkUdp(Path file) throws IOException, InterruptedException {
        List<Truth> truth = new ArrayList<>();
        for (String line : tshark("-r", file.toString(), "-T", "fields", "-E", "separator=/t",
                "-e", "frame.number", "-e", "frame.time_epoch", "-e", "ip.src", "-e", "ipv6.src", "-e", "udp.srcport",
                "-e", "ip.dst", "-e", "ipv6.dst", "-e", "udp.dstport", "-e", "udp.length",
                "-e", "icmp.type", "-e", "icmpv6.type", "-Y", "udp")) {
            String[] f = line.split("\t", -1);
            if (!f[9].isEmpty() || !f[10].isEmpty()) {
                continue;
            }
            truth.add(new Truth(Long.parseLong(f[0]), nanos(f[1]),
                    f[2].isEmpty() ? f[3] : f[2], Integer.parseInt(f[4]),
                    f[5].isEmpty() ? f[6] : f[5], Integer.parseInt(f[7]), Integer.parseInt(f[8])));
        }
        return truth;
    }

    static long nanos(String epoch) {
        if (epoch.isEmpty()) return -1;
        return new BigDecimal(epoch).movePointRight(9).longValueExact();
    }
}
