package dev.wgdiag.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wgdiag.testing.Requirements;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The cookie path against wireguard-go: a flood of initiations with a valid mac1 (from the client's
 * namespace, through the NAT) puts wireguard-go under load; {@code wgdiag peer} on the client side
 * pings meanwhile. wireguard-go answers its initiation with a cookie reply, and wgdiag's next
 * initiation carries mac2 and completes the handshake while the flood goes on. Judged by tshark on
 * wgdiag's {@code -w} file (a cookie reply from the server, then an initiation with a non-zero mac2,
 * then a response), by wireguard-go's own log (it sent cookie replies), and by the ping replies.
 */
@LabTest
class PeerCookieLabTest {
    private static final String SCENARIO = "peer-interop";
    private static final int FLOOD_SECONDS = 25;

    @Test
    void shouldGetACookieReplyFromLoadedWireguardGoAndStillCompleteTheHandshakeWithMac2() throws Exception {
        String id = Lab.newId();
        Map<String, String> env = PeerLab.env(new PeerLab.Side("client", 4, false), PeerLab.peerScenarios());
        Path out = Lab.projectDir().resolve("target/lab-peer/cookie");
        Files.createDirectories(out);
        Path state = Path.of("/run/wglab", id);
        try {
            Lab.Result up = Lab.wglab(List.of("up", SCENARIO, "--id", id), env, Duration.ofMinutes(2));
            assertEquals(0, up.exitCode(), up.output());
            String serverPublicKey = Files.readString(state.resolve("server.pub")).strip();
            Process flood = new ProcessBuilder("ip", "netns", "exec", "wgl-" + id + "-cli", env.get("WGDIAG_JAVA"), "-Xmx64m", "-cp",
                    env.get("WGDIAG_CLASSPATH"), InitiationFlood.class.getName(), "198.51.100.2:51820", serverPublicKey,
                    Integer.toString(FLOOD_SECONDS)).redirectErrorStream(true).start();
            Thread.sleep(3000); // the queue fills: wireguard-go is under load
            Files.writeString(state.resolve("client.cmd"), "ping 10.0.0.1 20 1\n", StandardCharsets.US_ASCII);
            Path wgdiagOut = state.resolve("client.wgdiag.out");
            long deadline = System.nanoTime() + 45_000_000_000L;
            while (!Files.readString(wgdiagOut).contains("--- 10.0.0.1 ping statistics ---") && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertTrue(flood.waitFor(FLOOD_SECONDS + 30, TimeUnit.SECONDS), "the flood ends");
            String floodReport = new String(flood.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            System.out.println("cookie test flood: " + floodReport);
            stopWgdiag(state);
            for (String f : List.of("client.wgdiag.out", "client.wgdiag.err", "client.wgdiag.pcapng", "server.wglog")) {
                Files.copy(state.resolve(f), out.resolve(f), StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Lab.wglab(List.of("down", "--id", id), Duration.ofSeconds(60));
        }

        // wgdiag's own datagrams, as tshark reads them: type, source, non-zero mac2
        List<String[]> messages = new ArrayList<>();
        for (String line : Requirements.run("tshark", "-r", out.resolve("client.wgdiag.pcapng").toString(), "-n",
                "-o", "wg.dissect_packet:FALSE", "-Y", "wg", "-T", "fields", "-E", "separator=/t", "-e", "wg.type", "-e", "ip.src",
                "-e", "wg.mac2").split("\n")) {
            if (!line.isBlank()) messages.add(line.split("\t", -1));
        }
        int cookie = indexOf(messages, 0, m -> m[0].equals("3") && m[1].equals("198.51.100.2"));
        assertTrue(cookie >= 0, "a cookie reply from wireguard-go");
        int withMac2 = indexOf(messages, cookie, m -> m[0].equals("1") && m[1].equals("100.64.0.2") && !m[2].matches("0+"));
        assertTrue(withMac2 > cookie, "then an initiation carrying mac2");
        int response = indexOf(messages, withMac2, m -> m[0].equals("2") && m[1].equals("198.51.100.2"));
        assertTrue(response > withMac2, "then wireguard-go's response: the handshake completes under load");
        assertTrue(Files.readString(out.resolve("server.wglog")).contains("Sending cookie response for denied handshake message"),
                "wireguard-go says it was under load");
        String own = Files.readString(out.resolve("client.wgdiag.out"));
        assertTrue(own.contains("cookie reply received from 198.51.100.2:51820"), own);
        String stats = own.substring(own.indexOf("--- 10.0.0.1 ping statistics ---"));
        assertTrue(stats.matches("(?s).*20 packets transmitted, [1-9][0-9]* received.*"), stats);
    }

    private static int indexOf(List<String[]> messages, int from, java.util.function.Predicate<String[]> p) {
        for (int i = from; i < messages.size(); i++) {
            if (p.test(messages.get(i))) return i;
        }
        return -1;
    }

    /** SIGTERM to the lab's wgdiag process, then wait for it to finish its files (up to 30 s). */
    private static void stopWgdiag(Path state) throws IOException, InterruptedException {
        long pid = Long.parseLong(Files.readString(state.resolve("wgdiag-client.pid")).strip());
        ProcessHandle.of(pid).ifPresent(h -> {
            h.destroy();
            h.onExit().orTimeout(30, TimeUnit.SECONDS).join();
        });
    }
}
