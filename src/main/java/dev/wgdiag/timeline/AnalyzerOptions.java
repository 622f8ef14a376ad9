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
 *                     counted, not analysed, and the analysis warns (default {@link #DEFAULT_MAX_PEERS}: a bound
 *                     on time and memory against captures of hundreds of thousands of flows, see docs/security.md)
 */
public record AnalyzerOptions(long idleGapNanos, Function<Endpoint, String> names, int port, AnalysisListener listener,
                              int maxPeers) {
    /** Peers (and tunnels) followed by default: each new one costs a scan of its counterpart's tunnels. */
    public static final int DEFAULT_MAX_PEERS = 10_000;

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
        private int maxPeers = DEFAULT_MAX_PEERS;

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
