package dev.wgdiag.crypto;

/** A keylog file could not be read or has a bad line; the reason masks anything that looks like a key ({@link Redaction}). */
public final class KeylogException extends Exception {
    private static final long serialVersionUID = 1L;
    private final String file;
    private final int line;
    private final String reason;

    public KeylogException(String file, int line, String reason) {
        super(file + (line > 0 ? ":" + line : "") + ": " + Redaction.maskKeys(reason));
        this.file = file;
        this.line = line;
        this.reason = Redaction.maskKeys(reason);
    }

    public String file() {
        return file;
    }

    /** 1-based line number, 0 when the whole file is at fault. */
    public int line() {
        return line;
    }

    public String reason() {
        return reason;
    }
}
