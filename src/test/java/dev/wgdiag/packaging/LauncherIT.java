package dev.wgdiag.packaging;

import dev.wgdiag.testing.Requirements;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * src/bin/wgdiag from the source tree (after mvn package): it runs target/wgdiag.jar like
 * {@code java -jar}, passes its JVM options (as the JVM itself reports them), skips a Java older
 * than 17 and, with none at all, says in one line what to install. Installed, it is tested by
 * {@link DebianPackageIT}.
 */
@Tag("package")
class LauncherIT {
    @TempDir
    Path dir;

    private static Path project() {
        return Requirements.projectDir();
    }

    private static Path jar() {
        Path jar = project().resolve("target/wgdiag.jar");
        assertTrue(Files.isRegularFile(jar), "target/wgdiag.jar is missing: this test runs after mvn package (failsafe)");
        return jar;
    }

    private static String launcher() {
        return project().resolve("src/bin/wgdiag").toString();
    }

    /** A runtime directory that says it is Java 11 (release file) and whose java fails if run. */
    private static Path fakeJava11(Path home) throws Exception {
        Files.createDirectories(home.resolve("bin"));
        Files.writeString(home.resolve("release"), "JAVA_VERSION=\"11.0.2\"\n");
        Path java = Files.writeString(home.resolve("bin/java"), "#!/bin/sh\necho 'fake java 11 was run' >&2\nexit 1\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        return home;
    }

    @Test
    void shouldRunTheBuiltJarFromTheSourceTreeLikeJavaJar() {
        Proc direct = Proc.run(project(), List.of("java", "-jar", jar().toString(), "--version")).ok("java -jar");
        Proc launched = Proc.run(project(), List.of(launcher(), "--version")).ok("src/bin/wgdiag");
        assertEquals(direct.out(), launched.out());
        assertEquals(0, launched.code());
    }

    @Test
    void shouldGiveTheJvmItsOptionsAndLetWgdiagJavaOptsOverrideThem() {
        jar();
        Map<String, String> env = Map.of("WGDIAG_JAVA_OPTS", "-Xmx300m -XX:+PrintCommandLineFlags");
        Proc p = Proc.run(project(), env, List.of(launcher(), "--version")).ok("src/bin/wgdiag");
        String flags = p.out().lines().findFirst().orElse("");
        assertTrue(flags.contains("-XX:+UseSerialGC"), flags);
        assertTrue(flags.contains("-XX:MaxHeapSize=" + 300L * 1024 * 1024), flags);
    }

    /** The heap bound the launcher gave the JVM, in bytes (its -XX:+PrintCommandLineFlags line). */
    private long maxHeap(String... args) {
        List<String> cmd = new java.util.ArrayList<>(List.of(launcher()));
        cmd.addAll(List.of(args));
        Proc p = Proc.run(project(), Map.of("WGDIAG_JAVA_OPTS", "-XX:+PrintCommandLineFlags"), cmd);
        String flags = p.out().lines().findFirst().orElse("");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("-XX:MaxHeapSize=(\\d+)").matcher(flags);
        assertTrue(m.find(), flags);
        return Long.parseLong(m.group(1));
    }

    /** 3/4 of MemTotal from /proc/meminfo (no cgroup limit on the machines this runs on, else lower), in bytes. */
    private static long threeQuartersOfMemory() throws Exception {
        String line = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal:")).findFirst().orElseThrow();
        long kb = Long.parseLong(line.replaceAll("\\D", ""));
        for (String f : List.of("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes")) {
            Path p = Path.of(f);
            if (Files.isReadable(p)) {
                String c = Files.readString(p).strip();
                if (c.matches("\\d+")) kb = Math.min(kb, Long.parseLong(c) / 1024);
            }
        }
        return kb * 3 / 4 / 1024 * 1024 * 1024;
    }

    /** A file of {@code length} bytes that takes no disk (sparse): the launcher only asks its size. */
    private Path sparse(String name, long length) throws java.io.IOException {
        Path p = dir.resolve(name);
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(p.toFile(), "rw")) {
            f.setLength(length);
        }
        return p;
    }

    @Test
    void shouldSizeTheHeapToTheCapturesNamedWithinThreeQuartersOfTheMachine() throws Exception {
        jar();
        Path small = Files.write(dir.resolve("small.pcap"), new byte[24]);
        Path forty = sparse("forty.pcap", 40L << 20);
        Path huge = sparse("huge.pcap", 1L << 40);
        long mb = 1L << 20;
        assertEquals(256 * mb, maxHeap("--version"), "no capture: the floor");
        assertEquals(256 * mb, maxHeap("--version", small.toString()), "a small capture: the floor");
        assertEquals(Math.min((256 + 64 * 40) * mb, threeQuartersOfMemory()), maxHeap("--version", forty.toString()),
                "256 MB + 64 bytes per byte of capture");
        assertEquals(threeQuartersOfMemory(), maxHeap("--version", huge.toString()), "at most 3/4 of the machine");
        assertEquals(threeQuartersOfMemory(), maxHeap("--version", "-"), "standard input: the 3/4");
    }

    /** The JVM's own -XX:+PrintCommandLineFlags line for this launcher command line. */
    private String flags(String... args) {
        List<String> cmd = new java.util.ArrayList<>(List.of(launcher()));
        cmd.addAll(List.of(args));
        Map<String, String> env = Map.of("WGDIAG_JAVA_OPTS", "-XX:+PrintCommandLineFlags", "XDG_CACHE_HOME", dir.resolve("cache").toString());
        return Proc.run(project(), env, cmd).out().lines().findFirst().orElse("");
    }

    @Test
    void shouldUseOnlyTheQuickCompilerForAnAnalyzeOfAtMost8MegabytesAndNoPerfDataFile() throws Exception {
        jar();
        Path small = Files.write(dir.resolve("small.pcap"), new byte[24]);
        Path big = sparse("big.pcap", (8L << 20) + 1);
        String c1 = "-XX:TieredStopAtLevel=1";
        assertTrue(flags("analyze", small.toString(), "--version").contains(c1), "a small capture: C1 only");
        assertTrue(!flags("analyze", big.toString(), "--version").contains(c1), "over 8 MB: both compilers");
        assertTrue(!flags("analyze", "-", "--version").contains(c1), "standard input, size unknown: both compilers");
        assertTrue(!flags("peer", "--version").contains(c1), "a long-running command: both compilers");
        assertTrue(flags("--version").contains("-XX:-UsePerfData"), "no /tmp/hsperfdata file");
    }

    @Test
    void shouldSkipAJavaHomeOlderThan17AndFindANewerRuntime() throws Exception {
        Path home = fakeJava11(dir.resolve("jdk-11"));
        Proc direct = Proc.run(project(), List.of("java", "-jar", jar().toString(), "--version")).ok("java -jar");
        Proc launched = Proc.run(project(), Map.of("JAVA_HOME", home.toString()), List.of(launcher(), "--version"));
        assertEquals(0, launched.code(), launched.err());
        assertEquals(direct.out(), launched.out());
        assertTrue(!launched.err().contains("fake java"), launched.err());
    }

    /**
     * No Java 17 anywhere: a private mount namespace hides /usr/lib/jvm behind an empty tmpfs holding
     * only a Java 11, so java on the PATH (a link into /usr/lib/jvm) is gone too.
     */
    @Test
    void shouldSayInOneLineThatItNeedsJava17AndHowToInstallItWhenThereIsNone() throws Exception {
        Requirements.root();
        Requirements.commands("unshare", "mount");
        String script = "mount -t tmpfs wgdiag-test /usr/lib/jvm || exit 99\n"
                + "mkdir -p /usr/lib/jvm/jdk-11/bin\n"
                + "printf 'JAVA_VERSION=\"11.0.2\"\\n' > /usr/lib/jvm/jdk-11/release\n"
                + "printf '#!/bin/sh\\nexit 1\\n' > /usr/lib/jvm/jdk-11/bin/java\n"
                + "chmod 755 /usr/lib/jvm/jdk-11/bin/java\n"
                + "exec env -i PATH=/usr/bin:/bin WGDIAG_JAR=\"$1\" \"$2\" --version\n";
        Proc p = Proc.run(project(), new HashMap<>(), List.of("unshare", "--mount", "--propagation", "private",
                "sh", "-c", script, "sh", jar().toString(), launcher()));
        assertEquals(5, p.code(), "exit code (ExitCode.ENVIRONMENT): " + p.err());
        assertEquals("", p.out());
        assertEquals(List.of("wgdiag: needs a Java 17 or newer runtime (found only Java 11 at /usr/lib/jvm/jdk-11/bin/java);"
                + " install one with: sudo apt install default-jre-headless"), p.err().lines().toList());
    }

    // Class data sharing: the archive the first analyze run leaves in $XDG_CACHE_HOME/wgdiag, judged by
    // the JVM's own class-load log (-Xlog:class+load: "source: shared objects file (top)" for a class
    // mapped from the dynamic archive), the output against java -jar's with no archive at all.

    private static final String CAPTURE = "captures/handshake-ping.client.pcap";
    private static final String MAPPED = "dev.wgdiag.cli.Main source: shared objects file (top)";

    /** Runs the launcher on the small capture with this cache and the JVM's class-load log in {@code log}. */
    private Proc analyze(Path cache, Path log) {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("XDG_CACHE_HOME", cache.toString());
        env.put("WGDIAG_JAVA_OPTS", "-Xlog:class+load=info:file=" + log);
        env.remove("WGDIAG_CDS");
        return Proc.run(project(), env, List.of(launcher(), "analyze", CAPTURE));
    }

    private static List<Path> archives(Path cache) throws Exception {
        Path d = cache.resolve("wgdiag");
        if (!Files.isDirectory(d)) return List.of();
        try (var s = Files.list(d)) {
            return s.sorted().toList();
        }
    }

    private String withoutArchive() {
        return Proc.run(project(), List.of("java", "-Xshare:auto", "-jar", jar().toString(), "analyze", CAPTURE)).ok("java -jar").out();
    }

    @Test
    void shouldMakeTheClassArchiveOnTheFirstAnalyzeAndMapItOnTheNext() throws Exception {
        String expected = withoutArchive();
        Path cache = dir.resolve("cache");
        Proc first = analyze(cache, dir.resolve("first.log"));
        assertEquals(0, first.code(), first.err());
        assertEquals(expected, first.out());
        assertEquals("", first.err());
        List<Path> made = archives(cache);
        assertEquals(1, made.size(), made.toString());
        assertTrue(made.get(0).getFileName().toString().matches("wgdiag-\\d+-" + Files.size(made.get(0)) + "\\.jsa"), made.toString());
        assertTrue(!Files.readString(dir.resolve("first.log")).contains(MAPPED), "first run: nothing to map yet");

        Proc second = analyze(cache, dir.resolve("second.log"));
        assertEquals(expected, second.out());
        assertEquals("", second.err());
        assertTrue(Files.readString(dir.resolve("second.log")).contains(MAPPED), "second run maps the archive");
        assertEquals(made, archives(cache), "the archive is made once");
    }

    /** Another runtime than the one the launcher finds (a different feature version), or null. */
    private static Path otherJava() throws Exception {
        String ours = Files.readString(Path.of(System.getProperty("java.home"), "release"));
        try (var s = Files.list(Path.of("/usr/lib/jvm"))) {
            for (Path home : s.sorted().toList()) {
                Path release = home.resolve("release");
                if (Files.isExecutable(home.resolve("bin/java")) && Files.isRegularFile(release)
                        && !Files.readString(release).contains("JAVA_VERSION=\"" + Runtime.version().feature())) {
                    return home.resolve("bin/java");
                }
            }
        } catch (java.io.IOException e) {
            return null;
        }
        return null;
    }

    @Test
    void shouldGiveTheSameOutputWithoutMappingWhenTheArchiveIsCorruptOrFromAnotherJdk() throws Exception {
        String expected = withoutArchive();
        Path cache = dir.resolve("cache");
        assertEquals(0, analyze(cache, dir.resolve("make.log")).code());
        Path archive = archives(cache).get(0);
        byte[] good = Files.readAllBytes(archive);

        // Same size, so the launcher passes it to the JVM: its header is not an archive's.
        byte[] garbage = new byte[good.length];
        java.util.Arrays.fill(garbage, (byte) 0x5a);
        Files.write(archive, garbage);
        Proc p = analyze(cache, dir.resolve("garbage.log"));
        assertEquals(expected, p.out());
        assertEquals("", p.err());
        assertTrue(!Files.readString(dir.resolve("garbage.log")).contains(MAPPED), "a corrupt archive is not mapped");

        // Truncated (a JVM that maps one crashes): not passed to the JVM; the run makes a whole one again.
        Files.write(archive, java.util.Arrays.copyOf(good, good.length / 2));
        p = analyze(cache, dir.resolve("truncated.log"));
        assertEquals(expected, p.out());
        assertEquals("", p.err());
        assertTrue(!Files.readString(dir.resolve("truncated.log")).contains(MAPPED), "a truncated archive is not mapped");
        assertEquals(List.of(archive), archives(cache), "the truncated archive replaced by a whole one");
        assertEquals(good.length, Files.size(archive));

        // Made by another JDK, under the name this one's would have (its own size in it).
        Path other = otherJava();
        if (other == null) {
            Requirements.unmet("no second JDK under /usr/lib/jvm to make a foreign archive with");
            return;
        }
        Path foreign = dir.resolve("foreign.jsa");
        Proc.run(project(), List.of(other.toString(), "-XX:ArchiveClassesAtExit=" + foreign, "-Xlog:disable",
                "-jar", jar().toString(), "analyze", CAPTURE)).ok(other + " -XX:ArchiveClassesAtExit");
        Files.delete(archive);
        Path renamed = archive.resolveSibling(archive.getFileName().toString().replaceAll("-\\d+\\.jsa$", "-" + Files.size(foreign) + ".jsa"));
        Files.copy(foreign, renamed);
        p = analyze(cache, dir.resolve("foreign.log"));
        assertEquals(expected, p.out());
        assertEquals("", p.err());
        assertTrue(!Files.readString(dir.resolve("foreign.log")).contains(MAPPED), "another JDK's archive is not mapped");
    }

    @Test
    void shouldWriteNothingAndStillRunWhenTheCacheCannotBeMade() throws Exception {
        String expected = withoutArchive();
        Path notADir = Files.writeString(dir.resolve("cache"), "a file, so no directory can be made in it\n");
        Proc p = analyze(notADir, dir.resolve("load.log"));
        assertEquals(expected, p.out());
        assertEquals("", p.err());
        try (var s = Files.list(dir)) {
            assertEquals(List.of("cache", "load.log"), s.map(f -> f.getFileName().toString()).sorted().toList(), "nothing else written");
        }
    }
}
