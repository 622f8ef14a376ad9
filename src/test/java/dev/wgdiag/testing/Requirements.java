package dev.wgdiag.testing;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Preconditions of tests that need outside tools or root. Off CI a missing precondition skips the
 * test with a printed reason; with {@code CI=true} it fails the test, so CI never passes by skipping.
 */
public final class Requirements {
    private Requirements() {
    }

    public static boolean onCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** Skips (or, on CI, fails) with this reason. */
    public static void unmet(String reason) {
        String message = "precondition not met: " + reason;
        if (onCi()) {
            throw new AssertionError(message + " (CI=true: a skip is a failure)");
        }
        System.out.println("SKIPPED: " + message);
        Assumptions.abort(message);
    }

    /** Every named command must be on the PATH. */
    public static void commands(String... names) {
        for (String name : names) {
            if (which(name) == null) {
                unmet("'" + name + "' is not installed (see README: apt-get install ...)");
            }
        }
    }

    public static void root() {
        if (!"root".equals(System.getProperty("user.name"))) {
            unmet("needs root (network namespaces, raw capture)");
        }
    }

    public static Path which(String name) {
        String path = System.getenv("PATH");
        if (path == null) return null;
        for (String dir : path.split(java.io.File.pathSeparator)) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) return p;
        }
        for (String dir : new String[]{"/usr/sbin", "/sbin", "/usr/bin"}) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) return p;
        }
        return null;
    }

    /** The project directory (set by Surefire; falls back to the working directory). */
    public static Path projectDir() {
        String d = System.getProperty("wgdiag.projectDir");
        return Path.of(d == null ? "." : d).toAbsolutePath().normalize();
    }

    /** Runs a command, returns its standard output; fails the test on a non-zero exit. */
    public static String run(String... command) {
        return run(true, command);
    }

    /** Runs a command, returns its standard output; with {@code checkExit} a non-zero exit fails the test. */
    public static String run(boolean checkExit, String... command) {
        try {
            Process p = new ProcessBuilder(command).start();
            // Drain stderr beside stdout so neither pipe fills and blocks the command.
            java.util.concurrent.CompletableFuture<byte[]> stderr = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return p.getErrorStream().readAllBytes();
                } catch (IOException e) {
                    return new byte[0];
                }
            });
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            int code = p.waitFor();
            if (checkExit && code != 0) {
                throw new AssertionError(String.join(" ", command) + " exited " + code + ": "
                        + new String(stderr.join(), java.nio.charset.StandardCharsets.UTF_8));
            }
            return out;
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command[0] + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted running " + command[0], e);
        }
    }
}
