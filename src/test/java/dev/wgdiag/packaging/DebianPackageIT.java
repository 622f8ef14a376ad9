package dev.wgdiag.packaging;

import dev.wgdiag.testing.Requirements;
import dev.wgdiag.testing.ShellCompletion;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Debian package on this machine, as a user gets it: {@code apt-get install ./target/wgdiag_*_all.deb}
 * (apt resolves the dependencies), then the installed {@code /usr/bin/wgdiag} against {@code java -jar
 * target/wgdiag.jar}, {@code man} (man-db) on the installed pages, Tab in bash (the file sourced, and
 * through bash-completion's loader) and in zsh (its completion system, default function path), and
 * finally {@code apt-get remove --purge}: of everything {@code dpkg -L} listed, only directories other
 * packages own may remain. Needs root; runs after {@code mvn package} (failsafe).
 */
@Tag("package")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DebianPackageIT {
    private static final String CAPTURE = "captures/keepalive-long.server.pcap";
    /** Serialises runs of this test on one machine: the package is machine-wide. */
    private static final Path LOCK = (Files.isDirectory(Path.of("/run/lock")) ? Path.of("/run/lock")
            : Path.of(System.getProperty("java.io.tmpdir"))).resolve("wgdiag-package-test.lock");

    private static FileChannel lockChannel;
    private static FileLock lock;
    private static boolean installed;
    private static List<String> packageFiles;

    private static Path project() {
        return Requirements.projectDir();
    }

    private static Proc apt(String... args) {
        List<String> cmd = new ArrayList<>(List.of("apt-get", "-o", "DPkg::Lock::Timeout=600", "-y", "-q"));
        cmd.addAll(List.of(args));
        return Proc.run(project(), Map.of("DEBIAN_FRONTEND", "noninteractive"), cmd);
    }

    private static boolean isInstalled() {
        Proc p = Proc.run(project(), List.of("dpkg-query", "-W", "-f=${Status}", "wgdiag"));
        return p.code() == 0 && p.out().contains("ok installed");
    }

    @BeforeAll
    static void install() throws IOException {
        Requirements.root();
        Requirements.commands("apt-get", "dpkg", "dpkg-query");
        Path deb;
        try (Stream<Path> s = Files.list(project().resolve("target"))) {
            List<Path> debs = s.filter(p -> p.getFileName().toString().matches("wgdiag_.+_all\\.deb")).toList();
            assertEquals(1, debs.size(), "exactly one target/wgdiag_*_all.deb after mvn package: " + debs);
            deb = debs.get(0);
        }
        lockChannel = FileChannel.open(LOCK, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        lock = lockChannel.lock();
        if (isInstalled()) {
            Requirements.unmet("a wgdiag package is already installed here (dpkg -s wgdiag); this test would replace"
                    + " and purge it. Remove it first: apt-get remove --purge wgdiag");
        }
        Proc p = apt("install", "--no-install-recommends", "./" + project().relativize(deb));
        installed = isInstalled();
        assertEquals(0, p.code(), "apt-get install " + deb + ":\n" + p.out() + p.err());
        assertTrue(installed, "dpkg does not list wgdiag as installed");
        packageFiles = Proc.run(project(), List.of("dpkg", "-L", "wgdiag")).ok("dpkg -L").out().lines()
                .filter(l -> l.startsWith("/")).toList();
    }

    @AfterAll
    static void purgeAndUnlock() throws IOException {
        try {
            if (installed && isInstalled()) apt("remove", "--purge", "wgdiag");
        } finally {
            if (lock != null) lock.release();
            if (lockChannel != null) lockChannel.close();
        }
    }

    @Test
    @Order(1)
    void installedCommandShouldAnalyseABundledCaptureExactlyAsTheJarDoes(@org.junit.jupiter.api.io.TempDir Path cache) {
        Path jar = project().resolve("target/wgdiag.jar");
        Proc expected = Proc.run(project(), List.of("java", "-jar", jar.toString(), "analyze", CAPTURE)).ok("java -jar");
        // its class-data archive in a cache of the test's own, not the user's
        Proc actual = Proc.run(project(), Map.of("XDG_CACHE_HOME", cache.toString()), List.of("/usr/bin/wgdiag", "analyze", CAPTURE)).ok("/usr/bin/wgdiag");
        assertFalse(expected.out().isBlank());
        assertEquals(expected.out(), actual.out());
        assertEquals(expected.err(), actual.err());
        assertEquals(Proc.run(project(), List.of("java", "-jar", jar.toString(), "--version")).out(),
                Proc.run(project(), List.of("/usr/bin/wgdiag", "--version")).ok("wgdiag --version").out());
    }

    @Test
    @Order(2)
    void installedCommandShouldRunTheInstalledJarNotTheSourceTrees() {
        // From / the source tree is out of reach: the launcher must find /usr/share/wgdiag/wgdiag.jar.
        Proc p = Proc.run(Path.of("/"), List.of("wgdiag", "--version")).ok("wgdiag from /");
        assertTrue(p.out().startsWith("wgdiag "), p.out());
        assertTrue(packageFiles.contains("/usr/share/wgdiag/wgdiag.jar"), packageFiles.toString());
    }

    @Test
    @Order(3)
    void manShouldFindAndRenderTheInstalledPagesByName() {
        Requirements.commands("man");
        assertTrue(Files.exists(Path.of("/usr/share/man/man1/wgdiag.1.gz")), "the man page was not installed"
                + " (does /etc/dpkg/dpkg.cfg.d/ exclude /usr/share/man? Docker's slim images do)");
        Map<String, String> env = Map.of("MANPAGER", "cat", "MANWIDTH", "80", "LC_ALL", "C.UTF-8");
        Proc byFile = Proc.run(project(), env, List.of("man", "--warnings", "-l", "/usr/share/man/man1/wgdiag.1.gz")).ok("man -l");
        assertEquals("", byFile.err());
        String page = byFile.out().replaceAll(".\b", "");
        for (String section : List.of("NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS", "COMMANDS", "EXAMPLES", "EXIT STATUS",
                "ENVIRONMENT", "FILES", "SEE ALSO")) {
            assertTrue(page.contains("\n" + section + "\n"), "no " + section + " in wgdiag(1)");
        }
        // man wgdiag-analyze: found by name in the manual's path, as a user types it.
        Proc where = Proc.run(project(), env, List.of("man", "-w", "wgdiag-analyze")).ok("man -w wgdiag-analyze");
        assertEquals("/usr/share/man/man1/wgdiag-analyze.1.gz", where.out().strip());
        String analyze = Proc.run(project(), env, List.of("man", "wgdiag-analyze")).ok("man wgdiag-analyze").out()
                .replaceAll(".\b", "");
        assertTrue(analyze.contains("wgdiag analyze [OPTIONS] FILE [FILE]"), analyze);
    }

    @Test
    @Order(4)
    void bashShouldCompleteFromTheInstalledCompletionFile() {
        Requirements.commands("bash");
        Path file = Path.of("/usr/share/bash-completion/completions/wgdiag");
        assertEquals(List.of("analyze"), ShellCompletion.bash(file, "wgdiag an", project()));
        assertEquals(List.of("json", "text"), ShellCompletion.bash(file, "wgdiag analyze --format ", project()));
    }

    @Test
    @Order(5)
    void bashCompletionsLoaderShouldFindTheInstalledCompletionOnFirstTab() {
        if (!Files.exists(Path.of("/usr/share/bash-completion/bash_completion"))) {
            Requirements.unmet("bash-completion is not installed (apt-get install bash-completion)");
        }
        assertEquals(List.of("analyze"), ShellCompletion.bash(null, "wgdiag an", project()));
    }

    @Test
    @Order(6)
    void zshShouldCompleteThroughItsCompletionSystemFromTheVendorCompletionsDirectory() {
        Requirements.commands("zsh");
        assertEquals("wgdiag analyze", ShellCompletion.zsh(null, "wgdiag an", project()));
        assertEquals("wgdiag analyze --format", ShellCompletion.zsh(null, "wgdiag analyze --form", project()));
    }

    @Test
    @Order(7)
    void shouldInstallEveryFileTheManPageListsAndTheDebianDocuments() throws IOException {
        String page = Proc.run(project(), Map.of("MANPAGER", "cat", "MANWIDTH", "200"), List.of("man", "wgdiag"))
                .ok("man wgdiag").out().replaceAll(".\b", "");
        String files = page.substring(page.indexOf("\nFILES\n"), page.indexOf("\nSEE ALSO\n"));
        Matcher m = Pattern.compile("(?m)^ {7}(/usr/\\S+)$").matcher(files);
        int count = 0;
        while (m.find()) {
            count++;
            assertTrue(packageFiles.contains(m.group(1)), m.group(1) + " is in FILES but not in the package");
        }
        assertEquals(4, count, "paths under /usr in wgdiag(1)'s FILES");
        assertTrue(packageFiles.contains("/usr/share/doc/wgdiag/copyright"));
        // The changelog's newest entry is this package's version (as dpkg reads it).
        String version = Proc.run(project(), List.of("dpkg-query", "-W", "-f=${Version}", "wgdiag")).ok("dpkg-query").out();
        try (InputStream in = new GZIPInputStream(Files.newInputStream(Path.of("/usr/share/doc/wgdiag/changelog.gz")))) {
            String first = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().findFirst().orElse("");
            assertTrue(first.startsWith("wgdiag (" + version + ") "), "changelog: " + first + ", package: " + version);
        }
        Proc status = Proc.run(project(), List.of("dpkg-query", "-W", "-f=${Depends}", "wgdiag")).ok("dpkg-query");
        assertTrue(status.out().contains("java17-runtime-headless") && status.out().contains("libpcap0.8"), status.out());
    }

    @Test
    @Order(100)
    void removeShouldLeaveNothingOfThePackageBehind() {
        Proc p = apt("remove", "--purge", "wgdiag");
        assertEquals(0, p.code(), "apt-get remove --purge wgdiag:\n" + p.out() + p.err());
        assertFalse(isInstalled());
        List<String> left = new ArrayList<>();
        for (String f : packageFiles) {
            Path path = Path.of(f);
            if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) continue;
            // A directory may stay when another package owns it too (/usr/share/man/man1).
            boolean sharedDirectory = Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)
                    && Proc.run(project(), List.of("dpkg-query", "-S", f)).code() == 0;
            if (!sharedDirectory) left.add(f);
        }
        assertEquals(List.of(), left, "left behind after apt-get remove --purge wgdiag");
        assertFalse(Files.exists(Path.of("/usr/share/wgdiag")));
        assertFalse(Files.exists(Path.of("/var/lib/dpkg/info/wgdiag.list")));
    }
}
