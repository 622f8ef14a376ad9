package dev.wgdiag.cli;

import dev.wgdiag.testing.Requirements;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every output (text, JSON, HTML with its charts, the message list as text and JSON Lines) is the same
 * byte for byte whatever the machine's locale and time zone: each command runs in a child JVM under
 * the root locale and UTC, under de_DE in Europe/Berlin (decimal comma) and under ja_JP in Asia/Tokyo
 * (UTC+9), and the files must be identical. The truth is the root/UTC run, not a value computed here.
 */
class LocaleIndependenceTest {
    private static final String[][] LOCALES = {
            {"", "", "UTC"},
            {"de", "DE", "Europe/Berlin"},
            {"ja", "JP", "Asia/Tokyo"},
    };

    @Test
    void shouldWriteTheSameBytesUnderAGermanAndAJapaneseLocaleAsUnderTheRootLocale(@TempDir Path tmp) throws Exception {
        Path c = Requirements.projectDir().resolve("captures");
        String swapS = c.resolve("swap-no-reply.server.pcap").toString(), swapC = c.resolve("swap-no-reply.client.pcap").toString();
        String confS = c.resolve("swap-no-reply.server.conf").toString(), confC = c.resolve("swap-no-reply.client.conf").toString();
        List<String> commands = List.of(
                // joined captures with peers named and proven by keys (clock skew), text and HTML
                "analyze " + swapS + " " + swapC + " --config " + confS + " --config " + confC + " --no-progress --html @OUT@/swap.html",
                "analyze " + swapS + " " + swapC + " --config " + confS + " --config " + confC + " --no-progress --format json -o @OUT@/swap.json",
                // a keepalive bracket with fractional seconds, MTU advice with fragments
                "analyze " + c.resolve("keepalive-long.server.pcap") + " --no-progress --html @OUT@/keepalive.html",
                "analyze " + c.resolve("small-mtu.server.pcap") + " " + c.resolve("small-mtu.client.pcap") + " --no-progress --format json",
                "analyze " + c.resolve("small-mtu.client.pcap") + " --list",
                "analyze " + c.resolve("small-mtu.client.pcap") + " --list --format json");
        List<Path> runs = new ArrayList<>();
        for (String[] l : LOCALES) {
            Path dir = Files.createDirectory(tmp.resolve(l[0].isEmpty() ? "root" : l[0]));
            run(dir, l, commands);
            runs.add(dir);
        }
        Path root = runs.get(0);
        List<String> files;
        try (Stream<Path> s = Files.list(root)) {
            files = s.map(p -> p.getFileName().toString()).sorted().toList();
        }
        for (int n = 0; n < commands.size(); n++) {
            assertEquals("0", Files.readString(root.resolve(n + ".code")), commands.get(n) + ": " + Files.readString(root.resolve(n + ".err")));
        }
        assertTrue(files.contains("swap.html") && files.contains("swap.json") && files.contains("keepalive.html"), files.toString());
        for (int i = 1; i < runs.size(); i++) {
            for (String f : files) {
                String want = Files.readString(root.resolve(f));
                String got = Files.readString(runs.get(i).resolve(f));
                assertEquals(want, got, f + " differs under " + String.join("_", LOCALES[i]) + " from the root locale in UTC"
                        + firstDifference(want, got));
            }
        }
    }

    private static String firstDifference(String a, String b) {
        int i = 0;
        while (i < a.length() && i < b.length() && a.charAt(i) == b.charAt(i)) i++;
        int from = Math.max(0, i - 60);
        return ": root \"" + a.substring(from, Math.min(a.length(), i + 40)) + "\" vs \"" + b.substring(from, Math.min(b.length(), i + 40)) + "\"";
    }

    private static void run(Path dir, String[] locale, List<String> commands) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Duser.language=" + locale[0]);
        cmd.add("-Duser.country=" + locale[1]);
        cmd.add("-Duser.timezone=" + locale[2]);
        cmd.add("-Djava.awt.headless=true");
        cmd.add("-cp");
        String cp = System.getProperty("surefire.test.class.path");
        cmd.add(cp != null ? cp : System.getProperty("java.class.path"));
        cmd.add(RunMany.class.getName());
        cmd.add(dir.toString());
        for (int i = 0; i < commands.size(); i++) {
            if (i > 0) cmd.add("::");
            cmd.addAll(List.of(commands.get(i).split(" ")));
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("jvm.log").toFile()).start();
        int code = p.waitFor();
        assertEquals(0, code, "child JVM under " + String.join("_", locale) + ": " + Files.readString(dir.resolve("jvm.log")));
        Files.delete(dir.resolve("jvm.log"));
    }

}
