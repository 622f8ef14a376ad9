package dev.wgdiag.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wgdiag.config.WgConfig;
import dev.wgdiag.lab.LabTest;
import dev.wgdiag.testing.Requirements;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Causes 5 and 6 seen from one capture, made afresh: the run.sh of src/test/resources/noconnect/answers-lost
 * (answers dropped on the way back), blocked (initiations dropped before the server) and silent-wrong-port
 * (a wrong Endpoint port whose ICMP errors are dropped), each in a network namespace of its own
 * ({@code unshare -n}) with two reference peers. The truth is the break the script sets up and what each
 * peer counted on its own socket ("N datagrams sent, M received").
 */
@LabTest
class NoConnectOneCaptureLabTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path FIXTURES = Path.of("src/test/resources/noconnect");

    @TempDir
    Path dir;

    @Test
    void shouldLeaveFiveAndSixOpenFromThePhonesCaptureAndLetTheServersCaptureOrConfigDecide() throws Exception {
        Requirements.root();
        Requirements.commands("unshare", "nft", "tcpdump", "tshark");
        Path lost = run("answers-lost");
        Path blocked = run("blocked");
        Path silent = run("silent-wrong-port");

        // the peers' own counts: the server answered in answers-lost, received nothing in blocked
        assertTrue(Files.readString(lost.resolve("server.err")).matches("(?s).*[1-9]\\d* datagrams sent, [1-9]\\d* received.*"));
        assertTrue(Files.readString(blocked.resolve("server.err")).contains("0 datagrams sent, 0 received"));
        assertTrue(Files.readString(silent.resolve("server.err")).contains("0 datagrams sent, 0 received"));
        for (Path d : List.of(lost, blocked)) {
            assertTrue(Files.readString(d.resolve("phone.err")).contains(" 0 received"), d.toString());
            JsonNode alone = analyze(d.resolve("phone.pcapng"));
            assertEquals(List.of("NOT_ANSWERED"), causes(alone), d.toString());
            JsonNode keyed = analyze(d.resolve("phone.pcapng"), "--config", d.resolve("server.conf").toString(),
                    "--config", d.resolve("phone.conf").toString());
            assertEquals(List.of("ANSWERS_LOST", "UNREACHABLE"), JSON.convertValue(keyed.at("/noConnect/0/alternatives"),
                    JSON.getTypeFactory().constructCollectionType(List.class, String.class)), d.toString());
        }
        assertEquals(List.of("ANSWERS_LOST"), causes(analyze(lost.resolve("server.pcapng"), lost.resolve("phone.pcapng").toString())));
        assertEquals(List.of("UNREACHABLE"), causes(analyze(blocked.resolve("server.pcapng"), blocked.resolve("phone.pcapng").toString())));

        // no ICMP reached the capture; the server's config names the port
        assertTrue(Requirements.run("tshark", "-r", silent.resolve("lo.pcap").toString(), "-n", "-Y", "icmp", "-T", "fields",
                "-e", "frame.number").isBlank());
        assertEquals(List.of("NOT_ANSWERED"), causes(analyze(silent.resolve("lo.pcap"))));
        JsonNode r = analyze(silent.resolve("lo.pcap"), "--config", silent.resolve("server.conf").toString(),
                "--config", silent.resolve("phone.conf").toString());
        assertEquals(List.of("UNREACHABLE"), causes(r));
        int listenPort = WgConfig.parse(silent.resolve("server.conf")).iface().listenPort().orElseThrow();
        assertTrue(r.at("/noConnect/0/fix/value").asText().endsWith(":" + listenPort), r.toString());
    }

    /** Runs the fixture's run.sh afresh in a copy of its configs, in a private network namespace. */
    private Path run(String name) throws Exception {
        Path d = Files.createDirectory(dir.resolve(name));
        for (String f : List.of("run.sh", "server.conf", "phone.conf")) {
            Files.copy(FIXTURES.resolve(name).resolve(f), d.resolve(f));
            Files.setPosixFilePermissions(d.resolve(f), PosixFilePermissions.fromString("rw-------"));
        }
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path wrapper = d.resolve("wgdiag");
        Files.writeString(wrapper, "#!/bin/sh\nexec '" + java + "' -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp '" + cp
                + "' dev.wgdiag.cli.Main \"$@\"\n");
        Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwx------"));
        ProcessBuilder pb = new ProcessBuilder("unshare", "-n", "sh", "run.sh").directory(d.toFile()).redirectErrorStream(true)
                .redirectOutput(d.resolve("run.log").toFile());
        pb.environment().put("WGDIAG", wrapper.toString());
        Process p = pb.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroy); // ours only: the script's own children
            p.destroy();
            throw new AssertionError(name + ": run.sh did not end: " + Files.readString(d.resolve("run.log")));
        }
        return d;
    }

    private static JsonNode analyze(Path capture, String... more) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("analyze", capture.toString()));
        args.addAll(List.of(more));
        args.addAll(List.of("--format", "json"));
        CliRun run = CliRun.of(args.toArray(String[]::new));
        assertEquals(0, run.exitCode(), run.err());
        return JSON.readTree(run.out());
    }

    private static List<String> causes(JsonNode r) {
        List<String> c = new java.util.ArrayList<>();
        r.path("noConnect").forEach(f -> c.add(f.get("cause").asText()));
        return c;
    }
}
