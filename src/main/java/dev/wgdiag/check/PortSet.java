package dev.wgdiag.check;

import java.util.ArrayList;
import java.util.List;

/**
 * The UDP ports a port-restricted line lets through: the port set a MAP-E or MAP-T line (RFC 7597
 * section 5.1: a CE is given a set of ports of its shared IPv4 address) or a port-range CGNAT
 * allocates to one customer. Text form: {@code 3072-3135,7168-7231} (ranges or single ports).
 */
public record PortSet(List<Range> ranges) {

    /** Ports {@code from..to}, both included. */
    public record Range(int from, int to) {
        @Override
        public String toString() {
            return from == to ? Integer.toString(from) : from + "-" + to;
        }
    }

    public PortSet {
        ranges = List.copyOf(ranges);
        if (ranges.isEmpty()) throw new IllegalArgumentException("no port in the set");
    }

    public static PortSet parse(String text) {
        List<Range> out = new ArrayList<>();
        for (String part : text.split(",")) {
            String p = part.strip();
            int dash = p.indexOf('-');
            int from = port(dash < 0 ? p : p.substring(0, dash));
            int to = dash < 0 ? from : port(p.substring(dash + 1));
            if (to < from) throw new IllegalArgumentException("range " + p + " ends before it starts");
            out.add(new Range(from, to));
        }
        return new PortSet(out);
    }

    private static int port(String s) {
        try {
            int p = Integer.parseInt(s.strip());
            if (p < 1 || p > 65535) throw new IllegalArgumentException("port " + s.strip() + " is outside 1..65535");
            return p;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + s.strip() + "' is not a port number");
        }
    }

    public boolean contains(int port) {
        return ranges.stream().anyMatch(r -> port >= r.from && port <= r.to);
    }

    /** The first port of the set: a ListenPort to suggest. */
    public int first() {
        return ranges.stream().mapToInt(Range::from).min().orElseThrow();
    }

    @Override
    public String toString() {
        return String.join(",", ranges.stream().map(Range::toString).toList());
    }
}
