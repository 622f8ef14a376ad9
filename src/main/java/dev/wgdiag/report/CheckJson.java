package dev.wgdiag.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.wgdiag.check.CheckResult;
import dev.wgdiag.check.Finding;
import dev.wgdiag.check.OuterLine;
import dev.wgdiag.check.PortSet;
import dev.wgdiag.check.Severity;
import dev.wgdiag.config.Attribute;
import dev.wgdiag.config.IpPrefix;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code wgdiag check --format json}: the files, the pairs, and each finding with its file, line,
 * severity, rule id, the same sentence and fix as the text, and the rule's typed arguments under
 * {@code details} (addresses as text, keys only as the first characters of a public key). Layout
 * in docs/check.md.
 */
public final class CheckJson {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);

    private CheckJson() {
    }

    public static void write(CheckResult r, Writer out) {
        try {
            MAPPER.writeValue(out, document(r));
            out.write('\n');
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Map<String, Object> document(CheckResult r) {
        Map<String, Object> doc = new LinkedHashMap<>();
        List<Object> files = new ArrayList<>();
        for (CheckResult.FileSummary f : r.files()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("file", f.file());
            m.put("interface", f.interfaceName());
            m.put("publicKey", f.publicKey());
            files.add(m);
        }
        doc.put("files", files);
        List<Object> pairs = new ArrayList<>();
        for (CheckResult.Pairing p : r.pairings()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("a", side(p.fileA(), p.lineA()));
            m.put("b", side(p.fileB(), p.lineB()));
            m.put("byKey", p.byKey());
            pairs.add(m);
        }
        doc.put("pairs", pairs);
        List<Object> findings = new ArrayList<>();
        for (Finding f : r.findings()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("file", f.file());
            m.put("line", f.line());
            m.put("severity", f.severity().name().toLowerCase(Locale.ROOT));
            m.put("rule", f.rule().id());
            m.put("message", CheckText.what(f));
            m.put("fix", CheckText.fix(f));
            m.put("details", value(f.detail()));
            findings.add(m);
        }
        doc.put("findings", findings);
        doc.put("errors", r.count(Severity.ERROR));
        doc.put("warnings", r.count(Severity.WARNING));
        doc.put("notes", r.count(Severity.NOTE));
        return doc;
    }

    private static Map<String, Object> side(String file, int line) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("file", file);
        m.put("peerLine", line);
        return m;
    }

    /** A detail's components as JSON values: records as objects, addresses and sets as text, enums by name. */
    private static Object value(Object v) {
        if (v == null || v instanceof Number || v instanceof Boolean || v instanceof String) return v;
        if (v instanceof IpPrefix || v instanceof PortSet || v instanceof OuterLine) return v.toString();
        if (v instanceof Attribute a) return a.spelling();
        if (v instanceof Attribute.Section s) return s.title();
        if (v instanceof Enum<?> e) return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            for (Object o : l) out.add(value(o));
            return out;
        }
        if (v instanceof Record rec) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (RecordComponent c : rec.getClass().getRecordComponents()) {
                try {
                    m.put(c.getName(), value(c.getAccessor().invoke(rec)));
                } catch (IllegalAccessException | InvocationTargetException e) {
                    throw new IllegalStateException("cannot read " + c.getName() + " of " + rec.getClass().getSimpleName(), e);
                }
            }
            return m;
        }
        return v.toString();
    }
}
