package dev.wgdiag.cli;

import dev.wgdiag.testing.Requirements;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** wgdiag --version against the POM's version (Maven's model) and git rev-parse HEAD. */
class VersionTest {
    @TempDir
    Path dir;

    /** The commit git names for the project directory, or "unknown" where git cannot (no .git, no git). */
    private static String gitHead() {
        if (Requirements.which("git") == null) return "unknown";
        try {
            Process p = new ProcessBuilder("git", "-C", Requirements.projectDir().toString(), "rev-parse", "HEAD")
                    .redirectErrorStream(false).start();
            String out = new String(p.getInputStream().readAllBytes()).strip();
            p.waitFor(30, TimeUnit.SECONDS);
            return p.exitValue() == 0 ? out.substring(0, 12) : "unknown";
        } catch (Exception e) {
            return "unknown";
        }
    }

    @Test
    void shouldPrintTheProjectVersionAndTheCommitItWasBuiltFrom() {
        String pomVersion = System.getProperty("wgdiag.projectVersion");
        assertTrue(pomVersion != null && !pomVersion.isBlank(), "Surefire sets wgdiag.projectVersion");
        CliRun run = CliRun.of("--version");
        assertEquals(ExitCode.OK, run.exitCode());
        assertEquals("wgdiag " + pomVersion + " (commit " + gitHead() + ")\n", run.out());
    }

    /**
     * A source tarball has no .git: the build must still work and say "unknown". Runs the build's
     * resource step on a copy of the POM and resources outside any git work tree.
     */
    @Test
    void aBuildWithoutGitShouldSayUnknownForTheCommit() throws Exception {
        Requirements.commands("mvn");
        Path project = Requirements.projectDir();
        Files.copy(project.resolve("pom.xml"), dir.resolve("pom.xml"));
        Path resources = dir.resolve("src/main/resources/dev/wgdiag/cli");
        Files.createDirectories(resources);
        Files.copy(project.resolve("src/main/resources/dev/wgdiag/cli/version.properties"), resources.resolve("version.properties"));
        ProcessBuilder pb = new ProcessBuilder("mvn", "-B", "-q", "-o", "process-resources").directory(dir.toFile())
                .redirectErrorStream(true);
        // git must not find a repository above the copy either (the temporary directory's parents).
        pb.environment().put("GIT_CEILING_DIRECTORIES", dir.getParent().toString());
        Process p = pb.start();
        String log = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "mvn process-resources took over 5 minutes");
        assertEquals(0, p.exitValue(), "mvn process-resources without git failed:\n" + log);
        Properties built = new Properties();
        try (var in = Files.newInputStream(dir.resolve("target/classes/dev/wgdiag/cli/version.properties"))) {
            built.load(in);
        }
        assertEquals("unknown", built.getProperty("commit"));
        assertEquals(System.getProperty("wgdiag.projectVersion"), built.getProperty("version"));
    }
}
