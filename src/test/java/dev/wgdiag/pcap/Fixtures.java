package dev.wgdiag.pcap;

import static org.junit.jupiter.api.Assertions.fail;

import dev.wgdiag.net.IpAddresses;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

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

    private static boolean onPath(String exe) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, exe))) return true;
        }
        return false;
    }

    static List<String> tshark(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add("tshark");
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("tshark did not finish: " + cmd);
        }
        String text = new String(out, StandardCharsets.UTF_8);
        List<String> lines = new ArrayList<>();
        for (String l : text.split("\n")) {
            if (!l.isBlank()) lines.add(l);
        }
        return lines;
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
