package dev.wgdiag.pcap;

import dev.wgdiag.wire.DatagramHandler;

/**
 * How {@link CaptureReader} reads: an immutable value built with {@link #builder()}.
 * {@link #DEFAULTS} is what {@link CaptureReader#read(String, DatagramHandler, java.util.function.LongConsumer)} uses.
 */
public final class CaptureOptions {
    /** Linux ipfrag_time default: 30 s (Documentation/networking/ip-sysctl.rst). */
    public static final long DEFAULT_REASSEMBLY_TIMEOUT_NANOS = 30_000_000_000L;
    public static final int DEFAULT_MAX_PENDING_REASSEMBLIES = 64;
    public static final long DEFAULT_PROGRESS_INTERVAL_BYTES = 4L << 20;

    public static final CaptureOptions DEFAULTS = builder().build();

    private final long frameLimit;
    private final int maxPendingReassemblies;
    private final long reassemblyTimeoutNanos;
    private final long progressIntervalBytes;
    private final SecretsHandler secretsHandler;
    private final IcmpHandler icmpHandler;

    private CaptureOptions(Builder b) {
        this.frameLimit = b.frameLimit;
        this.maxPendingReassemblies = b.maxPendingReassemblies;
        this.reassemblyTimeoutNanos = b.reassemblyTimeoutNanos;
        this.progressIntervalBytes = b.progressIntervalBytes;
        this.secretsHandler = b.secretsHandler;
        this.icmpHandler = b.icmpHandler;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Stop after this many frames (Long.MAX_VALUE: no limit). */
    public long frameLimit() { return frameLimit; }

    /** At most this many IP datagrams awaiting fragments at once; the oldest is dropped beyond it. */
    public int maxPendingReassemblies() { return maxPendingReassemblies; }

    /** A datagram whose fragments span more capture time than this is dropped. */
    public long reassemblyTimeoutNanos() { return reassemblyTimeoutNanos; }

    public long progressIntervalBytes() { return progressIntervalBytes; }

    /** Receives pcapng Decryption Secrets Blocks; null to ignore them. */
    public SecretsHandler secretsHandler() { return secretsHandler; }

    /** Receives ICMP errors quoting UDP (too big, port unreachable); null: ICMP is skipped like other non-UDP. */
    public IcmpHandler icmpHandler() { return icmpHandler; }

    /** These options with other secrets and ICMP handlers (the reader thread's stand-ins that queue them in order). */
    CaptureOptions withHandlers(SecretsHandler secrets, IcmpHandler icmp) {
        Builder b = new Builder();
        b.frameLimit = frameLimit;
        b.maxPendingReassemblies = maxPendingReassemblies;
        b.reassemblyTimeoutNanos = reassemblyTimeoutNanos;
        b.progressIntervalBytes = progressIntervalBytes;
        b.icmpHandler = icmp;
        b.secretsHandler = secrets;
        return new CaptureOptions(b);
    }

    public static final class Builder {
        private long frameLimit = Long.MAX_VALUE;
        private int maxPendingReassemblies = DEFAULT_MAX_PENDING_REASSEMBLIES;
        private long reassemblyTimeoutNanos = DEFAULT_REASSEMBLY_TIMEOUT_NANOS;
        private long progressIntervalBytes = DEFAULT_PROGRESS_INTERVAL_BYTES;
        private SecretsHandler secretsHandler;
        private IcmpHandler icmpHandler;

        private Builder() {
        }

        public Builder frameLimit(long frames) {
            if (frames < 0) throw new IllegalArgumentException("frame limit must be >= 0: " + frames);
            this.frameLimit = frames;
            return this;
        }

        public Builder maxPendingReassemblies(int n) {
            if (n < 1 || n > 4096) throw new IllegalArgumentException("max pending reassemblies must be 1..4096: " + n);
            this.maxPendingReassemblies = n;
            return this;
        }

        public Builder reassemblyTimeoutNanos(long nanos) {
            if (nanos <= 0) throw new IllegalArgumentException("reassembly timeout must be > 0: " + nanos);
            this.reassemblyTimeoutNanos = nanos;
            return this;
        }

        public Builder progressIntervalBytes(long bytes) {
            if (bytes <= 0) throw new IllegalArgumentException("progress interval must be > 0: " + bytes);
            this.progressIntervalBytes = bytes;
            return this;
        }

        public Builder icmpHandler(IcmpHandler handler) {
            this.icmpHandler = handler;
            return this;
        }

        public Builder secretsHandler(SecretsHandler handler) {
            this.secretsHandler = handler;
            return this;
        }

        public CaptureOptions build() {
            return new CaptureOptions(this);
        }
    }
}
