package dev.wgdiag.timeline;

import dev.wgdiag.net.Endpoint;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Options of an analysis. Build with {@link #builder()}; {@link #defaults()} suits most captures.
 *
 * @param idleGapNanos shortest silence of a peer reported as an idle gap (default 5 s)
 * @param names        peer name by endpoint, or null (from configs): consulted when the analysis finishes, so
 *                     a lookup filled while the capture is read (keys proving endpoints) names peers too
 * @param port         decode only this UDP port, or -1 for any
 * @param listener     receives events as they are inferred (may be null)
 * @param maxPeers     most peers, and most tunnels, one analysis follows; messages that would make more are
 *                     counted, not analysed, and the analysis warns (default {@link #defaultMaxPeers()}: a bound
 *                     on memory from the heap's size, see docs/security.md; time is linear in tunnels)
 */
public record AnalyzerOptions(long idleGapNanos, Function<Endpoint, String> names, int port, AnalysisListener listener,
                              int maxPeers) {
    /** Peers (and tunnels) followed at least, whatever the heap (a 64 MB heap holds them with their report). */
    public static final int DEFAULT_MAX_PEERS = 10_000;
    /**
     * Heap per peer the default bound allows: the analysis keeps under 2 KB per one-message tunnel
     * (AnalyzerMemoryTest), its result and report about 3 KB more, and the collector needs room to copy.
     */
    public static final long HEAP_PER_PEER = 8 * 1024;

    /** The default bound: one peer per {@link #HEAP_PER_PEER} bytes of the maximum heap, at least {@link #DEFAULT_MAX_PEERS}. */
    public static int defaultMaxPeers() {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(DEFAULT_MAX_PEERS, Runtime.getRuntime().maxMemory() / HEAP_PER_PEER));
    }

    public AnalyzerOptions {
        Objects.requireNonNull(names);
    }

    public static AnalyzerOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private long idleGapNanos = 5_000_000_000L;
        private final Map<Endpoint, String> names = new HashMap<>();
        private Function<Endpoint, String> lookup = e -> null;
        private int port = -1;
        private AnalysisListener listener;
        private int maxPeers = defaultMaxPeers();

        public Builder idleGapSeconds(double seconds) {
            this.idleGapNanos = (long) (seconds * 1e9);
            return this;
        }

        public Builder name(Endpoint endpoint, String name) {
            names.put(Objects.requireNonNull(endpoint), Objects.requireNonNull(name));
            return this;
        }

        /** Names learnt later: asked for each peer endpoint when the analysis finishes (after {@link #name}). */
        public Builder names(Function<Endpoint, String> lookup) {
            this.lookup = Objects.requireNonNull(lookup);
            return this;
        }

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder listener(AnalysisListener listener) {
            this.listener = listener;
            return this;
        }

        public Builder maxPeers(int n) {
            if (n < 2) throw new IllegalArgumentException("max peers must be >= 2: " + n);
            this.maxPeers = n;
            return this;
        }

        public AnalyzerOptions build() {
            Map<Endpoint, String> fixed = Map.copyOf(names);
            Function<Endpoint, String> later = lookup;
            return new AnalyzerOptions(idleGapNanos, e -> {
                String n = fixed.get(e);
                return n != null ? n : later.apply(e);
            }, port, listener, maxPeers);
        }
    }
}
