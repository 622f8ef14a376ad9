package dev.wgdiag.keys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wgdiag.config.WgConfig;
import dev.wgdiag.pcap.CaptureOptions;
import dev.wgdiag.pcap.CaptureReader;
import dev.wgdiag.testing.Requirements;
import dev.wgdiag.wire.WireGuardDecoder;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * On every bundled lab capture (real wireguard-go, keys made by the lab with {@code wg genkey}):
 * with only the public keys of the configs, mac1 names each handshake message's receiver as the lab
 * configured it; with the server's private key, wgdiag decrypts each initiation's static key and
 * timestamp exactly as tshark does given the same key (tshark's {@code wg.static} and
 * {@code wg.timestamp.value} with {@code LOCAL_STATIC_PRIVATE_KEY} in its keylog).
 */
class PeerIdentificationLabCaptureTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TestFactory
    Stream<DynamicTest> shouldAttributeEveryHandshakeAsTheLabConfiguredIt() throws IOException {
        List<Path> truths = new ArrayList<>();
        try (Stream<Path> s = Files.list(Requirements.projectDir().resolve("captures"))) {
            s.filter(p -> p.toString().endsWith(".truth.json")).sorted().forEach(truths::add);
        }
        assertFalse(truths.isEmpty(), "no lab captures in captures/");
        return truths.stream().map(t -> DynamicTest.dynamicTest(t.getFileName().toString(), () -> check(t)));
    }

    private static void check(Path truthFile) throws Exception {
        Requirements.commands("tshark");
        JsonNode truth = JSON.readTree(truthFile.toFile());
        Path dir = truthFile.getParent();
        String scenario = truth.get("scenario").asText();
        Path serverPcap = dir.resolve(truth.at("/files/server_pcap").asText());
        Path serverConf = dir.resolve(truth.at("/files/server_conf").asText());
        Path clientConf = dir.resolve(truth.at("/files/client_conf").asText());
        String serverKey = truth.at("/peers/server_public_key").asText();
        String clientKey = truth.at("/peers/client_public_key").asText();
        Set<String> serverAddresses = new HashSet<>();
        truth.at("/addresses/server").forEach(a -> serverAddresses.add(a.asText()));

        // Public keys only: the lab's public keys, as [Peer] entries of a config without [Interface] key.
        KeyRing publicOnly = KeyRing.builder()
                .addConfig(WgConfig.parse("server-public", new java.io.StringReader(
                        "# lab server\n[Peer]\nPublicKey = " + serverKey + "\n# lab client\n[Peer]\nPublicKey = " + clientKey + "\n")))
                .build();
        PeerIdentifier byMac1 = identify(serverPcap, publicOnly);
        List<Identification.HandshakeIdentity> hs = byMac1.result().handshakes();
        assertFalse(hs.isEmpty(), scenario + ": no handshake attributed");
        List<String[]> tshark = tsharkHandshakes(serverPcap, null);
        assertEquals(tshark.size(), hs.size(), scenario + ": every handshake message must be attributed");
        for (int i = 0; i < hs.size(); i++) {
            String[] t = tshark.get(i);
            boolean fromServer = serverAddresses.contains(t[2]);
            String expectedReceiver = fromServer ? "lab client" : "lab server";
            assertEquals(expectedReceiver, hs.get(i).to(), scenario + ": receiver of " + hs.get(i));
        }

        // Both private keys (from the lab's configs): decrypt every initiation, compare with tshark given the same keys.
        KeyRing withKeys = KeyRing.builder().addConfig(WgConfig.parse(serverConf)).addConfig(WgConfig.parse(clientConf)).build();
        List<Identification.HandshakeIdentity> decrypted = identify(serverPcap, withKeys).result().handshakes();
        List<String[]> tsharkDecrypted = tsharkHandshakes(serverPcap,
                PrivateKeyHolder.of(serverConf).keylogLine() + "\n" + PrivateKeyHolder.of(clientConf).keylogLine());
        assertEquals(tsharkDecrypted.size(), decrypted.size());
        int compared = 0;
        for (int i = 0; i < decrypted.size(); i++) {
            Identification.HandshakeIdentity h = decrypted.get(i);
            String[] t = tsharkDecrypted.get(i);
            if (!"initiation".equals(h.type())) {
                assertNull(h.timestamp(), "only initiations carry a timestamp");
                continue;
            }
            boolean fromServer = serverAddresses.contains(t[2]);
            // tshark: wg.static is the initiator's static public key, wg.timestamp.value its TAI64N time.
            assertEquals(fromServer ? serverKey : clientKey, t[3], "tshark names the lab's initiator key");
            assertEquals(stem(fromServer ? serverConf : clientConf), h.from(), scenario + ": initiator of " + h);
            assertEquals(stem(fromServer ? clientConf : serverConf), h.to(), scenario + ": responder of " + h);
            // wireguard-go tai64n.go encodes label = 2^62 + 10 + Unix seconds; tshark's wg.timestamp.value
            // shows label - 2^62 (the 10 s TAI offset kept), so the Unix time is tshark's minus 10 s.
            assertEquals(epoch(t[4]).subtract(BigDecimal.TEN), h.timestamp().seconds().stripTrailingZeros(),
                    scenario + ": initiation timestamp");
            // Peers and capture share one clock in the lab; timestamps are whitened to 2^24 ns
            // (wireguard-go noise-protocol.go), so they lie at most ~17 ms before the capture time.
            double lag = h.time().seconds().subtract(h.timestamp().seconds()).doubleValue();
            assertTrue(lag >= -0.001 && lag < 0.05, scenario + ": timestamp " + h.timestamp() + " vs capture " + h.time());
            assertEquals(Boolean.FALSE, h.replayed());
            compared++;
        }
        assertTrue(compared > 0, scenario + ": no initiation compared");
    }

    private static String stem(Path conf) {
        String n = conf.getFileName().toString();
        return n.substring(0, n.lastIndexOf('.'));
    }

    private static PeerIdentifier identify(Path pcap, KeyRing ring) throws Exception {
        PeerIdentifier id = new PeerIdentifier(ring, false);
        id.startCapture(pcap.toString());
        CaptureReader.read(pcap.toString(), new WireGuardDecoder(id), null, CaptureOptions.builder().secretsHandler(id).build());
        return id;
    }

    /** tshark's handshake messages: frame, type, source IP, initiator static key, timestamp (epoch). */
    private static List<String[]> tsharkHandshakes(Path pcap, String keylogLine) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("tshark", "-r", pcap.toString(), "-n", "-d", "udp.port==51820,wg",
                "-o", "udp.try_heuristic_first:TRUE", "-Y", "wg.type == 1 || wg.type == 2", "-T", "fields", "-E", "separator=/t",
                "-e", "frame.number", "-e", "wg.type", "-e", "ip.src", "-e", "wg.static", "-e", "frame.time_epoch",
                "-e", "ipv6.src"));
        if (keylogLine != null) {
            Path keylog = Files.createTempFile("wgdiag-keylog", ".txt");
            Files.writeString(keylog, keylogLine + "\n");
            keylog.toFile().deleteOnExit();
            cmd.addAll(List.of("-o", "wg.keylog_file:" + keylog, "-o", "wg.dissect_packet:TRUE"));
            cmd.set(cmd.indexOf("frame.time_epoch"), "wg.timestamp.value");
        }
        List<String[]> rows = new ArrayList<>();
        for (String line : Requirements.run(false, cmd.toArray(String[]::new)).split("\n")) {
            if (line.isBlank()) continue;
            String[] f = line.split("\t", -1);
            if (f[2].isEmpty()) f[2] = f[5];          // the source address, IPv4 or IPv6
            rows.add(f);
        }
        return rows;
    }

    /** tshark's absolute time text, e.g. {@code Nov 25, 2026 00:27:19.671088640 UTC}, as epoch seconds. */
    private static BigDecimal epoch(String text) {
        String t = text.strip().replaceAll("\\s+", " ");
        java.time.format.DateTimeFormatter f = java.time.format.DateTimeFormatter.ofPattern("MMM d, yyyy HH:mm:ss.SSSSSSSSS z", java.util.Locale.US);
        java.time.Instant i = java.time.ZonedDateTime.parse(t, f).toInstant();
        return new BigDecimal(i.getEpochSecond()).add(new BigDecimal(i.getNano()).movePointLeft(9)).stripTrailingZeros();
    }

    /** The lab's server private key, read from its config only to hand it to tshark in a keylog. */
    private record PrivateKeyHolder(String base64) {
        static PrivateKeyHolder of(Path conf) throws IOException {
            for (String l : Files.readAllLines(conf)) {
                if (l.strip().toLowerCase().startsWith("privatekey")) return new PrivateKeyHolder(l.substring(l.indexOf('=') + 1).strip());
            }
            throw new AssertionError(conf + " has no PrivateKey");
        }

        String keylogLine() {
            return "LOCAL_STATIC_PRIVATE_KEY = " + base64;
        }
    }
}
