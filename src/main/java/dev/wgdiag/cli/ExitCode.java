package dev.wgdiag.cli;

import dev.wgdiag.pcap.CaptureException;
import picocli.CommandLine;

import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every exit code wgdiag uses, and the one mapping from failures to them ({@link #of}), in one place:
 * {@link Main} and the standalone {@link CaptureCommand#main} use it; the launcher {@code src/bin/wgdiag}
 * exits with {@link #ENVIRONMENT} itself before any JVM runs (LauncherExitCodeTest holds the two equal).
 */
public final class ExitCode {
    private ExitCode() {
    }

    public static final int OK = 0;
    /**
     * The command ran and found the problem it looks for: {@code check}'s error-level findings, or
     * {@code peer --ping} with no reply at all (as ping(8) exits 1 when nothing came back).
     */
    public static final int FINDINGS = 1;
    /** {@code wgdiag peer --ping}: no reply at all; the same code as {@link #FINDINGS}. */
    public static final int NO_REPLY = FINDINGS;
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

    /** The exit code of a failure: a {@link UserError}'s own, else by the kind of failure. */
    static int of(Throwable ex) {
        if (ex instanceof UserError u) return u.exitCode();
        if (ex instanceof CaptureException) return BAD_INPUT;
        if (ex instanceof CommandLine.ParameterException) return USAGE;
        if (ex instanceof UncheckedIOException) return OUTPUT_FAILED;
        return INTERNAL;
    }

    /** Each code and what it means, in the words of {@code wgdiag --help} and the man page's EXIT STATUS. */
    static Map<String, String> meanings() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(Integer.toString(OK), "Success.");
        m.put(Integer.toString(FINDINGS), "wgdiag check found an error-level finding, or wgdiag peer --ping got no reply at all.");
        m.put(Integer.toString(USAGE), "Wrong command line.");
        m.put(Integer.toString(BAD_INPUT), "An input file (capture, config, keylog) is missing, unreadable or malformed.");
        m.put(Integer.toString(OUTPUT_FAILED), "An output file could not be written (nothing partial is left).");
        m.put(Integer.toString(ENVIRONMENT), "The environment lacks something: permission, a library, an interface, a Java 17 runtime.");
        m.put(Integer.toString(INTERNAL), "A bug in wgdiag, reported in one line; --debug shows the stack trace.");
        return m;
    }
}
