package dev.wgdiag.timeline;

import dev.wgdiag.report.AdviceWords;
import dev.wgdiag.config.Attribute;
import dev.wgdiag.net.Endpoint;
import dev.wgdiag.advice.Advice;
import dev.wgdiag.advice.Advisor;
import dev.wgdiag.advice.Confidence;
import dev.wgdiag.advice.Recommendation;
import dev.wgdiag.analysis.CaptureAnalysis;
import dev.wgdiag.testing.Requirements;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A corpus nobody here wrote: WireGuard captures from Wireshark's and nDPI's test suites
 * (captures/corpus, sources and licences in captures/README.md). For each, what an expert reads from
 * tshark's decode (written down per test, with the frames it rests on; times and counters are read
 * from tshark at run time), and wgdiag must read the same. That wgdiag decodes exactly the messages
 * tshark decodes is TsharkAgreementTest's part (it walks captures/ including captures/corpus).
 */
class CorpusReadingTest {
    private static final Path CORPUS = Requirements.projectDir().resolve("captures/corpus");

    private static Analysis analyze(String file) throws Exception {
        return CaptureAnalysis.analyze(List.of(CORPUS.resolve(file).toString()), AnalyzerOptions.defaults());
    }

    /** frame.time_epoch of one frame, as tshark prints it. */
    private static BigDecimal time(String file, int frame) {
        Requirements.commands("tshark");
        return new BigDecimal(Requirements.run("tshark", "-n", "-r", CORPUS.resolve(file).toString(), "-Y", "frame.number == " + frame,
                "-T", "fields", "-e", "frame.time_epoch").strip());
    }

    private static double seconds(BigDecimal from, BigDecimal to) {
        return to.subtract(from).doubleValue();
    }

    private static Peer at(Tunnel t, String endpoint) {
        return t.peers().stream().filter(p -> p.endpoints().contains(Endpoint.parse(endpoint))).findFirst()
                .orElseThrow(() -> new AssertionError("no peer at " + endpoint + ": " + t.peers()));
    }

    private static long missing(Tunnel t) {
        return t.lossTotals().stream().mapToLong(Loss::missing).sum();
    }

    /**
     * Wireshark test/captures/wireguard-ping-tcp-dsb.pcapng, read with tshark (it decrypts with the
     * file's Decryption Secrets Block): 10.9.0.1:43462 initiates (frame 1) to 10.9.0.2:51820, answered
     * (frame 2); three pings from 10.10.0.2 answered (3-8); frame 9 is a 32-byte keepalive from 10.9.0.1
     * about 10 s after the last reply it received: passive (KEEPALIVE_TIMEOUT). 128 s of silence, then
     * 10.9.0.2 sends DNS queries on the old session (10, 11), 10.9.0.1 answers (12) and, its keypair
     * now older than REKEY_AFTER_TIME, initiates again (13): a rekey by the same initiator, not a swap,
     * answered (14); frame 16 is its keepalive with counter 0 on the new session: the handshake
     * confirmation. Counters run without gaps in all four directions. Both peers sit in 10.9.0.0/24:
     * nothing shows a NAT.
     */
    @Test
    void shouldReadWiresharksPingTcpCaptureAsTsharkShowsIt() throws Exception {
        String f = "wireshark-wireguard-ping-tcp-dsb.pcapng";
        Analysis a = analyze(f);
        assertEquals(1, a.tunnels().size());
        Tunnel t = a.tunnels().get(0);
        Peer client = at(t, "10.9.0.1:43462"), server = at(t, "10.9.0.2:51820");
        assertEquals(Role.CLIENT, client.role(), "no NAT shows: " + client);
        assertEquals(Role.SERVER, server.role());
        assertEquals(List.of(HandshakeTrigger.INITIAL, HandshakeTrigger.REKEY), t.handshakes().stream().map(Handshake::trigger).toList());
        assertTrue(t.handshakes().stream().allMatch(h -> h.responded() && h.initiator().equals(client.id())), t.handshakes().toString());
        assertEquals(seconds(time(f, 1), time(f, 2)), t.handshakes().get(0).rttSeconds(), 1e-6);
        assertEquals(seconds(time(f, 13), time(f, 14)), t.handshakes().get(1).rttSeconds(), 1e-6);
        assertEquals(List.of(), t.initiatorSwaps());
        KeepaliveStats k = t.keepalives().stream().filter(x -> x.peer().equals(client.id())).findFirst().orElseThrow();
        assertEquals(1, k.passive(), k.toString());
        assertEquals(1, k.confirmation(), k.toString());
        assertEquals(List.of(), t.endpointChanges());
        assertEquals(0, missing(t));
        Advice advice = Advisor.advise(a);
        assertTrue(advice.verdict().stable(), AdviceWords.verdict(advice.verdict()));
        assertTrue(advice.tunnels().get(0).recommendations().isEmpty(), advice.toString());
    }

    /**
     * nDPI tests/cfgs/default/pcap/wireguard.pcap: frames 1-22 are the Wireshark capture above
     * (2018-07-20), frames 23-52 another tunnel a year later (2019-07-24): 192.168.0.14:36116, a private
     * address, and 139.162.192.157:51820, in the middle of a session (counters from 107 and 112, no
     * handshake). Two traces glued: a hole between frames 22 and 23, the first part reads as above, the
     * second as a client behind a NAT talking to a public server, without loss.
     */
    @Test
    void shouldSeeNdpisWireguardCaptureAsTwoTracesGluedTogether() throws Exception {
        String f = "ndpi-wireguard.pcap";
        Analysis a = analyze(f);
        assertEquals(1, a.summary().holes().size());
        Hole h = a.summary().holes().get(0);
        assertEquals(0, time(f, 22).compareTo(h.from().seconds()), h.toString());
        assertEquals(0, time(f, 23).compareTo(h.to().seconds()), h.toString());
        assertEquals(2, a.tunnels().size());
        assertEquals(analyze("wireshark-wireguard-ping-tcp-dsb.pcapng").tunnels().get(0), a.tunnels().get(0),
                "the first episode reads exactly as the Wireshark capture it is");
        Tunnel t = a.tunnels().get(1);
        assertEquals(2, t.episode());
        assertEquals(Role.NAT_CLIENT, at(t, "192.168.0.14:36116").role());
        assertEquals(Role.SERVER, at(t, "139.162.192.157:51820").role());
        assertEquals(List.of(), t.handshakes());
        assertEquals(0, missing(t));
        String verdict = AdviceWords.verdict(Advisor.advise(a).verdict());
        assertTrue(verdict.contains("The capture has a hole"), verdict);
        double captured = seconds(time(f, 1), time(f, 22)) + seconds(time(f, 23), time(f, 52));
        assertTrue(verdict.contains("no loss over " + String.format(java.util.Locale.ROOT, "%.1f", captured) + " s of capture"),
                "only the captured time counts, not the year between: " + verdict);
        assertTrue(verdict.contains("nothing for " + Math.round(seconds(time(f, 22), time(f, 23)) / 86400) + " days"), verdict);
    }

    /**
     * nDPI mullvad_wireguard.pcap: ten transport messages, no handshake, between 192.168.122.11:22595
     * (a private address) and the Mullvad relay 198.54.131.98 on UDP 5060; counters 19-24 one way and
     * 15-18 the other, no gap. A client behind a NAT, mid-session, nothing lost; a pause under a second
     * tests no NAT timer.
     */
    @Test
    void shouldReadNdpisMullvadCaptureAsAClientBehindANatMidSession() throws Exception {
        Analysis a = analyze("ndpi-mullvad_wireguard.pcap");
        Tunnel t = a.tunnels().get(0);
        Peer client = at(t, "192.168.122.11:22595");
        assertEquals(Role.NAT_CLIENT, client.role());
        assertNotNull(client.roleConfidence());
        assertEquals(Role.SERVER, at(t, "198.54.131.98:5060").role());
        assertEquals(List.of(), t.handshakes());
        assertEquals(0, missing(t));
        assertFalse(t.natMappingTimeout().observed());
        String verdict = AdviceWords.verdict(Advisor.advise(a).verdict());
        assertTrue(verdict.startsWith("Stable: no handshake in the capture"), verdict);
    }

    /**
     * nDPI protonvpn.pcap: 10.0.2.15:57701 (VirtualBox's NAT network) initiates to 217.23.3.76 on UDP 443
     * (frame 27), answered (frame 28), confirms with a 32-byte keepalive, counter 0 (29); data both ways,
     * counters 0-7 and 0-3 without a gap.
     */
    @Test
    void shouldReadNdpisProtonVpnCaptureAsAnAnsweredHandshakeOnPort443() throws Exception {
        String f = "ndpi-protonvpn.pcap";
        Analysis a = analyze(f);
        Tunnel t = a.tunnels().get(0);
        Peer client = at(t, "10.0.2.15:57701");
        assertEquals(Role.NAT_CLIENT, client.role());
        assertEquals(Role.SERVER, at(t, "217.23.3.76:443").role());
        assertEquals(1, t.handshakes().size());
        Handshake hs = t.handshakes().get(0);
        assertEquals(client.id(), hs.initiator());
        assertEquals(seconds(time(f, 27), time(f, 28)), hs.rttSeconds(), 1e-6);
        assertEquals(1, t.keepalives().stream().filter(x -> x.peer().equals(client.id())).findFirst().orElseThrow().confirmation());
        assertEquals(0, missing(t));
        Advice advice = Advisor.advise(a);
        Recommendation k = advice.tunnels().get(0).recommendations().stream()
                .filter(r -> r.setting() == Attribute.PERSISTENT_KEEPALIVE).findFirst().orElseThrow();
        assertEquals(Confidence.LOW, k.confidence(), "a 0.1 s capture bounds no NAT timer: " + k);
    }

    /**
     * nDPI tunnelbear.pcap: TunnelBear's first two messages from 10.0.2.15:57636 and 142.93.78.79:51820
     * carry WireGuard types 1 and 2 but are 204 and 100 bytes long, not 148 and 92: not WireGuard as
     * the whitepaper defines it, and tshark does not decode them. After them only the client's transport
     * is captured: receiver 0x001aca02, the sender index of the server's 100-byte reply, counters 0-9.
     */
    @Test
    void shouldReadNdpisTunnelBearCaptureAsOneWayTransportAfterItsOddHandshake() throws Exception {
        Analysis a = analyze("ndpi-tunnelbear.pcap");
        assertEquals(1, a.tunnels().size());
        Tunnel t = a.tunnels().get(0);
        Peer client = at(t, "10.0.2.15:57636");
        assertEquals(Role.NAT_CLIENT, client.role());
        assertEquals(List.of(), t.handshakes(), "the 204- and 100-byte messages are not WireGuard handshakes");
        assertEquals(1, t.lossTotals().size(), "one direction only: " + t.lossTotals());
        Loss l = t.lossTotals().get(0);
        assertEquals(client.id(), l.from());
        assertEquals(10, l.sent());
        assertEquals(0, l.missing());
        assertEquals("0x001aca02", t.loss().get(0).receiverIndex().toString());
    }
}
