package dev.wgdiag.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import dev.wgdiag.advice.EvidenceWords;
import dev.wgdiag.timeline.MappingNote;
import dev.wgdiag.timeline.AnalysisWarning;
import dev.wgdiag.timeline.CaptureJoin;
import dev.wgdiag.timeline.Observation;
import dev.wgdiag.timeline.TriggerDetail;

import java.io.IOException;
import java.util.function.Function;

/**
 * The analysis' typed details written as the sentences docs/analysis-json.md documents (the layout of
 * schema 1.1 before these values were typed): the analysis holds values, the report makes the words.
 */
final class JsonWords {
    private JsonWords() {
    }

    static SimpleModule module() {
        SimpleModule m = new SimpleModule("wgdiag-words");
        m.addSerializer(Observation.class, words((Observation o) -> EvidenceWords.words(o)));
        m.addSerializer(MappingNote.class, words((MappingNote n) -> EvidenceWords.words(n)));
        m.addSerializer(TriggerDetail.class, words((TriggerDetail d) -> EvidenceWords.words(d)));
        m.addSerializer(AnalysisWarning.class, words(WarningWords::line));
        m.addSerializer(CaptureJoin.Unreached.class, words((CaptureJoin.Unreached u) -> EvidenceWords.words(u)));
        return m;
    }

    private static <T> JsonSerializer<T> words(Function<T, String> words) {
        return new JsonSerializer<>() {
            @Override
            public void serialize(T value, JsonGenerator gen, SerializerProvider provider) throws IOException {
                gen.writeString(words.apply(value));
            }
        };
    }
}
