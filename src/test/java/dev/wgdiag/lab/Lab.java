package dev.wgdiag.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs the lab script src/lab/wglab (real wireguard-go across a real nftables NAT in network
 * namespaces). Every run gets a fresh short id, so runs are independent and can go in parallel; the
 * script tears its namespaces down itself (trap), and {@link #run} calls {@code wglab down} again
 * whatever happened.
 *
 * <p>For cached runs (one per scenario per JVM) use {@link LabCaptures}.
 */
public final class Lab {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ID_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789";

    private Lab() {
    }

    /** Output and exit code of one wglab invocation. */
    public record Result(int exitCode, String output) {
    }

    /** The project directory (Maven sets wgdiag.projectDir; falls back to the working directory). */
    public static Path projectDir() {
        return Path.of(System.getProperty("wgdiag.projectDir", System.getProperty("user.dir"))).toAbsolutePath();
    }

    public static Path script() {
        return projectDir().resolve("src/lab/wglab");
    }

    /** Names of the scenarios under src/lab/scenarios, sorted. */
    public static List<String> scenarioNames() {
        try (Stream<Path> files = Files.list(projectDir().resolve("src/lab/scenarios"))) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".scenario"))
                    .map(n -> n.substring(0, n.length() - ".scenario".length()))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A new run id: "j" and five random characters from [a-z0-9]. */
    public static String newId() {
        StringBuilder id = new StringBuilder("j");
        for (int i = 0; i < 5; i++) {
            id.append(ID_CHARS.charAt(RANDOM.nextInt(ID_CHARS.length())));
        }
        return id.toString();
    }

    /**
     * Runs a scenario: set-up, captures on both sides, the traffic script, truth, teardown.
     *
     * @param scenario a name from {@link #scenarioNames()}
     * @param outDir   where the pcaps, truth and configs go (created)
     * @return the run's files and parsed truth
     * @throws IllegalStateException when the run fails (with the script's output)
     */
    public static LabRun run(String scenario, Path outDir) {
        return run(scenario, outDir, java.util.Map.of());
    }

    /**
     * As {@link #run(String, Path)} with environment variables for wglab (e.g. WGLAB_CLIENT_IMPL=wgdiag,
     * WGLAB_SCENARIOS for scenarios outside src/lab/scenarios).
     */
    public static LabRun run(String scenario, Path outDir, java.util.Map<String, String> env) {
        String id = newId();
        long start = System.nanoTime();
        Result result;
        try {
            result = wglab(List.of("run", scenario, "--out", outDir.toString(), "--id", id), env, Duration.ofMinutes(8));
        } finally {
            wglab(List.of("down", "--id", id), Duration.ofSeconds(60));
        }
        Duration wall = Duration.ofNanos(System.nanoTime() - start);
        if (result.exitCode() != 0) {
            throw new IllegalStateException("lab scenario " + scenario + " (id " + id + ") failed with exit code "
                    + result.exitCode() + ":\n" + result.output());
        }
        return LabRun.load(scenario, outDir, wall);
    }

    /** Runs wglab with the given arguments; kills it (SIGTERM, so its trap tears down) after the timeout. */
    public static Result wglab(List<String> args, Duration timeout) {
        return wglab(args, java.util.Map.of(), timeout);
    }

    /** As {@link #wglab(List, Duration)} with extra environment variables (e.g. WGLAB_SCENARIOS). */
    public static Result wglab(List<String> args, java.util.Map<String, String> env, Duration timeout) {
        List<String> command = new ArrayList<>();
        command.add(script().toString());
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(env);
        Path log;
        try {
            log = Files.createTempFile("wglab-", ".log");
            pb.redirectOutput(log.toFile());
            Process p = pb.start();
            boolean done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!done) {
                p.destroy();
                if (!p.waitFor(30, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
            String out = Files.readString(log, StandardCharsets.UTF_8);
            Files.deleteIfExists(log);
            return new Result(done ? p.exitValue() : 124, done ? out : out + "\n(timed out after " + timeout + ")");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command, e);
        }
    }
}
