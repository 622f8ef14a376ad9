package dev.wgdiag.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.wgdiag.keys.Identification;
import dev.wgdiag.timeline.Analysis;

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
            .setSerializationInclusion(JsonInclude.Include.ALWAYS);

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

    public static String toJson(Analysis analysis) {
        try {
            return MAPPER.writeValueAsString(analysis);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
