package dev.wgdiag.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** What a lab run id left on the machine: namespaces, wireguard-go sockets, state, processes. */
final class LabLeftovers {
    private LabLeftovers() {
    }

    static List<String> of(String id) {
        List<String> found = new ArrayList<>();
        Lab.Result ns = runQuietly(List.of("ip", "netns", "list"));
        for (String line : ns.output().split("\n")) {
            if (line.startsWith("wgl-" + id + "-")) {
                found.add("namespace " + line.strip());
            }
        }
        for (String sock : List.of("wgc" + id, "wgs" + id)) {
            if (Files.exists(Path.of("/var/run/wireguard", sock + ".sock"))) {
                found.add("socket /var/run/wireguard/" + sock + ".sock");
            }
        }
        if (Files.exists(Path.of("/run/wglab", id))) {
            found.add("state directory /run/wglab/" + id);
        }
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                String cmdline;
                try {
                    cmdline = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8)
                            .replace('\0', ' ');
                } catch (IOException e) {
                    continue; // process ended meanwhile
                }
                if (cmdline.contains("wgc" + id + " ") || cmdline.contains("wgs" + id + " ")
                        || cmdline.contains("wgl-" + id + "-")) {
                    found.add("process " + p.getFileName() + ": " + cmdline.strip());
                }
            }
        } catch (IOException e) {
            found.add("cannot list /proc: " + e.getMessage());
        }
        return found;
    }

    private static Lab.Result runQuietly(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return new Lab.Result(p.waitFor(), out);
        } catch (IOException e) {
            return new Lab.Result(1, "");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Lab.Result(1, "");
        }
    }
}
