package dev.wgdiag.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import dev.wgdiag.advice.Fact;
import dev.wgdiag.advice.Note;
import dev.wgdiag.advice.Recommendation;
import dev.wgdiag.advice.Verdict;
import dev.wgdiag.timeline.MappingNote;
import dev.wgdiag.timeline.AnalysisWarning;
import dev.wgdiag.timeline.CaptureJoin;
import dev.wgdiag.timeline.Observation;
import dev.wgdiag.timeline.TriggerDetail;

import java.io.IOException;
import java.util.function.Function;

/**
 * The analysis' and the advice's typed details written as the sentences docs/analysis-json.md and
 * docs/report.md document (the layout of schema 1.1 before these values were typed): the analysis and
 * the advice hold values, the report makes the words. The verdict and each recommendation are written
 * with their fields in the schema's order, their words from {@link AdviceWords}.
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
        m.addSerializer(Fact.class, words(AdviceWords::fact));
        m.addSerializer(Note.class, words(AdviceWords::note));
        m.addSerializer(Verdict.class, new JsonSerializer<>() {
            @Override
            public void serialize(Verdict v, JsonGenerator gen, SerializerProvider provider) throws IOException {
                gen.writeStartObject();
                gen.writeBooleanField("stable", v.stable());
                gen.writeStringField("sentence", AdviceWords.verdict(v));
                provider.defaultSerializeField("problems", v.problems(), gen);
                gen.writeEndObject();
            }
        });
        m.addSerializer(Recommendation.class, new JsonSerializer<>() {
            @Override
            public void serialize(Recommendation r, JsonGenerator gen, SerializerProvider provider) throws IOException {
                gen.writeStartObject();
                gen.writeStringField("setting", r.setting().spelling());
                gen.writeStringField("peer", r.peer());
                gen.writeStringField("value", r.value());
                gen.writeStringField("reason", AdviceWords.why(r.reason()));
                provider.defaultSerializeField("confidence", r.confidence(), gen);
                provider.defaultSerializeField("evidence", r.evidence(), gen);
                gen.writeStringField("config", AdviceWords.place(r.config()));
                provider.defaultSerializeField("lines", AdviceWords.lines(r), gen);
                gen.writeStringField("cost", AdviceWords.cost(r.cost()));
                gen.writeEndObject();
            }
        });
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
