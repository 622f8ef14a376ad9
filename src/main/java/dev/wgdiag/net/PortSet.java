package dev.wgdiag.net;

import java.util.ArrayList;
import java.util.List;

/**
 * The UDP ports a line may use, as ranges: a MAP-E or MAP-T port set (RFC 7597 section 5.1), a
 * port-block CGNAT's block, or a list the user typed ({@code 4096-4111,8192-8207}).
 */
public final class PortSet {
    /** One range of ports, both ends included. */
    public record Range(int first, int last) {
        public boolean contains(int port) {
            return port >= first && port <= last;
        }

        @Override
        public String toString() {
            return first == last ? Integer.toString(first) : first + "-" + last;
        }
    }

    private final List<Range> ranges;

    private PortSet(List<Range> ranges) {
        List<Range> sorted = new ArrayList<>(ranges);
        sorted.sort((a, b) -> Integer.compare(a.first(), b.first()));
        this.ranges = List.copyOf(sorted);
    }

    public static PortSet of(List<Range> ranges) {
        if (ranges.isEmpty()) throw new IllegalArgumentException("no ports");
        return new PortSet(ranges);
    }

    /**
     * {@code 4096-4111,8192-8207,1234}: ports or ranges (both ends included), comma-separated.
     *
     * @throws IllegalArgumentException with a short reason naming the bad part
     */
    public static PortSet parse(String text) {
        List<Range> out = new ArrayList<>();
        for (String part : text.split(",")) {
            String p = part.strip();
            if (p.isEmpty()) throw new IllegalArgumentException("empty entry in \"" + text + "\"");
            int dash = p.indexOf('-');
            int a = port(dash < 0 ? p : p.substring(0, dash), p);
            int b = dash < 0 ? a : port(p.substring(dash + 1), p);
            if (b < a) throw new IllegalArgumentException("range " + p + " ends before it starts");
            out.add(new Range(a, b));
        }
        return of(out);
    }

    private static int port(String s, String part) {
        try {
            int v = Integer.parseInt(s.strip());
            if (v < 0 || v > 65535) throw new IllegalArgumentException("port " + v + " in " + part + " is outside 0-65535");
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("\"" + part + "\" is not a port or a range like 4096-4111");
        }
    }

    public List<Range> ranges() {
        return ranges;
    }

    public boolean contains(int port) {
        for (Range r : ranges) if (r.contains(port)) return true;
        return false;
    }

    public int size() {
        int n = 0;
        for (Range r : ranges) n += r.last() - r.first() + 1;
        return n;
    }

    /**
     * The port to suggest for a ListenPort: WireGuard's conventional 51820 when the set holds it, else
     * the lowest port of the set that is not a well-known one (1024 and up, RFC 6335), else the lowest.
     */
    public int preferred(int conventional) {
        if (contains(conventional)) return conventional;
        for (Range r : ranges) {
            if (r.last() >= 1024) return Math.max(r.first(), 1024);
        }
        return ranges.get(0).first();
    }

    /** "1232-1235, 2256-2259, ..., 64720-64723 (63 ranges, 252 ports)", the middle elided past six ranges. */
    public String describe() {
        List<String> parts = new ArrayList<>();
        for (Range r : ranges) parts.add(r.toString());
        String list = parts.size() <= 6 ? String.join(", ", parts)
                : String.join(", ", parts.subList(0, 2)) + ", ..., " + String.join(", ", parts.subList(parts.size() - 2, parts.size()));
        return list + " (" + (ranges.size() == 1 ? "1 range" : ranges.size() + " ranges") + ", " + size() + (size() == 1 ? " port)" : " ports)");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PortSet p && p.ranges.equals(ranges);
    }

    @Override
    public int hashCode() {
        return ranges.hashCode();
    }

    @Override
    public String toString() {
        return String.join(",", ranges.stream().map(Range::toString).toList());
    }
}
