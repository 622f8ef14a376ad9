package dev.wgdiag.packaging;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A finished process: exit code, standard output, standard error. */
record Proc(int code, String out, String err) {

    /** Runs {@code command} in {@code dir} with {@code env} changes (a null value removes a variable). */
    static Proc run(Path dir, Map<String, String> env, List<String> command) {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        // What the user's shell would not have: the build's own settings for wgdiag.
        pb.environment().remove("WGDIAG_JAR");
        pb.environment().remove("WGDIAG_JAVA_OPTS");
        env.forEach((k, v) -> {
            if (v == null) pb.environment().remove(k);
            else pb.environment().put(k, v);
        });
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
            String out = read(p.getInputStream());
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new AssertionError(command + " did not finish in 10 minutes");
            }
            return new Proc(p.exitValue(), out, err.join());
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted running " + command, e);
        }
    }

    static Proc run(Path dir, List<String> command) {
        return run(dir, Map.of(), command);
    }

    /** This result, after checking that it exited 0. */
    Proc ok(String what) {
        if (code != 0) throw new AssertionError(what + " exited " + code + ":\n" + out + err);
        return this;
    }

    private static String read(InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
