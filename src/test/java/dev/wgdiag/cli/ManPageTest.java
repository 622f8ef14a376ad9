package dev.wgdiag.cli;

import dev.wgdiag.testing.Requirements;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The generated man pages, rendered by man-db (man -l, groff) and compared with what --help prints,
 * with the README's exit codes and with the variables the launcher reads.
 */
class ManPageTest {
    /** An option name as help and man print it: -p, --port, --[no-]progress. */
    private static final Pattern OPTION = Pattern.compile("(?<![\\w-])(?:--\\[no-\\][\\w-]+|--?[A-Za-z][\\w-]*)");

    @TempDir
    Path dir;

    private static List<ManPage.Page> pages() {
        PrintWriter nowhere = new PrintWriter(Writer.nullWriter());
        CommandLine root = Main.commandLine(InputStream.nullInputStream(), nowhere, nowhere);
        return ManPage.pages(root, "2025-01-31", "wgdiag 1.2.3");
    }

    record Rendered(String out, String warnings) {
    }

    /** man -l with lintian's warning settings: what a user reads, and what groff complains about. */
    private Rendered render(ManPage.Page page) throws IOException, InterruptedException {
        Path file = Files.writeString(dir.resolve(page.fileName()), page.troff(), StandardCharsets.US_ASCII);
        ProcessBuilder pb = new ProcessBuilder("man", "--warnings", "-E", "UTF-8", "-l", file.toString());
        Map<String, String> env = pb.environment();
        env.put("MANPAGER", "cat");
        env.put("MANWIDTH", "80");
        env.put("MAN_KEEP_FORMATTING", "0");
        env.put("LC_ALL", "C.UTF-8");
        Process p = pb.start();
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return e.toString();
            }
        });
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), "man -l " + page.fileName() + ": " + err.join());
        // man formats for a terminal; overstriking (bold: X\bX, underline: _\bX) is removed to compare words.
        return new Rendered(out.replaceAll(".\b", ""), err.join());
    }

    private static TreeSet<String> options(String text) {
        TreeSet<String> set = new TreeSet<>();
        Matcher m = OPTION.matcher(text);
        while (m.find()) set.add(m.group());
        return set;
    }

    @Test
    void everyPageShouldRenderWithoutGroffWarnings() throws Exception {
        Requirements.commands("man");
        for (ManPage.Page page : pages()) {
            assertEquals("", render(page).warnings(), page.fileName());
        }
    }

    @Test
    void shouldHaveAPageForEveryCommandTheHelpListsAndNameThemInTheMainPage() throws Exception {
        Requirements.commands("man");
        String help = CliRun.of("--help").out();
        List<String> commands = new ArrayList<>();
        for (String l : help.substring(help.indexOf("Commands:"), help.indexOf("Exit codes:")).lines().skip(1).toList()) {
            if (l.startsWith("  ") && !l.startsWith("   ")) commands.add(l.strip().split("\\s+")[0]);
        }
        List<String> files = pages().stream().map(ManPage.Page::fileName).toList();
        String main = render(pages().get(0)).out();
        for (String c : commands) {
            if (c.equals("help")) continue;
            assertTrue(files.contains("wgdiag-" + c + ".1"), c + " has no page: " + files);
            assertTrue(main.contains("wgdiag " + c), "wgdiag(1) does not describe " + c);
        }
        assertEquals("wgdiag.1", files.get(0));
    }

    @Test
    void eachCommandPageShouldNameExactlyTheOptionsItsHelpNames() throws Exception {
        Requirements.commands("man");
        for (ManPage.Page page : pages()) {
            if (page.fileName().equals("wgdiag.1")) continue;
            String command = page.fileName().substring("wgdiag-".length(), page.fileName().length() - 2);
            // Help: description and option list (the Usage: synopsis and its indented lines left out).
            List<String> lines = CliRun.of("help", command).out().lines().toList();
            int start = 1;
            while (start < lines.size() && lines.get(start).startsWith(" ")) start++;
            String help = String.join("\n", lines.subList(start, lines.size()));
            help = help.substring(0, firstOf(help, "Examples:", "Example:", "Exit codes:"));
            String man = render(page).out();
            man = man.substring(man.indexOf("\nDESCRIPTION"), firstOf(man, "\nEXAMPLES", "\nEXIT STATUS"));
            assertTrue(options(help).contains("--debug"), command + ": " + options(help));
            assertEquals(options(help), options(man), command);
        }
    }

    private static int firstOf(String s, String... markers) {
        for (String m : markers) {
            int i = s.indexOf(m);
            if (i >= 0) return i;
        }
        return s.length();
    }

    @Test
    void examplesShouldBeTheHelpFootersCommands() throws Exception {
        Requirements.commands("man");
        for (ManPage.Page page : pages()) {
            if (page.fileName().equals("wgdiag.1")) continue;
            String command = page.fileName().substring("wgdiag-".length(), page.fileName().length() - 2);
            String help = CliRun.of("help", command).out();
            String man = render(page).out();
            String examples = man.substring(man.indexOf("\nEXAMPLES"), man.indexOf("\nEXIT STATUS"));
            for (String line : help.substring(firstOf(help, "Examples:", "Example:")).lines().skip(1).toList()) {
                if (!line.startsWith("  ") || line.startsWith("   ")) continue;
                assertTrue(squash(examples).contains(squash(line)), command + ": example missing: " + line);
            }
        }
    }

    @Test
    void exitStatusShouldListTheReadmesExitCodes() throws Exception {
        Requirements.commands("man");
        String readme = Files.readString(Requirements.projectDir().resolve("README.md"));
        Matcher codes = Pattern.compile("Exit codes: (.*?)(?:\\n\\n|$)", Pattern.DOTALL).matcher(readme);
        assertTrue(codes.find(), "README has an 'Exit codes:' line");
        String man = render(pages().get(0)).out();
        String section = man.substring(man.indexOf("\nEXIT STATUS"), man.indexOf("\nENVIRONMENT"));
        Matcher n = Pattern.compile("(?<=^|, )(\\d+) ").matcher(codes.group(1).replace('\n', ' '));
        int count = 0;
        while (n.find()) {
            count++;
            assertTrue(Pattern.compile("(?m)^ {7}" + n.group(1) + " ").matcher(section).find(),
                    "exit code " + n.group(1) + " missing from EXIT STATUS:\n" + section);
        }
        assertEquals(ExitCode.meanings().size(), count, "exit codes found in the README");
    }

    @Test
    void environmentShouldDocumentEveryVariableTheLauncherReads() throws Exception {
        Requirements.commands("man");
        String launcher = Files.readString(Requirements.projectDir().resolve("src/bin/wgdiag"));
        String man = render(pages().get(0)).out();
        String section = man.substring(man.indexOf("\nENVIRONMENT"), man.indexOf("\nFILES"));
        Matcher v = Pattern.compile("\\$\\{?([A-Z][A-Z0-9_]*)").matcher(launcher);
        int count = 0;
        while (v.find()) {
            count++;
            // man sets a tag on its own line, or one shorter than the indent (HOME) on the line of its text
            assertTrue(section.contains("\n       " + v.group(1) + "\n") || section.contains("\n       " + v.group(1) + "   "),
                    v.group(1) + " is not in ENVIRONMENT:\n" + section);
        }
        assertTrue(count >= 3, "the launcher reads JAVA_HOME, WGDIAG_JAR, WGDIAG_JAVA_OPTS");
    }

    @Test
    void textThatLooksLikeTroffShouldBePrintedAsWritten() throws Exception {
        Requirements.commands("man");
        String[] tricky = {".TH not a request", "'not a request either", "a back\\slash, --port and -p", "an em dash \u2014 and \u00e9"};
        CommandLine.Model.CommandSpec spec = CommandLine.Model.CommandSpec.create().name("wgdiag");
        spec.usageMessage().description(tricky);
        spec.addSubcommand("t", CommandLine.Model.CommandSpec.create().name("t"));
        Rendered r = render(ManPage.pages(new CommandLine(spec), "2025-01-31", "wgdiag 1.2.3").get(0));
        assertEquals("", r.warnings());
        for (String t : tricky) assertTrue(r.out().contains(t), "not printed as written: " + t + "\n" + r.out());
    }

    private static String squash(String s) {
        return s.strip().replaceAll("\\s+", " ");
    }
}
