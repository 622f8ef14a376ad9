package dev.wgdiag.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

/**
 * Lab captures for tests: each scenario runs at most once per JVM (results under target/lab/NAME/),
 * several scenarios run in parallel. Tests that need no live run use {@link #bundled(String)}.
 *
 * <pre>
 *   LabRun run = LabCaptures.get("mapping-expiry");      // needs the lab: use inside a @LabTest
 *   Path server = run.serverPcap();
 *   int timeout = run.setting("nat_udp_timeout_s");
 *   LabRun b = LabCaptures.bundled("handshake-ping");    // captures/ in the repository, no root needed
 * </pre>
 */
public final class LabCaptures {
    /** Parallel lab runs: they mostly sleep, so a few at a time is cheap. */
    static final int PARALLEL_RUNS = Integer.getInteger("wgdiag.lab.parallel", 4);

    private static final Map<String, CompletableFuture<LabRun>> RUNS = new ConcurrentHashMap<>();
    private static final ExecutorService POOL = Executors.newFixedThreadPool(PARALLEL_RUNS, r -> {
        Thread t = new Thread(r, "wglab-run");
        t.setDaemon(true);
        return t;
    });

    private LabCaptures() {
    }

    /** The live run of one scenario, started now or shared with an earlier caller in this JVM. */
    public static LabRun get(String scenario) {
        return join(start(scenario), scenario);
    }

    /**
     * Runs all given scenarios (longest first, {@value #PARALLEL_RUNS} at a time by default) and
     * returns them by name, in the given order.
     */
    public static Map<String, LabRun> getAll(Collection<String> scenarios) {
        scenarios.stream().sorted(Comparator.comparingDouble(LabCaptures::estimatedSeconds).reversed())
                .forEach(LabCaptures::start);
        Map<String, LabRun> out = new LinkedHashMap<>();
        for (String s : scenarios) {
            out.put(s, join(start(s), s));
        }
        return out;
    }

    /** The capture of a scenario bundled in the repository's captures/ directory. */
    public static LabRun bundled(String scenario) {
        return LabRun.load(scenario, Lab.projectDir().resolve("captures"), Duration.ZERO);
    }

    private static CompletableFuture<LabRun> start(String scenario) {
        return RUNS.computeIfAbsent(scenario, s -> CompletableFuture.supplyAsync(() -> {
            Path dir = Lab.projectDir().resolve("target/lab").resolve(s);
            deleteTree(dir);
            return Lab.run(s, dir);
        }, POOL));
    }

    private static LabRun join(CompletableFuture<LabRun> f, String scenario) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for lab scenario " + scenario, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException("lab scenario " + scenario + " failed", cause);
        }
    }

    /** Sum of the sleeps and foreground ping durations of a scenario's steps (for ordering only). */
    static double estimatedSeconds(String scenario) {
        Path file = Lab.projectDir().resolve("src/lab/scenarios").resolve(scenario + ".scenario");
        double total = 0;
        try {
            for (String line : Files.readAllLines(file)) {
                if (!line.startsWith("STEP=")) {
                    continue;
                }
                String[] w = line.substring(5).trim().split("\\s+");
                if (w[0].equals("sleep") && w.length > 1) {
                    total += Double.parseDouble(w[1]);
                } else if (w.length > 3 && w[1].equals("ping")) {
                    total += Double.parseDouble(w[3]) * (w.length > 4 ? Double.parseDouble(w[4]) : 1);
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return total;
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
