package dev.wgdiag.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wgdiag.crypto.PresharedKey;
import dev.wgdiag.crypto.PrivateKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Why it does not connect (issue 11), against tunnels broken on purpose: two reference peers
 * ({@code wgdiag peer}) over loopback, one config deliberately wrong, the client's own capture
 * ({@code -w}) analysed with the configs. The truth is the break we configured (and the server peer's
 * own count of what it answered), never wgdiag's analysis; a working tunnel gets none of the causes.
 */
class NoConnectPeerTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final PrivateKey phoneKey = PrivateKey.generate(RANDOM);
    private final PrivateKey serverKey = PrivateKey.generate(RANDOM);
    private final PrivateKey strangerKey = PrivateKey.generate(RANDOM);

    @Test
    void shouldNameTheClientsPeerPublicKeyWhenItIsNotTheServersKey() throws Exception {
        int port = freePort();
        Path server = write("server.conf", server(port, phoneKey, null));
        String phoneText = phone(port, strangerKey, null); // the client believes the server has the stranger's key
        Path phone = write("phone.conf", phoneText);
        Path pcap = run(server, phone, 1);

        JsonNode both = analyze(pcap, server, phone);
        assertEquals("WRONG_SERVER_KEY", both.at("/verdict/problems/0").asText(), both.toString());
        JsonNode f = both.at("/noConnect/0");
        assertEquals("WRONG_SERVER_KEY", f.get("cause").asText());
        assertEquals(phone.toString(), f.at("/fix/file").asText());
        assertEquals(lineOf(phoneText, "[Peer]"), f.at("/fix/line").asInt());
        assertEquals("PublicKey", f.at("/fix/attribute").asText());
        assertEquals(serverKey.publicKey().toBase64(), f.at("/fix/value").asText());
        assertEquals(strangerKey.publicKey().shortForm(), f.get("key").asText());

        // the server's config alone: the cause, the right key, and which config would say the line
        JsonNode serverOnly = analyze(pcap, server);
        assertEquals("WRONG_SERVER_KEY", serverOnly.at("/noConnect/0/cause").asText(), serverOnly.toString());
        assertEquals(serverKey.publicKey().toBase64(), serverOnly.at("/noConnect/0/fix/value").asText());
        assertTrue(serverOnly.at("/noConnect/0/fix/file").isNull());
        assertFalse(serverOnly.at("/noConnect/0/settledBy").isNull());
        assertNoCause(analyze(pcap), "without the server's key nothing tells mac1 is wrong");
    }

    @Test
    void shouldNameTheClientsKeyWhenTheServerHasNoPeerForIt() throws Exception {
        int port = freePort();
        String serverText = server(port, strangerKey, null); // the server knows someone else, not the phone
        Path server = write("server.conf", serverText);
        Path phone = write("phone.conf", phone(port, serverKey, null));
        Path pcap = run(server, phone, 1);

        JsonNode r = analyze(pcap, server, phone);
        assertEquals("UNKNOWN_PEER", r.at("/verdict/problems/0").asText(), r.toString());
        JsonNode f = r.at("/noConnect/0");
        assertEquals(phoneKey.publicKey().shortForm(), f.get("key").asText());
        assertEquals(server.toString(), f.at("/fix/file").asText());
        assertEquals("[Peer]", f.at("/fix/section").asText());
        assertEquals(phoneKey.publicKey().toBase64(), f.at("/fix/value").asText());
        assertEquals(1, r.at("/noConnect").size(), "mac1 was right: not a wrong server key");
        assertEquals(1, analyze(pcap, server).at("/noConnect").size(), "the server's private key alone settles it");
    }

    @Test
    void shouldNamePresharedKeysThatDifferWhenEveryAnswerGoesUnconfirmed() throws Exception {
        int port = freePort();
        Path server = write("server.conf", server(port, phoneKey, PresharedKey.generate(RANDOM)));
        Path phone = write("phone.conf", phone(port, serverKey, PresharedKey.generate(RANDOM)));
        Path pcap = run(server, phone, 7); // REKEY_TIMEOUT 5 s: a second initiation after the first answer is dropped

        for (JsonNode r : List.of(analyze(pcap, server, phone), analyze(pcap))) {
            assertEquals("PRESHARED_KEY_MISMATCH", r.at("/verdict/problems/0").asText(), r.toString());
            assertTrue(r.at("/noConnect/0/messages").asInt() >= 2);
            assertEquals("PresharedKey", r.at("/noConnect/0/fix/attribute").asText());
            assertEquals(1, r.at("/noConnect").size());
        }
    }

    @Test
    void shouldNameNoCauseWhenTheTunnelWorks() throws Exception {
        int port = freePort();
        PresharedKey psk = PresharedKey.generate(RANDOM);
        Path server = write("server.conf", server(port, phoneKey, psk));
        Path phone = write("phone.conf", phone(port, serverKey, psk));
        Path pcap = run(server, phone, 1);
        assertNoCause(analyze(pcap, server, phone), "a working tunnel");
        assertNoCause(analyze(pcap), "a working tunnel, no keys");
    }

    private static void assertNoCause(JsonNode r, String what) {
        assertTrue(r.at("/noConnect").isMissingNode(), what + ": " + r.at("/noConnect"));
        assertFalse(r.at("/verdict/sentence").asText().startsWith("Does not connect"), what);
    }

    /** The server for {@code seconds + 3} s, the phone pinging once and waiting {@code seconds}; the phone's capture. */
    private Path run(Path server, Path phone, int seconds) throws Exception {
        Path pcap = dir.resolve("phone.pcapng");
        CompletableFuture<CliRun> serverRun = CompletableFuture.supplyAsync(() -> CliRun.of("peer", server.toString(), "-d",
                (seconds + 3) + "s", "--no-status"));
        Thread.sleep(1000);
        CliRun run = CliRun.of("peer", phone.toString(), "--ping", "10.0.0.1", "-c", "1", "-W", Integer.toString(seconds),
                "-w", pcap.toString(), "--no-status");
        serverRun.join();
        assertTrue(Files.size(pcap) > 0, run.err());
        return pcap;
    }

    private JsonNode analyze(Path pcap, Path... configs) throws Exception {
        List<String> args = new ArrayList<>(List.of("analyze", pcap.toString(), "--format", "json"));
        for (Path c : configs) {
            args.add("--config");
            args.add(c.toString());
        }
        CliRun r = CliRun.of(args.toArray(String[]::new));
        assertEquals(0, r.exitCode(), r.err());
        return JSON.readTree(r.out());
    }

    private String server(int port, PrivateKey peer, PresharedKey psk) {
        return "[Interface]\nPrivateKey = " + serverKey.toBase64() + "\nListenPort = " + port + "\nAddress = 10.0.0.1/32\n\n"
                + "# phone\n[Peer]\nPublicKey = " + peer.publicKey().toBase64() + "\n"
                + (psk != null ? "PresharedKey = " + psk.toBase64() + "\n" : "") + "AllowedIPs = 10.0.0.2/32\n";
    }

    private String phone(int port, PrivateKey server, PresharedKey psk) {
        return "[Interface]\nPrivateKey = " + phoneKey.toBase64() + "\nAddress = 10.0.0.2/32\n\n"
                + "# home\n[Peer]\nPublicKey = " + server.publicKey().toBase64() + "\n"
                + (psk != null ? "PresharedKey = " + psk.toBase64() + "\n" : "")
                + "AllowedIPs = 10.0.0.0/24\nEndpoint = 127.0.0.1:" + port + "\n";
    }

    private static int lineOf(String text, String line) {
        return text.lines().toList().indexOf(line) + 1;
    }

    private Path write(String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
        return p;
    }

    private static int freePort() throws Exception {
        try (DatagramChannel c = DatagramChannel.open()) {
            c.bind(new InetSocketAddress(0));
            return ((InetSocketAddress) c.getLocalAddress()).getPort();
        }
    }
}
