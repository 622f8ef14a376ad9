package dev.wgdiag.lab;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension behind {@link LabTest}: checks once per JVM that the lab can run, then skips
 * (printing why) or, with CI=true, fails.
 */
public final class LabPrerequisites implements BeforeAllCallback, BeforeEachCallback {
    static final List<String> TOOLS = List.of(
            "wireguard-go", "wg", "nft", "tcpdump", "ip", "conntrack", "jq", "mergecap", "ping", "tshark", "bash");

    private static volatile Optional<String> missing;

    @Override
    public void beforeAll(ExtensionContext context) {
        require(context.getDisplayName());
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        require(context.getDisplayName());
    }

    /** Skips (or on CI fails) the calling test when the lab cannot run here. */
    public static void assumeLab() {
        require("lab");
    }

    private static void require(String what) {
        Optional<String> reason = missingReason();
        if (reason.isEmpty()) {
            return;
        }
        String message = what + ": lab not available: " + reason.get();
        if ("true".equals(System.getenv("CI"))) {
            Assertions.fail(message + " (CI=true, so a skipped lab test fails the build)");
        }
        System.err.println("SKIPPED " + message);
        Assumptions.abort(message);
    }

    /** Empty when the lab can run; otherwise what is missing. */
    static synchronized Optional<String> missingReason() {
        if (missing == null) {
            missing = probe();
        }
        return missing;
    }

    private static Optional<String> probe() {
        List<String> absent = new ArrayList<>();
        if (!System.getProperty("os.name", "").toLowerCase().contains("linux")) {
            return Optional.of("not Linux");
        }
        List<String> tools = new ArrayList<>(TOOLS);
        // -Dwgdiag.lab.extraTools=a,b: require more tools (also a way to try the skip / CI-failure path)
        for (String extra : System.getProperty("wgdiag.lab.extraTools", "").split(",")) {
            if (!extra.isBlank()) {
                tools.add(extra.strip());
            }
        }
        for (String tool : tools) {
            if (!onPath(tool)) {
                absent.add(tool);
            }
        }
        if (!absent.isEmpty()) {
            return Optional.of("not on PATH: " + String.join(", ", absent));
        }
        try {
            Lab.Result check = Lab.wglab(List.of("check"), java.time.Duration.ofSeconds(30));
            if (check.exitCode() != 0) {
                return Optional.of(check.output().strip());
            }
        } catch (RuntimeException e) {
            return Optional.of("wglab check failed: " + e.getMessage());
        }
        return Optional.empty();
    }

    private static boolean onPath(String tool) {
        String path = System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
        for (String dir : (path + ":/usr/sbin:/sbin").split(File.pathSeparator)) {
            Path p = Path.of(dir, tool);
            if (Files.isExecutable(p)) {
                return true;
            }
        }
        return false;
    }
}
