package dev.wgdiag.timeline;

import dev.wgdiag.pcap.CaptureReader;
import dev.wgdiag.testing.Requirements;
import dev.wgdiag.wire.WireGuardDecoder;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Analyzer#finish()} is a function of what the analyzer saw: asked again it answers the same,
 * and joining two captures (which reads both analyzers) changes neither analyzer's own answer; the
 * join's corrections show only in the joined result. Checked on every bundled lab scenario (both
 * capture points of real wireguard-go through a real Linux NAT).
 */
class FinishPurityTest {
    private static Analyzer read(Path capture) throws Exception {
        Analyzer a = new Analyzer().captureName(capture.toString());
        CaptureReader.read(capture.toString(), new WireGuardDecoder(a), null);
        return a;
    }

    @Test
    void shouldGiveTheSameResultTwiceAndBeforeAndAfterAJoin() throws Exception {
        Path dir = Requirements.projectDir().resolve("captures");
        List<Path> servers = new ArrayList<>();
        if (Files.isDirectory(dir)) {
            try (Stream<Path> s = Files.list(dir)) {
                s.filter(p -> p.getFileName().toString().endsWith(".server.pcap")).sorted().forEach(servers::add);
            }
        }
        if (servers.isEmpty()) Requirements.unmet("no lab captures in " + dir);
        int corrected = 0;
        for (Path server : servers) {
            Path client = server.resolveSibling(server.getFileName().toString().replace(".server.", ".client."));
            Analyzer a = read(server), b = read(client);
            Analysis aloneA = a.finish(), aloneB = b.finish();

            assertEquals(aloneA, a.finish(), server + ": finish() twice");
            Analysis joined = CaptureJoin.joined(server.toString(), a, client.toString(), b);
            assertEquals(joined, CaptureJoin.joined(server.toString(), a, client.toString(), b), server + ": the join twice");
            assertEquals(aloneA, a.finish(), server + ": finish() after the join read it");
            assertEquals(aloneB, b.finish(), client + ": finish() after the join read it");

            Analysis outsideAlone = joined.join().perCapture().get(0);
            if (!outsideAlone.tunnels().equals(joined.tunnels())) corrected++;
        }
        // not vacuous: some joins do correct the outside capture's findings (causes, gaps, loss)
        assertTrue(corrected > 0, "no scenario's join corrected anything");
        assertNotEquals(0, servers.size());
    }
}
