package dev.wgdiag.timeline;

import dev.wgdiag.net.Endpoint;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Options of an analysis. Build with {@link #builder()}; {@link #defaults()} suits most captures.
 *
 * @param idleGapNanos shortest silence of a peer reported as an idle gap (default 5 s)
 * @param names        peer names by endpoint (from configs): a peer seen at the endpoint gets the name
 * @param port         decode only this UDP port, or -1 for any
 * @param listener     receives events as they are inferred (may be null)
 */
public record AnalyzerOptions(long idleGapNanos, Map<Endpoint, String> names, int port, AnalysisListener listener) {
    public AnalyzerOptions {
        names = Map.copyOf(names);
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
        private int port = -1;
        private AnalysisListener listener;

        public Builder idleGapSeconds(double seconds) {
            this.idleGapNanos = (long) (seconds * 1e9);
            return this;
        }

        public Builder name(Endpoint endpoint, String name) {
            names.put(Objects.requireNonNull(endpoint), Objects.requireNonNull(name));
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

        public AnalyzerOptions build() {
            return new AnalyzerOptions(idleGapNanos, names, port, listener);
        }
    }
}
