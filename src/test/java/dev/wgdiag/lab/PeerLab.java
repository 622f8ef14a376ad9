package dev.wgdiag.lab;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * Lab runs with {@code wgdiag peer} on one side: the wglab environment that switches a side to wgdiag
 * (run from this build's classes, so no packaged jar is needed), the outer family and the preshared key.
 */
public final class PeerLab {
    /** Parallel runs: each wgdiag side is a JVM on a shared two-core machine. */
    static final int PARALLEL_RUNS = Integer.getInteger("wgdiag.lab.parallel", 4);

    private PeerLab() {
    }

    /**
     * One lab configuration.
     *
     * @param wgdiag which side runs wgdiag: "client" or "server"
     * @param family outer transport 4 or 6, or 0 for the scenario's own
     * @param psk    with a preshared key
     */
    public record Side(String wgdiag, int family, boolean psk) {
        public String label() {
            return "wgdiag-" + wgdiag + (family == 0 ? "" : "-v" + family) + (psk ? "-psk" : "");
        }

        /** The wireguard-go side. */
        public String other() {
            return wgdiag.equals("client") ? "server" : "client";
        }
    }

    /** The scenarios written for wgdiag peer (src/lab/peer-scenarios), outside the bundled set. */
    public static Path peerScenarios() {
        return Lab.projectDir().resolve("src/lab/peer-scenarios");
    }

    public static Map<String, String> env(Side side, Path scenarios) {
        Map<String, String> env = new HashMap<>();
        env.put("WGLAB_" + side.wgdiag().toUpperCase(java.util.Locale.ROOT) + "_IMPL", "wgdiag");
        if (side.family() != 0) env.put("WGLAB_FAMILY", Integer.toString(side.family()));
        env.put("WGLAB_PRESHARED_KEY", side.psk() ? "1" : "0");
        if (scenarios != null) env.put("WGLAB_SCENARIOS", scenarios.toString());
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        env.put("WGDIAG_CLASSPATH", cp);
        env.put("WGDIAG_JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        return env;
    }

    /**
     * Runs every key's scenario in parallel ({@value #PARALLEL_RUNS} at a time) and waits for all; each
     * result is a completed future (a failed run fails only the tests that use it).
     */
    public static <K> Map<K, CompletableFuture<LabRun>> runAll(List<K> keys, Function<K, LabRun> run) {
        ExecutorService pool = Executors.newFixedThreadPool(PARALLEL_RUNS);
        try {
            Map<K, CompletableFuture<LabRun>> futures = new java.util.LinkedHashMap<>();
            for (K k : keys) futures.put(k, CompletableFuture.supplyAsync(() -> run.apply(k), pool));
            CompletableFuture.allOf(futures.values().toArray(CompletableFuture[]::new)).handle((v, e) -> null).join();
            return futures;
        } finally {
            pool.shutdown();
        }
    }

    /** The run's result, or the run's failure as the test's. */
    public static LabRun get(CompletableFuture<LabRun> f) {
        try {
            return f.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw e;
        }
    }
}
