package dev.wgdiag.cli;

import dev.wgdiag.testing.Requirements;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's examples are the commands' own: every command line in a README {@code sh} block that
 * runs {@code wgdiag COMMAND} is among that command's help examples (and so in its man page), the
 * same words ignoring spacing and the trailing {@code # comment}.
 */
class ReadmeExamplesTest {
    /** Every subcommand of the picocli model, so a new command's README examples are checked too. */
    private static final Set<String> COMMANDS = Set.copyOf(Main.commandLine(java.io.InputStream.nullInputStream(),
            new java.io.PrintWriter(java.io.Writer.nullWriter()), new java.io.PrintWriter(java.io.Writer.nullWriter()))
            .getSubcommands().keySet());
    /** wgdiag as a command word: at the start, or after a space (sudo, a pipe); not src/bin/wgdiag. */
    private static final Pattern RUNS = Pattern.compile("(?:^|\\s)wgdiag\\s+([a-z]+)");

    @Test
    void everyReadmeExampleOfACommandShouldBeInThatCommandsHelp() throws Exception {
        String readme = Files.readString(Requirements.projectDir().resolve("README.md"));
        List<String> checked = new ArrayList<>();
        boolean inSh = false;
        for (String line : readme.lines().toList()) {
            if (line.startsWith("```")) {
                inSh = !inSh && line.strip().equals("```sh");
                continue;
            }
            if (!inSh) continue;
            Matcher m = RUNS.matcher(line);
            if (!m.find() || !COMMANDS.contains(m.group(1))) continue;
            String example = squash(line.replaceAll("\\s+#.*$", ""));
            String help = CliRun.of("help", m.group(1)).out();
            List<String> helpExamples = help.lines().filter(l -> l.startsWith("  ") && !l.startsWith("   "))
                    .map(ReadmeExamplesTest::squash).toList();
            assertTrue(helpExamples.contains(example), "README example not in 'wgdiag help " + m.group(1) + "': " + example);
            checked.add(example);
        }
        assertTrue(checked.size() >= 15, "README examples found: " + checked);
    }

    private static String squash(String s) {
        return s.strip().replaceAll("\\s+", " ");
    }
}
