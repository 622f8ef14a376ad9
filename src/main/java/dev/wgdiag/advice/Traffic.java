package dev.wgdiag.advice;

import dev.wgdiag.net.Endpoint;
import dev.wgdiag.wire.MessageType;

import java.util.List;

/**
 * Messages of one capture per flow (an unordered endpoint pair), counted per type in time bins of
 * equal width, and the WireGuard datagrams that arrived as IP fragments (reassembled by the reader).
 * Made by {@link TrafficTap}; memory grows with flows and bins (at most {@link TrafficTap#MAX_BINS}),
 * never with packets.
 *
 * @param startNanos capture time of bin 0's start
 * @param binNanos   width of one bin
 */
public record Traffic(long startNanos, long binNanos, List<Flow> flows) {
    public static final Traffic NONE = new Traffic(0, 1_000_000_000L, List.of());

    public Traffic {
        flows = List.copyOf(flows);
    }

    /**
     * @param a, b                    the flow's endpoints
     * @param counts                  counts[type.ordinal()][bin], type a {@link MessageType}
     * @param reassembled             WireGuard messages that arrived fragmented (reassembled from IP fragments)
     * @param largestReassembled      the largest such message (UDP payload bytes), 0 when none
     * @param largestUnfragmented     the largest message that arrived in one piece (UDP payload bytes)
     * @param tooBig                  ICMP "fragmentation needed" / "packet too big" about this flow's datagrams
     */
    public record Flow(Endpoint a, Endpoint b, int ipVersion, long[][] counts, long reassembled, int largestReassembled,
                       int largestUnfragmented, TooBig tooBig) {
        /** True when this flow connects these two endpoints (either way). */
        public boolean connects(Endpoint x, Endpoint y) {
            return (a.equals(x) && b.equals(y)) || (a.equals(y) && b.equals(x));
        }

        public long total(MessageType type) {
            long n = 0;
            for (long c : counts[type.ordinal()]) n += c;
            return n;
        }
    }

    /**
     * ICMP errors saying a flow's datagrams did not fit the path (RFC 1191, RFC 8201).
     *
     * @param count         how many
     * @param pathMtu       the smallest next-hop MTU they reported (0 when none said)
     * @param datagram      the largest refused IP datagram (bytes)
     * @param firstNanos    capture time of the first
     * @param reporter      who sent the first (a router or the NAT), null when none
     */
    public record TooBig(long count, int pathMtu, int datagram, long firstNanos, String reporter) {
        public static final TooBig NONE = new TooBig(0, 0, 0, 0, null);
    }

    /** The flows between any endpoint of one peer and any endpoint of the other. */
    public List<Flow> between(List<Endpoint> endpointsA, List<Endpoint> endpointsB) {
        List<Flow> out = new java.util.ArrayList<>(1);        // called once per tunnel: loops, no streams
        for (Flow f : flows) {
            if ((endpointsA.contains(f.a()) && endpointsB.contains(f.b())) || (endpointsA.contains(f.b()) && endpointsB.contains(f.a()))) {
                out.add(f);
            }
        }
        return out;
    }
}
