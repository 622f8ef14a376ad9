package dev.wgdiag.capture;

import dev.wgdiag.testing.Requirements;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** tshark's reading of a capture: the independent truth for these tests. */
final class Tools {
    private Tools() {
    }

    /** Result of a process: exit code, stdout, stderr. */
    record Run(int code, String out, String err) {
    }

    static Run exec(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).start();
            var errBuf = new java.io.ByteArrayOutputStream();
            Thread t = new Thread(() -> {
                try {
                    p.getErrorStream().transferTo(errBuf);
                } catch (IOException ignored) {
                    // process gone
                }
            });
            t.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int code = p.waitFor();
            t.join();
            return new Run(code, out, errBuf.toString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /**
     * tshark's WireGuard message list of a capture: one line per message, tab-separated
     * epoch time (ns), type, sender, receiver, counter. Fails if tshark reports any problem.
     */
    /** tshark's stderr without its note about running as root. */
    static String problems(Run r) {
        StringBuilder b = new StringBuilder();
        for (String l : r.err().split("\n")) {
            if (!l.isBlank() && !l.startsWith("Running as user")) b.append(l).append(' ');
        }
        return b.toString().trim();
    }

    static List<String> wgMessages(Path file, int... ports) {
        Requirements.commands("tshark");
        List<String> cmd = new ArrayList<>(List.of("tshark", "-n", "-r", file.toString(),
                "-o", "udp.try_heuristic_first:TRUE"));
        for (int port : ports) {
            cmd.add("-d");
            cmd.add("udp.port==" + port + ",wg");
        }
        cmd.addAll(List.of("-Y", "wg && !icmp", "-T", "fields", "-e", "frame.time_epoch", "-e", "wg.type",
                "-e", "wg.sender", "-e", "wg.receiver", "-e", "wg.counter"));
        Run r = exec(cmd);
        if (r.code() != 0 || !problems(r).isEmpty()) {
            throw new AssertionError("tshark could not read " + file + " cleanly (exit " + r.code() + "): " + problems(r));
        }
        List<String> lines = new ArrayList<>();
        for (String l : r.out().split("\n")) if (!l.isBlank()) lines.add(l);
        return lines;
    }

    /** Frames tshark counts in a capture, failing on any read problem. */
    static int frames(Path file) {
        Run r = exec(List.of("tshark", "-n", "-r", file.toString(), "-T", "fields", "-e", "frame.number"));
        if (r.code() != 0 || !problems(r).isEmpty()) {
            throw new AssertionError("tshark could not read " + file + " cleanly (exit " + r.code() + "): " + problems(r));
        }
        return (int) r.out().lines().filter(l -> !l.isBlank()).count();
    }
}
