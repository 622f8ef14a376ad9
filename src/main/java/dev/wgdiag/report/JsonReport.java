package dev.wgdiag.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.wgdiag.advice.Recommendation;
import dev.wgdiag.advice.TunnelAdvice;
import dev.wgdiag.advice.Verdict;
import dev.wgdiag.keys.Identification;
import dev.wgdiag.timeline.Analysis;
import dev.wgdiag.timeline.CaptureJoin;
import dev.wgdiag.timeline.CaptureSummary;
import dev.wgdiag.timeline.Tunnel;

import java.util.List;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;

/**
 * The analysis as JSON, layout documented in docs/analysis-json.md ({@code schemaVersion} first).
 * Null fields are written as null (never dropped) so consumers see every documented key.
 */
public final class JsonReport {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
            .setSerializationInclusion(JsonInclude.Include.ALWAYS)
            .registerModule(JsonWords.module());

    private JsonReport() {
    }

    public static void write(Analysis analysis, Writer out) {
        try {
            MAPPER.writeValue(out, analysis);
            out.write('\n');
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The analysis with the verdict (top level, after {@code schemaVersion}) and, in each tunnel,
     * {@code recommendations} and {@code notes} (docs/analysis-json.md, docs/report.md).
     */
    public static void write(Report report, Writer out) {
        try {
            MAPPER.writeValue(out, document(report));
            out.write('\n');
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The analysis with what the keys proved ({@code identification}, absent without keys). */
    public static void write(Analysis analysis, Identification identification, Writer out) {
        if (identification == null) {
            write(analysis, out);
            return;
        }
        try {
            com.fasterxml.jackson.databind.node.ObjectNode tree = MAPPER.valueToTree(analysis);
            tree.set("identification", MAPPER.valueToTree(identification));
            MAPPER.writeValue(out, tree);
            out.write('\n');
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** As {@link #toJson(Report)}, its tunnels written by worker threads from {@code parallelFrom} tunnels on (tests). */
    static String toJson(Report report, int parallelFrom) {
        Document d = document(report);
        try {
            return MAPPER.writeValueAsString(new Document(d.schemaVersion(), d.verdict(), d.summary(), d.tunnels().withParallelFrom(parallelFrom),
                    d.sharedNats(), d.join(), d.warnings(), d.identification(), d.noConnect()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String toJson(Report report) {
        try {
            return MAPPER.writeValueAsString(document(report));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @JsonPropertyOrder({"schemaVersion", "verdict", "summary", "tunnels", "sharedNats", "join", "warnings", "identification", "noConnect"})
    record Document(String schemaVersion, Verdict verdict, CaptureSummary summary, TunnelDocs tunnels,
                    List<dev.wgdiag.timeline.SharedNat> sharedNats, CaptureJoin.Result join, List<dev.wgdiag.timeline.AnalysisWarning> warnings,
                    @JsonInclude(JsonInclude.Include.NON_NULL) Identification identification,
                    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<dev.wgdiag.keys.NoConnectFinding> noConnect) {
    }

    record TunnelDoc(@JsonUnwrapped Tunnel tunnel, List<Recommendation> recommendations, List<dev.wgdiag.advice.Note> notes) {
    }

    /**
     * The document; its tunnels are joined with their advice as the writer reaches them
     * ({@link TunnelDocs}): with many tunnels the advice of each is made, written and dropped, never all
     * held at once.
     */
    private static Document document(Report r) {
        Analysis a = r.analysis();
        return new Document(a.schemaVersion(), r.advice().verdict(), a.summary(), new TunnelDocs(a.tunnels(), r.advice().lookup()),
                a.sharedNats(), a.join(), a.warnings(), r.identification(), r.noConnect());
    }

    public static String toJson(Analysis analysis) {
        try {
            return MAPPER.writeValueAsString(analysis);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
