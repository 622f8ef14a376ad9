package dev.wgdiag.cli;

/** Every exit code wgdiag uses, in one place. */
public final class ExitCode {
    private ExitCode() {
    }

    public static final int OK = 0;
    /** {@code wgdiag peer --ping}: no reply at all, as ping(8) exits 1 when nothing came back. */
    public static final int NO_REPLY = 1;
    /** Wrong command line (picocli's own convention). */
    public static final int USAGE = 2;
    /** An input file (capture, config, keylog) is missing, unreadable or malformed. */
    public static final int BAD_INPUT = 3;
    /** An output file could not be written. */
    public static final int OUTPUT_FAILED = 4;
    /** The environment lacks something: permission, a library, an interface. */
    public static final int ENVIRONMENT = 5;
    /** A bug in wgdiag: reported in one line; --debug shows the stack trace. */
    public static final int INTERNAL = 70;
}
