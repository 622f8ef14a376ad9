package dev.wgdiag.cli;

import dev.wgdiag.testing.Requirements;
import dev.wgdiag.testing.ShellCompletion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The generated completion scripts in real shells: what Tab offers is compared with what the help
 * lists and with the files in the directory (ls). The installed package is tested the same way in
 * dev.wgdiag.packaging.DebianPackageIT.
 */
class CompletionTest {
    @TempDir
    Path dir;

    private static CommandLine commandLine() {
        PrintWriter nowhere = new PrintWriter(Writer.nullWriter());
        return Main.commandLine(InputStream.nullInputStream(), nowhere, nowhere);
    }

    private Path bashFile() throws IOException {
        return ShellCompletion.write(dir, "wgdiag", Completion.bash(commandLine()));
    }

    @Test
    void bashShouldCompleteACommandFromItsFirstLetters() throws IOException {
        Requirements.commands("bash");
        assertEquals(List.of("analyze"), ShellCompletion.bash(bashFile(), "wgdiag an", dir));
    }

    @Test
    void bashShouldOfferEveryCommandTheHelpLists() throws IOException {
        Requirements.commands("bash");
        CliRun help = CliRun.of("--help");
        String commands = help.out().substring(help.out().indexOf("Commands:"), help.out().indexOf("Exit codes:"));
        List<String> listed = commands.lines().skip(1)
                .filter(l -> l.startsWith("  ") && !l.startsWith("   "))
                .map(l -> l.strip().split("\\s+")[0]).sorted().toList();
        assertEquals(listed, ShellCompletion.bash(bashFile(), "wgdiag ", dir));
    }

    @Test
    void bashShouldCompleteOptionsAndTheFormatValues() throws IOException {
        Requirements.commands("bash");
        Path file = bashFile();
        assertEquals(List.of("--format"), ShellCompletion.bash(file, "wgdiag analyze --form", dir));
        assertEquals(List.of("json", "text"), ShellCompletion.bash(file, "wgdiag analyze --format ", dir));
    }

    @Test
    void bashShouldCompleteCaptureFileNamesForAnalyze() throws IOException {
        Requirements.commands("bash");
        Path file = bashFile();
        Path captures = Requirements.projectDir().resolve("captures");
        List<String> expected;
        try (Stream<Path> s = Files.list(captures)) {
            expected = s.map(p -> "captures/" + p.getFileName()).filter(n -> n.startsWith("captures/keepalive-long."))
                    .sorted().toList();
        }
        assertFalse(expected.isEmpty());
        assertEquals(expected, ShellCompletion.bash(file, "wgdiag analyze captures/keepalive-long.", Requirements.projectDir()));
    }

    @Test
    void zshShouldCompleteACommandAndAnOptionThroughItsCompletionSystem() throws IOException {
        Requirements.commands("zsh");
        Files.writeString(dir.resolve("_wgdiag"), Completion.zsh(commandLine()));
        assertEquals("wgdiag analyze", ShellCompletion.zsh(dir, "wgdiag an", dir));
        assertEquals("wgdiag analyze --format", ShellCompletion.zsh(dir, "wgdiag analyze --form", dir));
    }

    @Test
    void zshShouldCompleteCaptureFilesUpToWhereTheyDiffer() throws IOException {
        Requirements.commands("zsh");
        Files.writeString(dir.resolve("_wgdiag"), Completion.zsh(commandLine()));
        Path project = Requirements.projectDir();
        String typed = "captures/keepalive-long.ser";
        List<String> matches;
        try (Stream<Path> s = Files.list(project.resolve("captures"))) {
            matches = s.map(p -> "captures/" + p.getFileName()).filter(n -> n.startsWith(typed)).sorted().toList();
        }
        assertTrue(matches.size() > 1, "several files to choose from: " + matches);
        String common = matches.get(0);
        for (String m : matches) {
            while (!m.startsWith(common)) common = common.substring(0, common.length() - 1);
        }
        assertEquals("wgdiag analyze " + common, ShellCompletion.zsh(dir, "wgdiag analyze " + typed, project));
    }

    @Test
    void zshFileShouldDeclareItselfForWgdiagAndChangeNoShellOption() {
        String zsh = Completion.zsh(commandLine());
        assertTrue(zsh.startsWith("#compdef wgdiag\n"), zsh.lines().findFirst().orElse(""));
        assertFalse(zsh.contains("setopt"), "the completion function must not change the user's options");
        assertFalse(zsh.lines().anyMatch(l -> l.startsWith("alias ")), "no aliases");
    }
}
