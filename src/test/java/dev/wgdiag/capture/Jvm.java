package dev.wgdiag.capture;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Command lines that run wgdiag's capture command in a fresh JVM (for namespaces, signals, capabilities). */
final class Jvm {
    private Jvm() {
    }

    static String classPath() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp != null ? cp : System.getProperty("java.class.path");
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** {@code prefix... java [jvmArgs] -cp CP dev.wgdiag.cli.CaptureCommand args...} */
    static List<String> capture(List<String> prefix, List<String> jvmArgs, String... args) {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.add(java());
        cmd.addAll(jvmArgs);
        cmd.add("-cp");
        cmd.add(classPath());
        cmd.add("dev.wgdiag.cli.CaptureCommand");
        cmd.addAll(List.of(args));
        return cmd;
    }

    static boolean classPathUsable() {
        for (String e : classPath().split(File.pathSeparator)) {
            if (e.contains("pcap4j-core")) return true;
        }
        return false;
    }
}
