package dev.wgdiag.check;

import dev.wgdiag.config.LocatedConfig.Peer;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** What every rule group sees: the files, who is whose peer, the options; and where findings go. */
final class CheckContext {
    private final List<CheckInput> inputs;
    private final Topology topology;
    private final CheckOptions options;
    private final Set<Finding> findings = new LinkedHashSet<>();

    CheckContext(List<CheckInput> inputs, Topology topology, CheckOptions options) {
        this.inputs = List.copyOf(inputs);
        this.topology = topology;
        this.options = options;
    }

    List<CheckInput> inputs() {
        return inputs;
    }

    Topology topology() {
        return topology;
    }

    CheckOptions options() {
        return options;
    }

    void add(String file, int line, Severity severity, Rule rule, Detail detail) {
        findings.add(new Finding(file, line, severity, rule, detail));
    }

    List<Finding> findings() {
        return List.copyOf(findings);
    }

    boolean has(String file, Rule rule) {
        return findings.stream().anyMatch(f -> f.file().equals(file) && f.rule() == rule);
    }

    /**
     * True when the section (a [Peer] at {@code p}'s line, or the [Interface] when {@code p} is null)
     * writes this attribute, whether or not its value parsed: a value reported as bad is no absence.
     */
    static boolean written(CheckInput in, Peer p, dev.wgdiag.config.Attribute a) {
        return in.config().raw().sections().stream()
                .filter(s -> p == null ? s.kind() == dev.wgdiag.config.RawConfig.Kind.INTERFACE : s.line() == p.line())
                .flatMap(s -> s.attributes().stream())
                .anyMatch(e -> e.attribute(a.section()).filter(x -> x == a).isPresent());
    }

    /** A peer's name: the comment above its [Peer] header, else its public key's first characters, else its line. */
    static String name(Peer p) {
        if (p.comment() != null && !p.comment().isBlank()) return p.comment().strip();
        if (p.publicKey() != null) return p.publicKey().value().shortForm();
        return "line " + p.line();
    }
}
