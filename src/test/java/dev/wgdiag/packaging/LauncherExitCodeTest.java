package dev.wgdiag.packaging;

import dev.wgdiag.cli.ExitCode;
import dev.wgdiag.testing.Requirements;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The launcher decides one exit code itself, before any JVM runs (no jar, no Java 17): it must be the
 * one {@link ExitCode} names for a lacking environment. Runs the real script; no build needed.
 */
class LauncherExitCodeTest {

    @Test
    void shouldExitWithExitCodeEnvironmentAndOneLineWhenTheJarIsMissing() throws Exception {
        Path project = Requirements.projectDir();
        Path dir = Files.createTempDirectory("wgdiag-launcher");
        Path missing = dir.resolve("wgdiag.jar");
        Proc p;
        try {
            p = Proc.run(project, Map.of("WGDIAG_JAR", missing.toString()),
                    List.of(project.resolve("src/bin/wgdiag").toString(), "--version"));
        } finally {
            Files.delete(dir);
        }
        assertEquals(ExitCode.ENVIRONMENT, p.code(), p.err());
        assertEquals("", p.out());
        assertEquals(List.of("wgdiag: " + missing + " not found; build it first with: mvn -B -q package -DskipTests"),
                p.err().lines().toList());
    }
}
