package dev.wgdiag.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wgdiag.config.PeerSection;
import dev.wgdiag.config.WgConfig;
import dev.wgdiag.crypto.PublicKey;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bundled captures of tunnels that do not connect (src/test/resources/noconnect, made with the
 * reference peer, see its README): each break is first checked in the configs themselves, then the
 * verdict must name it and no other cause.
 */
class NoConnectFixturesTest {
    private static final Path DIR = Path.of("src/test/resources/noconnect");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void shouldNameTheWrongServerKeyInTheBundledCapture() throws Exception {
        Path d = DIR.resolve("wrong-server-key");
        WgConfig server = WgConfig.parse(d.resolve("server.conf"));
        WgConfig phone = WgConfig.parse(d.resolve("phone.conf"));
        PublicKey serverKey = server.iface().privateKey().orElseThrow().publicKey();
        PeerSection home = phone.peers().get(0);
        assertNotEquals(serverKey, home.publicKey(), "the break: phone.conf's [Peer] is not the server");

        JsonNode r = analyze(d, "server.conf", "phone.conf");
        assertEquals(List.of("WRONG_SERVER_KEY"), causes(r));
        assertEquals(d.resolve("phone.conf").toString(), r.at("/noConnect/0/fix/file").asText());
        assertEquals(home.line(), r.at("/noConnect/0/fix/line").asInt());
        assertEquals(serverKey.toBase64(), r.at("/noConnect/0/fix/value").asText());
    }

    @Test
    void shouldNameThePhonesKeyTheServerLacksInTheBundledCapture() throws Exception {
        Path d = DIR.resolve("unknown-peer");
        WgConfig server = WgConfig.parse(d.resolve("server.conf"));
        PublicKey phoneKey = WgConfig.parse(d.resolve("phone.conf")).iface().privateKey().orElseThrow().publicKey();
        assertTrue(server.peers().stream().noneMatch(p -> p.publicKey().equals(phoneKey)), "the break: no [Peer] for the phone");

        JsonNode r = analyze(d, "server.conf");
        assertEquals(List.of("UNKNOWN_PEER"), causes(r));
        assertEquals(phoneKey.shortForm(), r.at("/noConnect/0/key").asText());
        assertEquals(d.resolve("server.conf").toString(), r.at("/noConnect/0/fix/file").asText());
    }

    @Test
    void shouldNameDifferentPresharedKeysInTheBundledCapture() throws Exception {
        Path d = DIR.resolve("psk-mismatch");
        assertNotEquals(WgConfig.parse(d.resolve("server.conf")).peers().get(0).presharedKey(),
                WgConfig.parse(d.resolve("phone.conf")).peers().get(0).presharedKey(), "the break: the PSKs differ");

        assertEquals(List.of("PRESHARED_KEY_MISMATCH"), causes(analyze(d)));
        assertEquals(List.of("PRESHARED_KEY_MISMATCH"), causes(analyze(d, "server.conf", "phone.conf")));
    }

    @Test
    void shouldNameOnlyTheConfiguredCauseInEachBundledCapture() throws Exception {
        // every capture with every config: no cause appears where it was not configured
        List<String> expected = List.of("PRESHARED_KEY_MISMATCH", "UNKNOWN_PEER", "WRONG_SERVER_KEY");
        List<String> dirs = List.of("psk-mismatch", "unknown-peer", "wrong-server-key");
        for (int i = 0; i < dirs.size(); i++) {
            List<String> got = causes(analyze(DIR.resolve(dirs.get(i)), "server.conf", "phone.conf"));
            assertEquals(List.of(expected.get(i)), got, dirs.get(i));
        }
    }

    @Test
    void shouldSayTheTextVerdictDoesNotConnectWithTheFixLine() throws Exception {
        Path d = DIR.resolve("unknown-peer");
        CliRun run = CliRun.of("analyze", d.resolve("phone.pcapng").toString(), "--config", d.resolve("server.conf").toString());
        assertEquals(0, run.exitCode(), run.err());
        String first = run.out().lines().findFirst().orElseThrow();
        assertTrue(first.startsWith("Verdict: Does not connect: the server has no [Peer] for the client's key"), first);
        assertTrue(run.out().contains("fix: " + d.resolve("server.conf") + ", new [Peer] section"), run.out());
        assertFalse(run.out().contains(WgConfig.parse(d.resolve("server.conf")).iface().privateKey().orElseThrow().toBase64()));
    }

    @Test
    void shouldNameInitiationsThatNeverReachTheServerFromTheIcmpTheyDrew() throws Exception {
        Path d = DIR.resolve("unreachable");
        int listenPort = WgConfig.parse(d.resolve("server.conf")).iface().listenPort().orElseThrow();
        PeerSection home = WgConfig.parse(d.resolve("phone.conf")).peers().get(0);
        assertNotEquals(listenPort, home.endpoint().orElseThrow().port(), "the break: Endpoint is not the server's ListenPort");

        CliRun run = CliRun.of("analyze", d.resolve("lo.pcap").toString(), "--format", "json",
                "--config", d.resolve("phone.conf").toString());
        assertEquals(0, run.exitCode(), run.err());
        JsonNode r = JSON.readTree(run.out());
        assertEquals(List.of("UNREACHABLE"), causes(r));
        assertEquals(d.resolve("phone.conf").toString(), r.at("/noConnect/0/fix/file").asText());
        assertEquals(home.line(), r.at("/noConnect/0/fix/line").asInt());
        assertEquals("Endpoint", r.at("/noConnect/0/fix/attribute").asText());
        // the evidence is tshark's port unreachables, frame for frame
        dev.wgdiag.testing.Requirements.commands("tshark");
        String icmp = dev.wgdiag.testing.Requirements.run("tshark", "-r", d.resolve("lo.pcap").toString(), "-n",
                "-Y", "icmp.type == 3 && icmp.code == 3", "-T", "fields", "-e", "frame.number");
        assertEquals(icmp.lines().map(Long::parseLong).toList(), JSON.convertValue(r.at("/noConnect/0/frames"),
                JSON.getTypeFactory().constructCollectionType(List.class, Long.class)));
    }

    @Test
    void shouldNameAnswersLostOnTheWayBackWhenTwoCapturesAreJoined() throws Exception {
        Path d = DIR.resolve("answers-lost");
        CliRun run = CliRun.of("analyze", d.resolve("server.pcapng").toString(), d.resolve("phone.pcapng").toString(),
                "--format", "json", "--config", d.resolve("server.conf").toString());
        assertEquals(0, run.exitCode(), run.err());
        JsonNode r = JSON.readTree(run.out());
        assertEquals(List.of("ANSWERS_LOST"), causes(r), "not a PresharedKey mismatch once the phone's capture shows no answer");
        assertEquals(d.resolve("server.pcapng").toString(), r.at("/noConnect/0/capture").asText());
        // tshark: the server sent its responses, the phone received none
        dev.wgdiag.testing.Requirements.commands("tshark");
        List<Long> sent = dev.wgdiag.testing.Requirements.run("tshark", "-r", d.resolve("server.pcapng").toString(), "-n",
                "-Y", "wg.type == 2", "-T", "fields", "-e", "frame.number").lines().map(Long::parseLong).toList();
        String received = dev.wgdiag.testing.Requirements.run("tshark", "-r", d.resolve("phone.pcapng").toString(), "-n",
                "-Y", "wg.type == 2", "-T", "fields", "-e", "frame.number");
        assertTrue(received.isBlank(), received);
        List<Long> frames = JSON.convertValue(r.at("/noConnect/0/frames"), JSON.getTypeFactory().constructCollectionType(List.class, Long.class));
        assertTrue(frames.size() >= 2 && sent.containsAll(frames), sent + " " + frames);
    }

    @Test
    void shouldNameWhatWireguardGoLoggedForEachInitiation() throws Exception {
        Path d = DIR.resolve("wireguard-go");
        // wireguard-go's verbose log says why it dropped each initiation
        assertTrue(java.nio.file.Files.readString(d.resolve("wg1.log")).contains("Received packet with invalid mac1"));
        assertTrue(java.nio.file.Files.readString(d.resolve("wg2.log")).contains("Received invalid initiation message"));
        int wg1Port = WgConfig.parse(d.resolve("server.conf")).iface().listenPort().orElseThrow();
        int wg2Port = WgConfig.parse(d.resolve("server2.conf")).iface().listenPort().orElseThrow();

        CliRun run = CliRun.of("analyze", d.resolve("lo.pcap").toString(), "--format", "json",
                "--config", d.resolve("server.conf").toString(), "--config", d.resolve("server2.conf").toString());
        assertEquals(0, run.exitCode(), run.err());
        JsonNode r = JSON.readTree(run.out());
        assertEquals(List.of("WRONG_SERVER_KEY", "UNKNOWN_PEER"), causes(r));
        assertTrue(r.at("/noConnect/0/to").asText().endsWith(":" + wg1Port), "invalid mac1 at wg1");
        assertTrue(r.at("/noConnect/1/to").asText().endsWith(":" + wg2Port), "unknown initiator at wg2");
        PublicKey phone2 = WgConfig.parse(d.resolve("phone2.conf")).iface().privateKey().orElseThrow().publicKey();
        assertEquals(phone2.shortForm(), r.at("/noConnect/1/key").asText());
    }

    @Test
    void shouldLeaveAnswersLostAndInitiationsThatNeverArriveOpenFromTheClientsCaptureAlone() throws Exception {
        dev.wgdiag.testing.Requirements.commands("tshark");
        for (String dir : List.of("answers-lost", "blocked")) {
            Path d = DIR.resolve(dir);
            // tshark: the phone's capture holds initiations only, nothing came back (no response, no ICMP)
            String back = dev.wgdiag.testing.Requirements.run("tshark", "-r", d.resolve("phone.pcapng").toString(), "-n",
                    "-Y", "!(wg.type == 1)", "-T", "fields", "-e", "frame.number");
            assertTrue(back.isBlank(), dir + ": " + back);
            JsonNode alone = analyze(d);
            assertEquals(List.of("NOT_ANSWERED"), causes(alone), dir);
            assertEquals("LOW", alone.at("/noConnect/0/confidence").asText());
            // the server's keys rule out a wrong key and a missing [Peer]: 5 and 6 remain
            JsonNode keyed = analyze(d, "server.conf", "phone.conf");
            assertEquals(List.of("NOT_ANSWERED"), causes(keyed), dir);
            assertEquals(List.of("ANSWERS_LOST", "UNREACHABLE"), JSON.convertValue(keyed.at("/noConnect/0/alternatives"),
                    JSON.getTypeFactory().constructCollectionType(List.class, String.class)), dir);
        }
    }

    @Test
    void shouldDecideBetweenAnswersLostAndNeverArrivingWithTheServersCapture() throws Exception {
        dev.wgdiag.testing.Requirements.commands("tshark");
        // tshark: answers-lost's server saw the initiations and answered; blocked's server saw nothing (an input drop)
        String lostServer = dev.wgdiag.testing.Requirements.run("tshark", "-r", DIR.resolve("answers-lost/server.pcapng").toString(), "-n",
                "-Y", "wg.type == 2", "-T", "fields", "-e", "frame.number");
        String blockedServer = dev.wgdiag.testing.Requirements.run("tshark", "-r", DIR.resolve("blocked/server.pcapng").toString(), "-n",
                "-T", "fields", "-e", "frame.number");
        assertFalse(lostServer.isBlank());
        assertTrue(blockedServer.isBlank(), blockedServer);
        assertTrue(java.nio.file.Files.readString(DIR.resolve("blocked/run.sh")).contains("udp dport 47815 drop"), "the break: an input drop");

        assertEquals(List.of("ANSWERS_LOST"), causes(joined(DIR.resolve("answers-lost"))));
        JsonNode blocked = joined(DIR.resolve("blocked"));
        assertEquals(List.of("UNREACHABLE"), causes(blocked));
        assertEquals(DIR.resolve("blocked/phone.pcapng").toString(), blocked.at("/noConnect/0/capture").asText());
    }

    @Test
    void shouldNameTheEndpointPortTheServerDoesNotListenOnWhenNoIcmpComesBack() throws Exception {
        dev.wgdiag.testing.Requirements.commands("tshark");
        Path d = DIR.resolve("silent-wrong-port");
        int listenPort = WgConfig.parse(d.resolve("server.conf")).iface().listenPort().orElseThrow();
        PeerSection home = WgConfig.parse(d.resolve("phone.conf")).peers().get(0);
        assertNotEquals(listenPort, home.endpoint().orElseThrow().port(), "the break: Endpoint is not the server's ListenPort");
        // tshark: initiations on lo and no ICMP at all (the namespace drops its port unreachables)
        assertTrue(dev.wgdiag.testing.Requirements.run("tshark", "-r", d.resolve("lo.pcap").toString(), "-n", "-Y", "icmp",
                "-T", "fields", "-e", "frame.number").isBlank());

        CliRun alone = CliRun.of("analyze", d.resolve("lo.pcap").toString(), "--format", "json");
        assertEquals(List.of("NOT_ANSWERED"), causes(JSON.readTree(alone.out())));
        CliRun run = CliRun.of("analyze", d.resolve("lo.pcap").toString(), "--format", "json",
                "--config", d.resolve("server.conf").toString(), "--config", d.resolve("phone.conf").toString());
        assertEquals(0, run.exitCode(), run.err());
        JsonNode r = JSON.readTree(run.out());
        assertEquals(List.of("UNREACHABLE"), causes(r));
        assertEquals("MEDIUM", r.at("/noConnect/0/confidence").asText());
        assertEquals(d.resolve("phone.conf").toString(), r.at("/noConnect/0/fix/file").asText());
        assertEquals(home.line(), r.at("/noConnect/0/fix/line").asInt());
        assertTrue(r.at("/noConnect/0/fix/value").asText().endsWith(":" + listenPort));
    }

    @Test
    void shouldNameAnswersLostFromTheServersCaptureAloneWhenTheConfigsPresharedKeysAgree() throws Exception {
        Path d = DIR.resolve("answers-lost");
        assertEquals(WgConfig.parse(d.resolve("server.conf")).peers().get(0).presharedKey(),
                WgConfig.parse(d.resolve("phone.conf")).peers().get(0).presharedKey(), "the configs agree (no PresharedKey on either side)");
        CliRun plain = CliRun.of("analyze", d.resolve("server.pcapng").toString(), "--format", "json");
        JsonNode alone = JSON.readTree(plain.out());
        assertEquals(List.of("PRESHARED_KEY_MISMATCH"), causes(alone), "from the answering side alone the two look alike");
        assertEquals("MEDIUM", alone.at("/noConnect/0/confidence").asText());
        assertEquals("ANSWERS_LOST", alone.at("/noConnect/0/alternatives/0").asText());
        CliRun keyed = CliRun.of("analyze", d.resolve("server.pcapng").toString(), "--format", "json",
                "--config", d.resolve("server.conf").toString(), "--config", d.resolve("phone.conf").toString());
        assertEquals(0, keyed.exitCode(), keyed.err());
        JsonNode r = JSON.readTree(keyed.out());
        assertEquals(List.of("ANSWERS_LOST"), causes(r));
        assertEquals("MEDIUM", r.at("/noConnect/0/confidence").asText());
    }

    private static JsonNode joined(Path d) throws Exception {
        CliRun run = CliRun.of("analyze", d.resolve("server.pcapng").toString(), d.resolve("phone.pcapng").toString(), "--format", "json");
        assertEquals(0, run.exitCode(), run.err());
        return JSON.readTree(run.out());
    }

    private static List<String> causes(JsonNode r) {
        return r.at("/noConnect").findValuesAsText("cause");
    }

    private static JsonNode analyze(Path d, String... configs) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("analyze", d.resolve("phone.pcapng").toString(), "--format", "json"));
        for (String c : configs) {
            args.add("--config");
            args.add(d.resolve(c).toString());
        }
        CliRun r = CliRun.of(args.toArray(String[]::new));
        assertEquals(0, r.exitCode(), r.err());
        return JSON.readTree(r.out());
    }
}
