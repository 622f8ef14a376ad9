package dev.wgdiag.capture;

/**
 * Live capture could not start or could not go on. The message is one line for a person and names
 * the fix (e.g. which package to install, which capabilities to grant, which interfaces exist).
 */
public final class CaptureSetupException extends Exception {
    /** What went wrong, so a CLI can pick an exit code. */
    public enum Kind { LIBPCAP_MISSING, PERMISSION, NO_SUCH_INTERFACE, BAD_FILTER, BAD_OPTION, FAILED }

    private final Kind kind;

    public CaptureSetupException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public CaptureSetupException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
