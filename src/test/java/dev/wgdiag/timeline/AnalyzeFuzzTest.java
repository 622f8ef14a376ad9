package dev.wgdiag.timeline;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wgdiag.advice.Traffic;
import dev.wgdiag.advice.TrafficTap;
import dev.wgdiag.config.ConfigException;
import dev.wgdiag.config.WgConfig;
import dev.wgdiag.keys.KeyRing;
import dev.wgdiag.keys.PeerIdentifier;
import dev.wgdiag.pcap.CaptureException;
import dev.wgdiag.pcap.CaptureOptions;
import dev.wgdiag.pcap.FuzzReads;
import dev.wgdiag.pcap.CaptureStats;
import dev.wgdiag.pcap.IcmpError;
import dev.wgdiag.pcap.IcmpHandler;
import dev.wgdiag.pcap.SecretsHandler;
import dev.wgdiag.report.JsonReport;
import dev.wgdiag.report.PeersText;
import dev.wgdiag.report.Report;
import dev.wgdiag.report.TextReport;
import dev.wgdiag.testing.KeyLeaks;
import dev.wgdiag.testing.Requirements;
import dev.wgdiag.wire.Datagram;
import dev.wgdiag.wire.WgMessage;
import dev.wgdiag.wire.WgMessageHandler;
import dev.wgdiag.wire.WireGuardDecoder;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Coverage-guided fuzzing of the whole of {@code wgdiag analyze --config A --config B --decrypt} on
 * a fuzzed capture: reader, decoder, analysis, key identification and decryption (the configs of
 * the bundled handshake-ping captures, so seeds carry valid mac1s), advice, and the text and JSON
 * reports; and of the join of two captures, see docs/security.md.
 *
 * <p>An unreadable capture must end in a {@link CaptureException}; anything else thrown is a
 * finding, as is JSON that does not parse or a report showing a private key of the configs.
 */
class AnalyzeFuzzTest {
    private static final KeyRing RING;
    private static final List<String> SECRETS = new ArrayList<>();
    private static final ObjectMapper JSON = new ObjectMapper();

    static {
        KeyRing.Builder ring = KeyRing.builder();
        Path captures = Requirements.projectDir().resolve("captures");
        try {
            for (String side : List.of("server", "client")) {
                Path conf = captures.resolve("handshake-ping." + side + ".conf");
                ring.addConfig(WgConfig.parse(conf));
                String text = Files.readString(conf);
                text.lines().filter(l -> l.startsWith("PrivateKey")).forEach(l -> SECRETS.addAll(KeyLeaks.keysIn(l)));
            }
        } catch (ConfigException | IOException e) {
            throw new IllegalStateException(e);
        }
        RING = ring.build();
    }

    /** One capture: {@code wgdiag analyze CAPTURE}. */
    @FuzzTest(maxDuration = "10m")
    void analyzesAnyCapture(byte[] data) throws IOException {
        PeerIdentifier identifier = new PeerIdentifier(RING, true);
        Run a = read("fuzzed.pcap", data, identifier);
        if (a == null) return;
        report(a.analyzer.finish(), List.of(a.traffic.result()), identifier);
    }

    /**
     * Two captures of one tunnel: {@code wgdiag analyze A B}. Input: the length of A (2 bytes,
     * big-endian), A, then B.
     */
    @FuzzTest(maxDuration = "10m")
    void joinsAnyTwoCaptures(byte[] data) throws IOException {
        if (data.length < 2) return;
        int lengthA = Math.min(((data[0] & 0xff) << 8) | (data[1] & 0xff), data.length - 2);
        PeerIdentifier identifier = new PeerIdentifier(RING, true);
        identifier.startCapture("a.pcap");
        Run a = read("a.pcap", Arrays.copyOfRange(data, 2, 2 + lengthA), identifier);
        identifier.startCapture("b.pcap");
        Run b = read("b.pcap", Arrays.copyOfRange(data, 2 + lengthA, data.length), identifier);
        if (a == null || b == null) return;
        report(CaptureJoin.joined("a.pcap", a.analyzer, "b.pcap", b.analyzer),
                List.of(a.traffic.result(), b.traffic.result()), identifier);
    }

    private record Run(Analyzer analyzer, TrafficTap traffic, CaptureStats stats) {
    }

    /** Reads a capture as AnalyzeCommand does; null when it is unreadable (a one-line CaptureException). */
    private static Run read(String name, byte[] capture, PeerIdentifier identifier) {
        AnalyzerOptions options = AnalyzerOptions.builder().names(identifier::nameOf).build();
        Analyzer analyzer = new Analyzer(options).captureName(name);
        TrafficTap traffic = new TrafficTap();
        Tap tap = new Tap(analyzer, traffic, identifier);
        try {
            CaptureStats stats = FuzzReads.read(name, new ByteArrayInputStream(capture), new WireGuardDecoder(tap),
                    CaptureOptions.builder().icmpHandler(tap).secretsHandler(tap).build());
            return new Run(analyzer, traffic, stats);
        } catch (CaptureException e) {
            if (!e.getMessage().startsWith(name) || e.getMessage().indexOf('\n') >= 0) {
                throw new AssertionError("not one line naming the capture: " + e.getMessage());
            }
            return null;
        }
    }

    private static void report(Analysis analysis, List<Traffic> traffic, PeerIdentifier identifier) throws IOException {
        Report report = Report.of(analysis, traffic).withIdentification(identifier.result());
        StringWriter text = new StringWriter();
        PrintWriter pw = new PrintWriter(text);
        TextReport.write(report, pw);
        PeersText.write(report.identification(), pw);
        pw.flush();
        StringWriter json = new StringWriter();
        JsonReport.write(report, json);
        JSON.readTree(json.toString());
        KeyLeaks.assertNoLeak(SECRETS, text.toString(), "text report");
        KeyLeaks.assertNoLeak(SECRETS, json.toString(), "JSON report");
    }

    /** What AnalyzeCommand's read tap does: analysis first, then traffic counts and identification. */
    private record Tap(Analyzer analyzer, TrafficTap traffic, PeerIdentifier identifier)
            implements WgMessageHandler, IcmpHandler, SecretsHandler {
        @Override
        public void onMessage(Datagram d, WgMessage m) {
            analyzer.onMessage(d, m);
            traffic.onMessage(d, m);
            identifier.onMessage(d, m);
        }

        @Override
        public void onIcmpError(IcmpError error) {
            traffic.onIcmpError(error);
        }

        @Override
        public void onSecrets(int secretsType, byte[] data) {
            identifier.onSecrets(secretsType, data);
        }
    }
}
