package dev.wgdiag.config;

import dev.wgdiag.crypto.Redaction;

/**
 * A wg / wg-quick config error, e.g.
 * {@code wg0.conf:7: [Peer] PublicKey: not a base64 32-byte key (line: PublicKey = ****)}.
 * The attribute, reason and quoted line never contain a key: whatever looks like one is masked
 * here ({@link Redaction}), whichever attribute, section or typo it came with.
 */
public final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;
    private final String file;
    private final int line;
    private final String section;
    private final String attribute;
    private final String reason;
    private final Kind kind;

    /** What kind of defect. */
    public enum Kind {
        /** The file cannot be read at all. */
        UNREADABLE,
        /** A line that is neither a section header nor {@code Key = Value}. */
        MALFORMED_LINE,
        /** An attribute before the first section header. */
        OUTSIDE_SECTION,
        /** A header other than [Interface] or [Peer]. */
        UNKNOWN_SECTION,
        /** A second [Interface] section. */
        SECOND_INTERFACE,
        /** A name that is no attribute of its section. */
        UNKNOWN_ATTRIBUTE,
        /** A value that does not parse (number, address, endpoint, boolean). */
        BAD_VALUE,
        /** A key that is not base64 of 32 bytes. */
        BAD_KEY,
        /** A [Peer] section without PublicKey. */
        MISSING_PUBLIC_KEY
    }

    public ConfigException(Kind kind, String file, int line, String section, String attribute, String reason, String quotedLine) {
        super(format(file, line, section, Redaction.maskKeys(attribute), Redaction.maskKeys(reason),
                Redaction.maskKeys(quotedLine)));
        this.kind = kind;
        this.file = file;
        this.line = line;
        this.section = section;
        this.attribute = Redaction.maskKeys(attribute);
        this.reason = Redaction.maskKeys(reason);
    }

    private static String format(String file, int line, String section, String attribute, String reason, String quoted) {
        StringBuilder sb = new StringBuilder(file);
        if (line > 0) {
            sb.append(':').append(line);
        }
        sb.append(": ");
        if (section != null) {
            sb.append('[').append(section).append("] ");
        }
        if (attribute != null) {
            sb.append(attribute).append(": ");
        }
        sb.append(reason);
        if (quoted != null) {
            sb.append(" (line: ").append(quoted).append(')');
        }
        return sb.toString();
    }

    public String file() {
        return file;
    }

    /** 1-based line, 0 for the whole file. */
    public int line() {
        return line;
    }

    /** "Interface", "Peer" or null. */
    public String section() {
        return section;
    }

    public String attribute() {
        return attribute;
    }

    public String reason() {
        return reason;
    }

    public Kind kind() {
        return kind;
    }
}
