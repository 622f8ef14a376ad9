package dev.wgdiag.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wgdiag.capture.PcapWriter;
import dev.wgdiag.crypto.HandshakeInitiator;
import dev.wgdiag.crypto.HandshakeResponder;
import dev.wgdiag.crypto.PresharedKey;
import dev.wgdiag.crypto.PrivateKey;
import dev.wgdiag.crypto.Tai64n;
import dev.wgdiag.crypto.TransportCipher;
import dev.wgdiag.crypto.TransportKeys;
import dev.wgdiag.testing.CaptureBytes;
import dev.wgdiag.testing.KeyLeaks;
import dev.wgdiag.testing.Requirements;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Private, preshared and session keys and decrypted payloads appear in no output, error or file of
 * any subcommand that reads them, unless asked for (issue 10 item 5, docs/security.md). A handshake
 * and pings made here with keys the test knows, every one of them (static, preshared, both
 * ephemerals, both session keys) is looked for, as base64, as any 20-character piece and as hex
 * ({@link KeyLeaks}), in stdout, stderr, -o, --html and --list output, text and JSON, on the success
 * and on the error paths.
 */
class SecretsEverywhereTest {
    private static final long T0 = 1_764_000_000_000_000_000L;
    private static final String PAYLOAD = "wgdiag-test-secret-payload";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** Keys of one handshake, made here. */
    private record Session(PrivateKey client, PrivateKey server, PresharedKey psk, PrivateKey clientEphemeral,
                           PrivateKey serverEphemeral, List<byte[]> frames, List<String> secrets) {
    }

    @Test
    void shouldKeepEveryKeyAndEveryDecryptedByteOutOfEveryAnalyzeOutput() throws Exception {
        Session s = session();
        Path client = conf("client.conf", s.client, s.server, s.psk);
        Path server = conf("server.conf", s.server, s.client, s.psk);
        Path keylog = secret("client.keylog", keylog(s));
        Path pcap = dir.resolve("tunnel.pcap");
        try (PcapWriter w = new PcapWriter(pcap, CaptureBytes.LINKTYPE_ETHERNET, 65535)) {
            long t = T0;
            for (byte[] f : s.frames) w.write(t += 100_000_000, f, 0, f.length, f.length);
        }
        Path pcapng = dir.resolve("tunnel-with-secrets.pcapng");
        ByteArrayOutputStream ng = new ByteArrayOutputStream();
        ng.writeBytes(CaptureBytes.shb());
        ng.writeBytes(CaptureBytes.idb(CaptureBytes.LINKTYPE_ETHERNET, 65535));
        ng.writeBytes(CaptureBytes.dsb(keylog(s)));                    // what editcap --inject-secrets writes
        long micros = T0 / 1000;
        for (byte[] f : s.frames) ng.writeBytes(CaptureBytes.epb(micros += 100_000, f));
        Files.write(pcapng, ng.toByteArray());
        String[] keys = {"--config", client.toString(), "--config", server.toString()};

        Map<String, CliRun> runs = new LinkedHashMap<>();
        runs.put("text", CliRun.of(cat(new String[]{"analyze", pcap.toString(), "--keylog", keylog.toString(), "--decrypt"}, keys)));
        runs.put("json", CliRun.of(cat(new String[]{"analyze", pcap.toString(), "--keylog", keylog.toString(), "--decrypt",
                "--format", "json", "-o", dir.resolve("report.json").toString(), "--html", dir.resolve("report.html").toString()}, keys)));
        runs.put("dsb", CliRun.of(cat(new String[]{"analyze", pcapng.toString(), "--decrypt", "--format", "json",
                "--html", dir.resolve("dsb.html").toString()}, keys)));
        runs.put("list", CliRun.of("analyze", "--list", pcap.toString()));
        runs.put("list json", CliRun.of("analyze", "--list", "--format", "json", pcapng.toString(), "-o", dir.resolve("list.jsonl").toString()));

        for (Map.Entry<String, CliRun> r : runs.entrySet()) {
            assertEquals(ExitCode.OK, r.getValue().exitCode(), r.getKey() + ": " + r.getValue().err());
            KeyLeaks.assertNoLeak(s.secrets, r.getValue().out() + r.getValue().err(), r.getKey());
            assertNoPayload(r.getValue().out() + r.getValue().err(), r.getKey());
        }
        // Not vacuous: the keys really opened the tunnel, from the keylog and from the capture's secrets block.
        assertEquals(6, JSON.readTree(dir.resolve("report.json").toFile()).at("/identification/decryption/messagesDecrypted").asLong());
        assertEquals(6, JSON.readTree(runs.get("dsb").out()).at("/identification/decryption/messagesDecrypted").asLong());
        Set<String> files = new TreeSet<>();
        try (Stream<Path> list = Files.list(dir)) {
            list.forEach(p -> files.add(p.getFileName().toString()));
        }
        assertEquals(new TreeSet<>(List.of("client.conf", "server.conf", "client.keylog", "tunnel.pcap", "tunnel-with-secrets.pcapng",
                "report.json", "report.html", "dsb.html", "list.jsonl")), files, "no temporary file is left behind");
        for (String f : List.of("report.json", "report.html", "dsb.html", "list.jsonl")) {
            String content = Files.readString(dir.resolve(f));
            KeyLeaks.assertNoLeak(s.secrets, content, f);
            assertNoPayload(content, f);
        }
    }

    @Test
    void shouldMaskKeysInEveryConfigErrorWhateverLineCarriesThem() throws Exception {
        PrivateKey key = PrivateKey.generate(new SecureRandom());
        PresharedKey psk = PresharedKey.generate(new SecureRandom());
        String k = key.toBase64();
        String typo = k.substring(0, 10) + (k.charAt(10) == 'A' ? 'B' : 'A') + k.substring(11, 43) + "=";
        // The 43rd character of a 32-byte key carries 4 bits and two zero bits (RFC 4648 3.5): the next
        // character of the alphabet sets one of those (its index is not a multiple of 4), a valid
        // base64 character ('A' ^ 1 would be '@', not base64 at all).
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        String notCanonical = k.substring(0, 42) + alphabet.charAt(alphabet.indexOf(k.charAt(42)) + 1) + "=";
        String peer = "[Peer]\nPublicKey = " + PrivateKey.generate(new SecureRandom()).publicKey().toBase64() + "\n";
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put("private key with a typo", "[Interface]\nPrivateKey = " + typo.substring(0, 43) + "==\n");
        bad.put("private key, last character not canonical", "[Interface]\nPrivateKey = " + notCanonical + "\n");
        bad.put("private key and more on its line", "[Interface]\nPrivateKey = " + k + " " + k + "\n");
        bad.put("private key in [Peer]", "[Interface]\nListenPort = 51820\n" + peer + "PrivateKey = " + k + "\n");
        bad.put("preshared key in [Interface]", "[Interface]\nPresharedKey = " + psk.toBase64() + "\n");
        bad.put("private key before any section", "PrivateKey = " + k + "\n[Interface]\n");
        bad.put("a bare key line", "[Interface]\n" + k + "\n");
        bad.put("a misspelt attribute", "[Interface]\nPrivatKey = " + k + "\n");
        bad.put("an unknown section holding a key", "[" + k + "]\n");
        List<String> secrets = List.of(k, psk.toBase64(), typo, notCanonical);
        Path capture = Requirements.projectDir().resolve("captures/handshake-ping.server.pcap");
        for (Map.Entry<String, String> b : bad.entrySet()) {
            Path conf = secret("wg0.conf", b.getValue());

            CliRun run = CliRun.of("analyze", capture.toString(), "--config", conf.toString());

            assertEquals(ExitCode.BAD_INPUT, run.exitCode(), b.getKey() + ": " + run.err());
            assertEquals(1, run.err().strip().lines().count(), b.getKey() + ": " + run.err());
            assertTrue(run.err().startsWith("wgdiag: " + conf + ":"), b.getKey() + ": " + run.err());
            KeyLeaks.assertNoLeak(secrets, run.out() + run.err(), b.getKey());
        }
    }

    @Test
    void shouldNotNamePeersByACommentedOutKey() throws Exception {
        Path captures = Requirements.projectDir().resolve("captures");
        String serverConf = Files.readString(captures.resolve("handshake-ping.server.conf"));
        String old = PrivateKey.generate(new SecureRandom()).toBase64();
        // the comment above [Peer] names the peer in reports; an old key commented out there must not
        Path conf = secret("server.conf", serverConf.replace("[Peer]", "# PrivateKey = " + old + "\n[Peer]"));
        assertTrue(Files.readString(conf).contains(old));

        CliRun run = CliRun.of("analyze", captures.resolve("handshake-ping.server.pcap").toString(), "--config", conf.toString(),
                "--format", "json");

        assertEquals(ExitCode.OK, run.exitCode(), run.err());
        KeyLeaks.assertNoLeak(List.of(old), run.out() + run.err(), "report");
        KeyLeaks.assertNoLeak(KeyLeaks.keysIn(serverConf.lines().filter(l -> l.startsWith("PrivateKey")).findFirst().orElseThrow()),
                run.out() + run.err(), "report");
    }

    @Test
    void shouldMaskKeysInEveryKeylogError() throws Exception {
        String k = PrivateKey.generate(new SecureRandom()).toBase64();
        List<String> bad = List.of(k + "\n", "LOCAL_STATIC_PRIVATE_KEY " + k + "\n", "PRESHARED_KEY = " + k + "\n",
                "LOCAL_STATIC_PRIVATE_KEY = " + k.substring(0, 42) + "==\n", "UNKNOWN_KEY = " + k + "\n",
                k.substring(0, 30) + " = " + k + "\n");
        Path capture = Requirements.projectDir().resolve("captures/handshake-ping.server.pcap");
        for (String text : bad) {
            Path keylog = secret("wg.keylog", text);

            CliRun run = CliRun.of("analyze", capture.toString(), "--keylog", keylog.toString());

            assertEquals(ExitCode.BAD_INPUT, run.exitCode(), text + run.err());
            assertEquals(1, run.err().strip().lines().count(), run.err());
            assertTrue(run.err().startsWith("wgdiag: " + keylog + ":"), run.err());
            KeyLeaks.assertNoLeak(List.of(k), run.out() + run.err(), text);
        }
    }

    @Test
    void shouldWarnOfAnUnreadableSecretsBlockWithoutQuotingIt() throws Exception {
        String k = PrivateKey.generate(new SecureRandom()).toBase64();
        Path f = dir.resolve("bad-secrets.pcapng");
        Files.write(f, CaptureBytes.concat(CaptureBytes.shb(), CaptureBytes.idb(CaptureBytes.LINKTYPE_ETHERNET, 65535),
                CaptureBytes.dsb("LOCAL_STATIC_PRIVATE_KEY: " + k + "\n"),
                CaptureBytes.epb(T0 / 1000, CaptureBytes.udp4(CaptureBytes.CLIENT, 40000, CaptureBytes.SERVER, 51820,
                        CaptureBytes.transport(1, 0, 32)))));
        Path conf = Requirements.projectDir().resolve("captures/handshake-ping.server.conf");

        CliRun run = CliRun.of("analyze", f.toString(), "--config", conf.toString(), "--format", "json");

        assertEquals(ExitCode.OK, run.exitCode(), run.err());
        assertTrue(run.err().contains("wgdiag: warning: 1 Decryption Secrets Blocks are not a WireGuard keylog wgdiag can read"),
                run.err());
        KeyLeaks.assertNoLeak(List.of(k), run.out() + run.err(), "analyze");
    }

    @Test
    void shouldNeverEchoThePrivateKeyPubkeyReads() {
        String k = PrivateKey.generate(new SecureRandom()).toBase64();
        for (String stdin : List.of(k + "\n", k + "trailing\n", k.substring(1) + "\n", k.substring(0, 43) + "A\n", "\n")) {
            CliRun run = CliRun.withStdin(stdin, "pubkey");

            KeyLeaks.assertNoLeak(List.of(k), run.out() + run.err(), "pubkey with " + stdin.length() + " characters");
        }
    }

    @Test
    void shouldWarnLikeWgGenkeyWhenTheKeyGoesToAFileOthersCanRead() throws Exception {
        Requirements.commands("wg", "sh");
        for (String command : List.of("genkey", "genpsk")) {
            for (String mode : List.of("rw-r--r--", "rw-------", "rw-r-----", "rw----r--", "rw------x")) {
                Path wgOut = Files.setPosixFilePermissions(Files.createFile(dir.resolve("wg-" + command + "-" + mode)),
                        PosixFilePermissions.fromString(mode));
                Path ours = Files.setPosixFilePermissions(Files.createFile(dir.resolve("wgdiag-" + command + "-" + mode)),
                        PosixFilePermissions.fromString(mode));
                String wgErr = Requirements.run("sh", "-c", "wg " + command + " 2>&1 >'" + wgOut + "'");

                Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                        classPath(), Main.class.getName(), command).redirectOutput(ours.toFile()).start();
                String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(p.waitFor(60, TimeUnit.SECONDS));

                assertEquals(0, p.exitValue(), err);
                assertEquals(wgErr.contains("world accessible"), err.contains("world accessible"),
                        command + " to a " + mode + " file: wg said '" + wgErr.strip() + "', wgdiag '" + err.strip() + "'");
                assertEquals(45, Files.readString(ours).length(), "the key is written anyway, as wg writes it");
                assertEquals(PosixFilePermissions.fromString(mode), Files.getPosixFilePermissions(ours), "permissions untouched");
            }
        }
    }

    // ------------------------------------------------------------------ helpers

    /** A handshake between two random peers with a preshared key, then three pings each way whose data is {@link #PAYLOAD}. */
    private static Session session() throws Exception {
        SecureRandom random = new SecureRandom();
        PrivateKey client = PrivateKey.generate(random), server = PrivateKey.generate(random);
        PrivateKey ei = PrivateKey.generate(random), er = PrivateKey.generate(random);
        PresharedKey psk = PresharedKey.generate(random);
        HandshakeInitiator initiator = new HandshakeInitiator(client, server.publicKey(), psk, () -> ei,
                () -> Tai64n.whitened(Instant.ofEpochSecond(T0 / 1_000_000_000L)));
        HandshakeResponder responder = new HandshakeResponder(server, k -> Optional.of(psk), () -> er);
        byte[] init = initiator.createInitiation(0x0a0b0c0d);
        HandshakeResponder.Response resp = responder.createResponse(responder.consumeInitiation(init, 0, init.length), 0x01020304, null);
        TransportKeys i = initiator.consumeResponse(resp.message(), 0, resp.message().length);
        TransportKeys r = resp.keys();
        List<byte[]> frames = new ArrayList<>();
        frames.add(CaptureBytes.udp4(CaptureBytes.CLIENT, 40000, CaptureBytes.SERVER, 51820, init));
        frames.add(CaptureBytes.udp4(CaptureBytes.SERVER, 51820, CaptureBytes.CLIENT, 40000, resp.message()));
        for (int seq = 0; seq < 3; seq++) {
            frames.add(CaptureBytes.udp4(CaptureBytes.CLIENT, 40000, CaptureBytes.SERVER, 51820,
                    i.sending().sealMessage(i.remoteIndex(), seq, echo(8, seq))));
            frames.add(CaptureBytes.udp4(CaptureBytes.SERVER, 51820, CaptureBytes.CLIENT, 40000,
                    r.sending().sealMessage(r.remoteIndex(), seq, echo(0, seq))));
        }
        List<String> secrets = List.of(client.toBase64(), server.toBase64(), psk.toBase64(), ei.toBase64(), er.toBase64(),
                sessionKey(i.sending()), sessionKey(i.receiving()));
        return new Session(client, server, psk, ei, er, frames, secrets);
    }

    /** A session key, base64, out of the cipher that hides it (the test must know what to look for). */
    private static String sessionKey(TransportCipher c) throws ReflectiveOperationException {
        Field f = TransportCipher.class.getDeclaredField("key");
        f.setAccessible(true);
        return Base64.getEncoder().encodeToString((byte[]) f.get(c));
    }

    /** IPv4 ICMP echo 10.0.0.2 -> 10.0.0.1 (request, type 8) or back (reply, type 0) carrying {@link #PAYLOAD}. */
    private static byte[] echo(int type, int seq) {
        byte[] data = PAYLOAD.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.allocate(28 + data.length);
        b.put((byte) 0x45).put((byte) 0).putShort((short) (28 + data.length)).putShort((short) seq).putShort((short) 0)
                .put((byte) 64).put((byte) 1).putShort((short) 0)
                .put(type == 8 ? new byte[]{10, 0, 0, 2} : new byte[]{10, 0, 0, 1})
                .put(type == 8 ? new byte[]{10, 0, 0, 1} : new byte[]{10, 0, 0, 2});
        b.put((byte) type).put((byte) 0).putShort((short) 0).putShort((short) 0x77).putShort((short) seq).put(data);
        return b.array();
    }

    private static String keylog(Session s) {
        return "LOCAL_STATIC_PRIVATE_KEY = " + s.client.toBase64() + "\nREMOTE_STATIC_PUBLIC_KEY = " + s.server.publicKey().toBase64()
                + "\nLOCAL_EPHEMERAL_PRIVATE_KEY = " + s.clientEphemeral.toBase64() + "\nPRESHARED_KEY = " + s.psk.toBase64() + "\n";
    }

    private Path conf(String name, PrivateKey self, PrivateKey other, PresharedKey psk) throws Exception {
        return secret(name, "[Interface]\nPrivateKey = " + self.toBase64() + "\nListenPort = 51820\n\n[Peer]\nPublicKey = "
                + other.publicKey().toBase64() + "\nPresharedKey = " + psk.toBase64() + "\nAllowedIPs = 10.0.0.0/24\n");
    }

    /** A file only its owner can read, as key files should be. */
    private Path secret(String name, String content) throws Exception {
        Path p = dir.resolve(name);
        Files.deleteIfExists(p);
        Files.createFile(p, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        return Files.writeString(p, content);
    }

    private static void assertNoPayload(String text, String where) {
        assertFalse(text.contains(PAYLOAD), where + " shows decrypted payload");
        assertFalse(text.toLowerCase().contains(HexFormat.of().formatHex(PAYLOAD.getBytes(StandardCharsets.US_ASCII)).substring(0, 32)),
                where + " shows decrypted payload as hex");
    }

    private static String[] cat(String[] a, String[] b) {
        String[] r = new String[a.length + b.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    private static String classPath() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp != null ? cp : System.getProperty("java.class.path");
    }

}
