package dev.wgdiag.cli;

import dev.wgdiag.lab.LabTest;
import dev.wgdiag.testing.Requirements;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.wgdiag.cli.NothingWorksTruth.analyze;
import static dev.wgdiag.cli.NothingWorksTruth.causes;
import static dev.wgdiag.cli.NothingWorksTruth.configs;
import static dev.wgdiag.cli.NothingWorksTruth.expected;
import static dev.wgdiag.cli.NothingWorksTruth.truth;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Cause 7 of issue 11 made afresh: every scenario of src/lab/nothing-works (wireguard-go server with real
 * forwarding and nftables masquerade, a host beyond it, the reference peer as the client writing its keys
 * into its capture). Each verdict must name the break the lab configured, read back from the namespaces
 * (truth.json), and no scenario may get another's cause; the healthy one gets none.
 */
@LabTest
class NothingWorksLabTest {
    @TempDir
    Path out;

    @Test
    void shouldNameTheConfiguredBreakOfEveryScenarioAndNoOther() throws Exception {
        Requirements.root();
        Requirements.commands("wireguard-go", "wg", "nft", "jq", "python3", "ip", "ss");
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> problems = new ArrayList<>();
        for (String s : NothingWorksTruth.SCENARIOS) {
            ProcessBuilder pb = new ProcessBuilder(Requirements.projectDir().resolve("src/lab/nothing-works").toString(), "run", s,
                    "--out", out.toString()).redirectErrorStream(true).redirectOutput(out.resolve(s + ".log").toFile());
            pb.environment().put("WGDIAG_CLASSPATH", cp);
            pb.environment().put("WGDIAG_JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
            Process p = pb.start();
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), s + ": the lab run did not end");
            assertEquals(0, p.exitValue(), s + ": " + Files.readString(out.resolve(s + ".log")));
            Path d = out.resolve(s);
            List<String> withConfigs = new ArrayList<>(List.of(configs(d)));
            withConfigs.add("--decrypt");
            List<String> got = causes(analyze(d, withConfigs.toArray(String[]::new)));
            if (!expected(truth(d), true).equals(got)) problems.add(s + " with configs: expected " + expected(truth(d), true) + ", got " + got);
            got = causes(analyze(d, "--decrypt"));
            if (!expected(truth(d), false).equals(got)) problems.add(s + " keys only: expected " + expected(truth(d), false) + ", got " + got);
        }
        assertEquals(List.of(), problems);
    }
}
