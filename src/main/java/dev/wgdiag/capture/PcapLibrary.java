package dev.wgdiag.capture;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds libpcap for pcap4j without a -dev package, and keeps pcap4j's logging quiet.
 *
 * <p>pcap4j loads the library named by the system property {@value #LIB_PROPERTY} (default
 * {@code "pcap"}, i.e. {@code libpcap.so}). Debian and Ubuntu install only {@code libpcap.so.0.8}
 * (package libpcap0.8); {@code libpcap.so} comes with libpcap0.8-dev. JNA 5 usually finds the
 * versioned file by itself, but not everywhere, so when the property is unset and no
 * {@code libpcap.so} exists, {@link #prepare()} sets it to the full path of the newest
 * {@code libpcap.so.N} in the usual library directories. A user can always set it:
 * {@code java -Dorg.pcap4j.core.pcapLibName=/path/to/libpcap.so.1 ...}.
 */
public final class PcapLibrary {
    public static final String LIB_PROPERTY = "org.pcap4j.core.pcapLibName";
    static final String INSTALL_HINT = "install libpcap: apt install libpcap0.8 (Debian/Ubuntu), "
            + "dnf install libpcap (Fedora), apk add libpcap (Alpine); or point -D" + LIB_PROPERTY
            + "=/path/to/libpcap.so.N at it";

    private static final String[] DIRS = {
            "/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu",
            "/lib/aarch64-linux-gnu", "/usr/lib64", "/lib64", "/usr/lib", "/lib", "/usr/local/lib"};

    private static volatile boolean prepared;

    private PcapLibrary() {
    }

    /** Call before the first use of any pcap4j class. Idempotent. */
    public static synchronized void prepare() {
        if (prepared) return;
        prepared = true;
        if (System.getProperty("org.slf4j.simpleLogger.log.org.pcap4j") == null) {
            System.setProperty("org.slf4j.simpleLogger.log.org.pcap4j", "warn");
        }
        if (System.getProperty(LIB_PROPERTY) != null || !System.getProperty("os.name", "").startsWith("Linux")) {
            return;
        }
        List<Path> dirs = new ArrayList<>();
        for (String d : DIRS) dirs.add(Path.of(d));
        Path found = locate(dirs);
        if (found != null && !found.getFileName().toString().equals("libpcap.so")) {
            System.setProperty(LIB_PROPERTY, found.toString());
        }
    }

    /** {@code libpcap.so} if present in one of the dirs, else the newest {@code libpcap.so.N...}, else null. */
    static Path locate(List<Path> dirs) {
        Path best = null;
        for (Path dir : dirs) {
            Path plain = dir.resolve("libpcap.so");
            if (Files.exists(plain)) return plain;
            if (!Files.isDirectory(dir)) continue;
            try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "libpcap.so.*")) {
                for (Path p : s) {
                    if (best == null || compareVersions(p.getFileName().toString(), best.getFileName().toString()) > 0) {
                        best = p;
                    }
                }
            } catch (IOException ignored) {
                // unreadable directory: look elsewhere
            }
        }
        return best;
    }

    /** Compares "libpcap.so.1.10.3" and "libpcap.so.0.8" by their numeric parts. */
    static int compareVersions(String a, String b) {
        String[] x = a.substring("libpcap.so.".length()).split("\\.");
        String[] y = b.substring("libpcap.so.".length()).split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            int c = Integer.compare(num(x, i), num(y, i));
            if (c != 0) return c;
        }
        return 0;
    }

    private static int num(String[] parts, int i) {
        if (i >= parts.length) return -1;
        try {
            return Integer.parseInt(parts[i]);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The one-line error for a library that would not load. */
    static CaptureSetupException missing(Throwable cause) {
        String lib = System.getProperty(LIB_PROPERTY, "libpcap");
        return new CaptureSetupException(CaptureSetupException.Kind.LIBPCAP_MISSING,
                "cannot load " + lib + " for live capture; " + INSTALL_HINT, cause);
    }
}
