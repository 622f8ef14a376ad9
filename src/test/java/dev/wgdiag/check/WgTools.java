package dev.wgdiag.check;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wgdiag.testing.Requirements;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * What wireguard-tools itself says about a config: {@code wg-quick strip} (wg-quick's own parse, its
 * file-name rule and world-accessible warning) and {@code wg setconf} on a device that does not
 * exist, which parses the whole config first and only then fails to reach the device: "Unable to
 * modify interface" means wg accepted every line, anything else is wg's reason for rejecting one.
 */
final class WgTools {
    /** A device name no test creates. */
    static final String NO_DEVICE = "wgdgnodev0";

    private WgTools() {
    }

    record Run(int code, String out, String err) {
    }

    static void require() {
        Requirements.root();
        Requirements.commands("wg", "wg-quick");
    }

    static Run run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).start();
            var err = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    return "";
                }
            });
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return new Run(p.waitFor(), out, err.join());
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Writes a config as {@code dir/name} readable by its owner only. */
    static Path write(Path dir, String name, String text) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, text);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        return f;
    }

    /** wg-quick strip FILE. */
    static Run strip(Path file) {
        return run(List.of("wg-quick", "strip", file.toString()));
    }

    /** wg setconf's verdict on what wg-quick strip passes to it: "" when wg accepts every line, else wg's reason. */
    static String wgRejects(Path dir, String text) throws IOException {
        Path f = write(dir, "wgdgt0.conf", text);
        Run stripped = strip(f);
        assertTrue(stripped.code() == 0, "wg-quick strip failed: " + stripped.err());
        Path s = write(dir, "stripped.conf", stripped.out());
        Run set = run(List.of("wg", "setconf", NO_DEVICE, s.toString()));
        assertTrue(set.code() != 0, "wg setconf cannot succeed on a missing device");
        return set.err().contains("Unable to modify interface") ? "" : set.err().strip();
    }
}
