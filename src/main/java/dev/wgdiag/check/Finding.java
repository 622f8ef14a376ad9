package dev.wgdiag.check;

import java.util.Comparator;
import java.util.Objects;

/**
 * One thing wrong in a config.
 *
 * @param file     the file as given on the command line
 * @param line     1-based line, 0 for the whole file
 * @param severity how bad
 * @param rule     which check
 * @param detail   the rule's typed arguments (never a private or preshared key)
 */
public record Finding(String file, int line, Severity severity, Rule rule, Detail detail) {
    public Finding {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(detail, "detail");
    }

    /** Line, then severity, then rule (files are ordered by the caller). */
    static final Comparator<Finding> IN_FILE = Comparator.comparingInt(Finding::line)
            .thenComparing(Finding::severity).thenComparing(Finding::rule);
}
