package dev.wgdiag.probe;

/**
 * Which NAT timer a probe flow measures. Linux conntrack (nf_conntrack_proto_udp.c) keeps a UDP flow on
 * {@code nf_conntrack_udp_timeout} until a reply has been seen and the flow is still active more than 2 s
 * after it began, then on {@code nf_conntrack_udp_timeout_stream}; a Nokia 7750 CGN keeps 15 s until a
 * second packet, then 5 minutes. A WireGuard flow always has its handshake both ways, so:
 */
public enum Timer {
    /**
     * Handshake, one in-tunnel packet from the client within the first second, then silence: the flow
     * never looks like a stream (conntrack's "unreplied" timer; the issue's {@code oneWayLifetimeSeconds}).
     */
    ONE_WAY,
    /**
     * Handshake, then after {@link #STREAM_DELAY_NANOS} one exchange both ways, then silence: the flow
     * is established (conntrack's stream timer; {@code lifetimeSeconds}).
     */
    ESTABLISHED;

    /** Conntrack promotes a replied flow to the stream timer only when it is older than 2 s (nf_conntrack_proto_udp.c). */
    public static final long STREAM_DELAY_NANOS = 2_500_000_000L;
}
