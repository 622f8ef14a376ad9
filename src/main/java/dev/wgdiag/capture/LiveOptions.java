package dev.wgdiag.capture;

/**
 * What to capture and for how long. Immutable; build with {@link #builder(String)}.
 *
 * @param interfaceName  interface name, or {@code any}
 * @param filter         BPF filter expression given to libpcap
 * @param snaplen        bytes kept of each frame
 * @param bufferBytes    libpcap's kernel ring buffer size
 * @param promiscuous    capture frames not addressed to this host too
 * @param packetLimit    stop after this many packets; 0 for no limit
 * @param durationNanos  stop after this long; 0 for no limit
 */
public record LiveOptions(String interfaceName, String filter, int snaplen, int bufferBytes, boolean promiscuous,
                          long packetLimit, long durationNanos) {
    /**
     * Keeps every header: Linux cooked v2 (20) or Ethernet with two 802.1Q tags (22) + IPv6 with
     * room for extension headers (40 + 40) + UDP (8) + a whole handshake initiation, the largest
     * WireGuard message kept whole (148, whitepaper 5.4.2): 258, rounded up to 264.
     * Transport payload beyond the 16-byte header is cut, which also keeps user data out of files.
     */
    public static final int DEFAULT_SNAPLEN = 264;
    public static final int DEFAULT_BUFFER_BYTES = 8 << 20;
    /** UDP, plus IPv4 and IPv6 non-first fragments, which carry no UDP header but are needed to reassemble. */
    public static final String UDP_AND_FRAGMENTS =
            "udp or (ip and ip[6:2] & 0x1fff != 0) or (ip6 and ip6[6] == 44)";

    public LiveOptions {
        if (interfaceName == null || interfaceName.isBlank()) throw new IllegalArgumentException("no interface");
        if (snaplen < 64 || snaplen > 262144) throw new IllegalArgumentException("snaplen must be 64-262144, got " + snaplen);
        if (bufferBytes < 65536) throw new IllegalArgumentException("buffer must be at least 64 KiB");
        if (packetLimit < 0 || durationNanos < 0) throw new IllegalArgumentException("limits must not be negative");
    }

    /**
     * The BPF filter for a port and/or a user expression: UDP (and fragments) by default;
     * {@code udp port N} (and fragments) with a port; the user's expression as given otherwise,
     * and-ed with the port when both are given.
     */
    public static String filterFor(Integer port, String expression) {
        String portFilter = port == null ? null : "udp port " + port;
        String frag = "(ip and ip[6:2] & 0x1fff != 0) or (ip6 and ip6[6] == 44)";
        if (expression != null && !expression.isBlank()) {
            return portFilter == null ? expression : "(" + expression + ") and (" + portFilter + " or " + frag + ")";
        }
        return portFilter == null ? UDP_AND_FRAGMENTS : portFilter + " or " + frag;
    }

    public static Builder builder(String interfaceName) {
        return new Builder(interfaceName);
    }

    public static final class Builder {
        private final String interfaceName;
        private String filter = UDP_AND_FRAGMENTS;
        private int snaplen = DEFAULT_SNAPLEN;
        private int bufferBytes = DEFAULT_BUFFER_BYTES;
        private boolean promiscuous;
        private long packetLimit;
        private long durationNanos;

        private Builder(String interfaceName) {
            this.interfaceName = interfaceName;
        }

        public Builder filter(String filter) {
            this.filter = filter;
            return this;
        }

        public Builder snaplen(int snaplen) {
            this.snaplen = snaplen;
            return this;
        }

        public Builder bufferBytes(int bytes) {
            this.bufferBytes = bytes;
            return this;
        }

        public Builder promiscuous(boolean on) {
            this.promiscuous = on;
            return this;
        }

        public Builder packetLimit(long packets) {
            this.packetLimit = packets;
            return this;
        }

        public Builder durationNanos(long nanos) {
            this.durationNanos = nanos;
            return this;
        }

        public LiveOptions build() {
            return new LiveOptions(interfaceName, filter, snaplen, bufferBytes, promiscuous, packetLimit, durationNanos);
        }
    }
}
