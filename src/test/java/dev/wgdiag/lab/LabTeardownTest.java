package dev.wgdiag.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Set-up is idempotent and teardown leaves nothing behind, also when a run fails. */
@LabTest
class LabTeardownTest {

    @Test
    void shouldBringUpTwiceWithTheSameIdAndLeaveNothingAfterDown() {
        String id = Lab.newId();
        try {
            for (int i = 0; i < 2; i++) {
                Lab.Result up = Lab.wglab(List.of("up", "roaming", "--id", id), Duration.ofSeconds(60));
                assertEquals(0, up.exitCode(), up.output());
            }
            List<String> running = LabLeftovers.of(id);
            assertEquals(4, running.stream().filter(s -> s.startsWith("namespace ")).count(), running.toString());
            assertEquals(2, running.stream().filter(s -> s.startsWith("process ")).count(),
                    "one wireguard-go per side after the second up: " + running);
        } finally {
            Lab.Result down = Lab.wglab(List.of("down", "--id", id), Duration.ofSeconds(60));
            assertEquals(0, down.exitCode(), down.output());
        }
        assertEquals(List.of(), LabLeftovers.of(id));
    }

    /**
     * Regression: "down" of the last run used to remove the shared state root, racing with another
     * run's {@code mkdir -p ROOT/ID} ("mkdir: cannot create directory '/run/wglab'" on a clean-clone
     * CI run). Parallel runs now share no directory that any run removes: the root stays, and only
     * the run's own directory goes.
     */
    @Test
    void shouldKeepTheSharedStateRootWhenTheLastRunGoesDown(@TempDir Path dir) {
        Path root = dir.resolve("state");
        Map<String, String> env = Map.of("WGLAB_STATE", root.toString());
        String id = Lab.newId();
        try {
            Lab.Result up = Lab.wglab(List.of("up", "handshake-ping", "--id", id), env, Duration.ofSeconds(60));
            assertEquals(0, up.exitCode(), up.output());
            assertTrue(Files.isDirectory(root.resolve(id)), "the run's own state directory");
        } finally {
            Lab.Result down = Lab.wglab(List.of("down", "--id", id), env, Duration.ofSeconds(60));
            assertEquals(0, down.exitCode(), down.output());
        }
        assertTrue(Files.isDirectory(root), "the shared root survives the last run's teardown");
        assertTrue(!Files.exists(root.resolve(id)), "the run's own state is gone");
        assertEquals(List.of(), LabLeftovers.of(id));
    }

    @Test
    void shouldTearDownWhenTheTrafficScriptFails(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("failing.scenario"),
                "NAME=failing\nDESCRIPTION=fails in its second step\nSTEP=client ping 10.0.0.1 1\nSTEP=client dance\n");
        String id = Lab.newId();
        Lab.Result r = Lab.wglab(List.of("run", "failing", "--out", dir.resolve("out").toString(), "--id", id),
                Map.of("WGLAB_SCENARIOS", dir.toString()), Duration.ofSeconds(60));
        assertNotEquals(0, r.exitCode());
        assertTrue(r.output().contains("unknown step 'client dance'"), r.output());
        assertEquals(List.of(), LabLeftovers.of(id));
    }

    @Test
    void shouldTearDownWhenTheRunIsKilledInTheMiddleOfASleep(@TempDir Path dir) {
        String id = Lab.newId();
        // mapping-expiry sleeps 40 s after its first pings; the harness sends SIGTERM after 8 s.
        Lab.Result r = Lab.wglab(List.of("run", "mapping-expiry", "--out", dir.toString(), "--id", id),
                Duration.ofSeconds(8));
        assertEquals(124, r.exitCode(), r.output());
        assertEquals(List.of(), LabLeftovers.of(id));
    }
}
