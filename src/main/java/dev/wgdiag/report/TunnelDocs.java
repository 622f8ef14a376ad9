package dev.wgdiag.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import dev.wgdiag.advice.TunnelAdvice;
import dev.wgdiag.timeline.Tunnel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BiFunction;

/**
 * The JSON document's {@code tunnels}: each tunnel joined with its advice when the writer reaches it.
 *
 * <p>With many tunnels (a VPN provider's server: 300,000 flows make 936 MB of JSON) making the advice
 * and serialising each tunnel is most of the run, and it is independent per tunnel: worker threads
 * (one per core) each turn a chunk of consecutive tunnels into text, indented as it stands in the
 * document, while this thread writes finished chunks in order as raw values. At most two chunks per
 * worker are in flight, so memory stays bounded whatever the count; the bytes written are those of the
 * one-thread path (JsonReportTest compares them).
 */
@JsonSerialize(using = TunnelDocs.Writer.class)
final class TunnelDocs {
    /** Below this many tunnels one thread writes them (starting workers would cost more than it saves). */
    static final int PARALLEL_FROM = 2_000;
    /** Tunnels per chunk handed to a worker. */
    static final int CHUNK = 256;

    private final List<Tunnel> tunnels;
    private final BiFunction<Integer, String, TunnelAdvice> advice;
    private final int parallelFrom;

    TunnelDocs(List<Tunnel> tunnels, BiFunction<Integer, String, TunnelAdvice> advice) {
        this(tunnels, advice, PARALLEL_FROM);
    }

    TunnelDocs(List<Tunnel> tunnels, BiFunction<Integer, String, TunnelAdvice> advice, int parallelFrom) {
        this.tunnels = tunnels;
        this.advice = advice;
        this.parallelFrom = parallelFrom;
    }

    TunnelDocs withParallelFrom(int n) {
        return new TunnelDocs(tunnels, advice, n);
    }

    private JsonReport.TunnelDoc doc(int i) {
        Tunnel t = tunnels.get(i);
        TunnelAdvice adv = advice.apply(i, t.id());
        return new JsonReport.TunnelDoc(t, adv.recommendations(), adv.notes());
    }

    static final class Writer extends JsonSerializer<TunnelDocs> {
        @Override
        public void serialize(TunnelDocs docs, JsonGenerator gen, SerializerProvider provider) throws IOException {
            int n = docs.tunnels.size();
            int workers = Math.min(4, Runtime.getRuntime().availableProcessors());
            gen.writeStartArray();
            if (n < docs.parallelFrom || workers < 2 || !(gen.getCodec() instanceof ObjectMapper mapper)) {
                for (int i = 0; i < n; i++) provider.defaultSerializeValue(docs.doc(i), gen);
            } else {
                parallel(docs, gen, fragmentWriter(mapper, gen.getOutputContext().getNestingDepth()), workers);
            }
            gen.writeEndArray();
        }

        /**
         * A writer of one tunnel as it stands at {@code depth} in the document: the mapper's pretty printer
         * with its object indentation shifted by that depth (arrays are written inline, without indentation).
         */
        private static ObjectWriter fragmentWriter(ObjectMapper mapper, int depth) {
            DefaultIndenter base = DefaultIndenter.SYSTEM_LINEFEED_INSTANCE;
            DefaultPrettyPrinter.Indenter shifted = new DefaultPrettyPrinter.Indenter() {
                @Override
                public void writeIndentation(JsonGenerator g, int level) throws IOException {
                    base.writeIndentation(g, level + depth - 1);
                }

                @Override
                public boolean isInline() {
                    return false;
                }
            };
            return mapper.writer(new DefaultPrettyPrinter().withObjectIndenter(shifted));
        }

        private static void parallel(TunnelDocs docs, JsonGenerator gen, ObjectWriter fragment, int workers) throws IOException {
            int n = docs.tunnels.size();
            ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
                Thread t = new Thread(r, "wgdiag-json");
                t.setDaemon(true);
                return t;
            });
            ArrayDeque<Future<String[]>> inFlight = new ArrayDeque<>();
            int next = 0;
            try {
                while (next < n || !inFlight.isEmpty()) {
                    while (next < n && inFlight.size() < 2 * workers) {
                        int from = next, to = Math.min(n, next + CHUNK);
                        inFlight.add(pool.submit(() -> chunk(docs, fragment, from, to)));
                        next = to;
                    }
                    for (String s : take(inFlight.poll())) gen.writeRawValue(s);
                }
            } finally {
                pool.shutdownNow();
            }
        }

        private static String[] chunk(TunnelDocs docs, ObjectWriter fragment, int from, int to) throws IOException {
            String[] out = new String[to - from];
            for (int i = from; i < to; i++) out[i - from] = fragment.writeValueAsString(docs.doc(i));
            return out;
        }

        private static String[] take(Future<String[]> f) throws IOException {
            try {
                return f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while writing the tunnels", e);
            } catch (ExecutionException e) {
                Throwable c = e.getCause();
                if (c instanceof IOException io) throw io;
                if (c instanceof UncheckedIOException u) throw u;
                if (c instanceof RuntimeException r) throw r;
                if (c instanceof Error err) throw err;
                throw new IOException(c);
            }
        }
    }
}
