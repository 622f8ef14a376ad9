package dev.wgdiag.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scenario files parse, and a bad one is reported in one line naming the file. Needs only bash. */
class ScenarioFilesTest {

    @Test
    void shouldListEveryScenarioFileWithItsDescription() {
        Lab.Result list = Lab.wglab(List.of("list"), Duration.ofSeconds(30));
        assertEquals(0, list.exitCode(), list.output());
        List<String> names = Lab.scenarioNames();
        assertTrue(names.size() >= 10, "at least the ten scenarios of the issue: " + names);
        for (String name : names) {
            assertTrue(list.output().lines().anyMatch(l -> l.startsWith(name + " ") && l.length() > name.length() + 10),
                    name + " listed with a description");
        }
    }

    @Test
    void shouldCoverEveryScenarioTheIssueAsksFor() {
        assertTrue(Lab.scenarioNames().containsAll(List.of("handshake-ping", "mapping-expiry", "keepalive-short",
                "keepalive-long", "swap-no-reply", "swap-reject-after", "rekey-same-initiator", "loss",
                "ipv6-outer", "roaming")));
    }

    @Test
    void shouldRejectAMalformedScenarioInOneLineNamingTheFile(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("broken.scenario");
        Files.writeString(bad, "NAME=broken\nFAMILY=5\nSTEP=sleep 1\n");
        Lab.Result r = Lab.wglab(List.of("run", "broken", "--out", dir.resolve("out").toString(), "--id", "x1"),
                Map.of("WGLAB_SCENARIOS", dir.toString()), Duration.ofSeconds(30));
        assertEquals(2, r.exitCode());
        assertEquals(1, r.output().strip().lines().count(), r.output());
        assertTrue(r.output().contains(bad.toString()) && r.output().contains("FAMILY"), r.output());
    }

    @Test
    void shouldRejectALineThatIsNotKeyValue(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("junk.scenario"), "NAME=junk\nthis is not a setting\n");
        Lab.Result r = Lab.wglab(List.of("up", "junk", "--id", "x2"), Map.of("WGLAB_SCENARIOS", dir.toString()),
                Duration.ofSeconds(30));
        assertEquals(2, r.exitCode());
        assertTrue(r.output().strip().matches(".*junk\\.scenario:2: expected KEY=VALUE.*"), r.output());
    }
}
