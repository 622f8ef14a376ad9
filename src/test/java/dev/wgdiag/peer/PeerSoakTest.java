package dev.wgdiag.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 10's long run of the reference peer: {@link PeerSoak} in its own JVM (fixed 64 MB heap,
 * committed up front) for {@code -Dwgdiag.soak.seconds} of wall time (20 by default; 600 for the
 * ten-minute run in docs/security.md), hundreds of virtual hours of pings, rekeys, expiries and NAT
 * rebindings. The heap after a full collection stays flat, and the cores did what the protocol's
 * constants and the soak's schedule say they must, hour after hour.
 */
class PeerSoakTest {
    private static final double SECONDS = Double.parseDouble(System.getProperty("wgdiag.soak.seconds", "20"));

    @Test
    void shouldKeepTheHeapFlatOverHundredsOfVirtualHoursOfPingsRekeysExpiriesAndRebindings() throws Exception {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-Xms64m", "-Xmx64m", "-XX:+AlwaysPreTouch", "-cp", cp, PeerSoak.class.getName(),
                Double.toString(SECONDS)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor((long) SECONDS + 120, TimeUnit.SECONDS), "the soak ends");
        assertEquals(0, p.exitValue(), out);
        String closing = out.lines().filter(l -> l.startsWith("soak ")).findFirst().orElseThrow(() -> new AssertionError(out));
        System.out.println("peer " + closing);
        Map<String, Double> r = new HashMap<>();
        for (String kv : closing.substring(5).split(" ")) {
            String[] f = kv.split("=");
            r.put(f[0], Double.parseDouble(f[1]));
        }
        double hours = r.get("virtualHours");
        assertTrue(hours >= 100, "at least 100 virtual hours: " + closing);

        // the schedule's truth: one NAT rebinding per hour, plus the server learning the first endpoint
        assertEquals(hours + 1, r.get("endpointChanges"), closing);
        // every ping outside the silences answered (and no more replies than pings)
        double pings = r.get("pingsSent");
        assertTrue(r.get("replies") >= pings - r.get("pingsSentInSilence") && r.get("replies") <= pings, closing);
        // REKEY_AFTER_TIME = 120 s (whitepaper 6.1): with a ping every second the initiator rekeys at its
        // first send after 120 s, 3400 active seconds an hour; plus one new session after each silence
        int active = PeerSoak.HOUR - PeerSoak.SILENCE_SECONDS;
        double perHour = r.get("handshakesAnswered") / hours;
        assertTrue(perHour >= active / 121.0 && perHour <= active / 120.0 + 2, "handshakes per hour " + perHour + ": " + closing);

        // memory: the heap in use after a full collection, second half of the run
        double heapSlope = r.get("heapSlopeBytesPerHour");
        assertTrue(heapSlope < 64, "heap grows " + heapSlope + " bytes per virtual hour (one 64-byte object per hour would show): " + closing);
        assertTrue(r.get("heapMax") - r.get("heapFirst") < 256 * 1024, "heap after GC rose by more than 256 KB: " + closing);
        List<String> samples = out.lines().filter(l -> l.startsWith("sample ")).toList();
        assertEquals(r.get("samples").intValue(), samples.size(), "one line per sample");
    }
}
