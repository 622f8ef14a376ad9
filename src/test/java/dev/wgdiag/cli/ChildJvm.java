package dev.wgdiag.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code wgdiag} in a fresh JVM with a small heap, as {@code src/bin/wgdiag} does but tighter, to
 * show that an input is handled in bounded memory: an OutOfMemoryError there ends the process with
 * its stack trace on stderr, which the caller's assertions reject.
 */
record ChildJvm(int exitCode, String out, String err, long millis) {
    /** {@code java -Xmx<heap> -XX:+UseSerialGC -cp <test class path> dev.wgdiag.cli.Main args...}; stdout and stderr go to files in {@code dir}. */
    static ChildJvm wgdiag(Path dir, String heap, long timeoutSeconds, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap, "-XX:+UseSerialGC", "-cp", classPath(), Main.class.getName()));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "child", ".out");
        Path err = Files.createTempFile(dir, "child", ".err");
        long start = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError("wgdiag " + String.join(" ", args) + " still running after " + timeoutSeconds + " s");
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        ChildJvm r = new ChildJvm(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8), millis);
        Files.delete(out);
        Files.delete(err);
        System.out.println("child wgdiag " + String.join(" ", args) + " (-Xmx" + heap + "): exit " + r.exitCode + " in " + millis + " ms");
        return r;
    }

    private static String classPath() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp != null ? cp : System.getProperty("java.class.path");
    }
}
