package dev.wgdiag.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wgdiag.testing.Requirements;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code wgdiag check} through the whole CLI, on the example configs of src/test/resources/check. */
class CheckCommandTest {
    private static final Path EXAMPLES = Requirements.projectDir().resolve("src/test/resources/check");
    /** FILE:LINE: severity: what; fix: how [rule] (LINE absent for a whole-file finding). */
    private static final Pattern FINDING = Pattern.compile("^([^:]+)(:\\d+)?: (error|warning|note): .+; fix: .+ \\[[a-z0-9-]+\\]$");
    /** Any key in wg's base64 form. */
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=");

    private static Path copy(Path dir, String name, String text) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, text);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        return f;
    }

    private static String example(String name) throws Exception {
        return Files.readString(EXAMPLES.resolve(name));
    }

    @Test
    void aCorrectPairShouldExitZeroAndSaySoAfterNamingThePair(@TempDir Path dir) throws Exception {
        Path server = copy(dir, "server.conf", example("fixed/server.conf"));
        Path phone = copy(dir, "phone.conf", example("fixed/phone.conf"));
        CliRun r = CliRun.of("check", phone.toString(), server.toString());
        assertEquals(ExitCode.OK, r.exitCode(), r.out() + r.err());
        assertEquals("", r.err());
        assertTrue(r.out().endsWith("no problems found in 2 files\n"), r.out());
        assertTrue(r.out().contains("(keys match)"), r.out());
    }

    @Test
    void theReadmePairShouldExitOneWithOneCompilerStyleLinePerFinding() throws Exception {
        CliRun r = CliRun.of("check", EXAMPLES.resolve("server.conf").toString(), EXAMPLES.resolve("phone.conf").toString());
        assertEquals(ExitCode.FINDINGS, r.exitCode(), r.err());
        List<String> findings = r.out().lines().filter(l -> !l.startsWith("pair: ") && !l.matches("\\d+ errors?, .*")).toList();
        assertFalse(findings.isEmpty());
        for (String l : findings) {
            Matcher m = FINDING.matcher(l);
            assertTrue(m.matches(), l);
            assertTrue(m.group(1).endsWith("server.conf") || m.group(1).endsWith("phone.conf"), l);
        }
        assertTrue(r.out().contains("[ipv6-leak]"), r.out());
    }

    @Test
    void theReadmeShouldShowWhatCheckPrintsForItsExample(@TempDir Path dir) throws Exception {
        String readme = Files.readString(Requirements.projectDir().resolve("README.md"));
        Matcher m = Pattern.compile("```\\n\\$ wgdiag check server.conf phone.conf\\n(.*?)\\$ echo \\$\\?\\n(\\d+)\\n```", Pattern.DOTALL)
                .matcher(readme);
        assertTrue(m.find(), "README has a ``` block: '$ wgdiag check server.conf phone.conf', output, '$ echo $?', code");
        // as in a directory readable by its owner only (a checkout gives the files mode 644)
        Path server = copy(dir, "server.conf", example("server.conf"));
        Path phone = copy(dir, "phone.conf", example("phone.conf"));
        CliRun r = CliRun.of("check", server.toString(), phone.toString());
        assertEquals(m.group(1), r.out().replace(dir + "/", ""));
        assertEquals(Integer.parseInt(m.group(2)), r.exitCode());
    }

    @Test
    void warningsAndNotesAloneShouldExitZero(@TempDir Path dir) throws Exception {
        Path server = copy(dir, "server.conf", example("fixed/server.conf"));
        Path phone = copy(dir, "phone.conf", example("fixed/phone.conf").replace("PersistentKeepalive = 25\n", ""));
        CliRun r = CliRun.of("check", server.toString(), phone.toString());
        assertEquals(ExitCode.OK, r.exitCode(), r.out());
        assertTrue(r.out().contains("[keepalive-missing]"), r.out());
    }

    @Test
    void jsonShouldCarryTheFindingsWithTypedDetails() throws Exception {
        CliRun r = CliRun.of("check", "--format", "json", EXAMPLES.resolve("server.conf").toString(), EXAMPLES.resolve("phone.conf").toString());
        assertEquals(ExitCode.FINDINGS, r.exitCode(), r.err());
        JsonNode doc = new ObjectMapper().readTree(r.out());
        assertEquals(2, doc.get("files").size());
        assertEquals(1, doc.get("pairs").size());
        assertTrue(doc.get("pairs").get(0).get("byKey").asBoolean());
        JsonNode leak = null;
        for (JsonNode f : doc.get("findings")) if (f.get("rule").asText().equals("ipv6-leak")) leak = f;
        assertTrue(leak != null, r.out());
        assertEquals("error", leak.get("severity").asText());
        assertEquals(6, leak.get("details").get("family").asInt());
        assertTrue(leak.get("line").asInt() > 0);
        assertEquals(doc.get("findings").size(), doc.get("errors").asInt() + doc.get("warnings").asInt() + doc.get("notes").asInt());
    }

    @Test
    void noKeyShouldEverBePrintedWhole() throws Exception {
        for (String format : List.of("text", "json")) {
            CliRun r = CliRun.of("check", "--format", format, EXAMPLES.resolve("server.conf").toString(),
                    EXAMPLES.resolve("phone.conf").toString(), EXAMPLES.resolve("laptop.conf").toString());
            assertFalse(KEY.matcher(r.out()).find(), r.out());
            assertFalse(KEY.matcher(r.err()).find(), r.err());
        }
    }

    @Test
    void aKeyInTheWrongPlaceShouldStillNotBePrinted(@TempDir Path dir) throws Exception {
        String server = example("fixed/server.conf");
        String phone = example("fixed/phone.conf");
        String serverPrivate = server.lines().filter(l -> l.startsWith("PrivateKey")).findFirst().orElseThrow().split("= ")[1];
        String serverPublic = phone.lines().filter(l -> l.startsWith("PublicKey")).findFirst().orElseThrow().split("= ")[1];
        Path s = copy(dir, "server.conf", server);
        Path p = copy(dir, "phone.conf", phone.replace(serverPublic, serverPrivate).replace("[Peer]", "[Peers]\n" + serverPrivate));
        CliRun r = CliRun.of("check", s.toString(), p.toString());
        assertEquals(ExitCode.FINDINGS, r.exitCode());
        assertTrue(r.out().contains("[public-key-holds-private-key]"), r.out());
        assertFalse(KEY.matcher(r.out()).find(), r.out());
    }

    @Test
    void aMissingFileShouldExitThreeWithOneLine(@TempDir Path dir) {
        CliRun r = CliRun.of("check", dir.resolve("nope.conf").toString());
        assertEquals(ExitCode.BAD_INPUT, r.exitCode());
        assertEquals("wgdiag: " + dir.resolve("nope.conf") + ": cannot read: no such file\n", r.err());
        assertEquals("", r.out());
    }

    @Test
    void aBinaryFileShouldExitThree(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("wg0.conf");
        Files.write(f, new byte[]{(byte) 0xd4, (byte) 0xc3, (byte) 0xb2, (byte) 0xa1, 2, 0, 4, 0, 0, 0});
        CliRun r = CliRun.of("check", f.toString());
        assertEquals(ExitCode.BAD_INPUT, r.exitCode());
        assertTrue(r.err().startsWith("wgdiag: " + f + ": cannot read: not a text file"), r.err());
    }

    @Test
    void badOptionValuesShouldExitTwo() throws Exception {
        String server = EXAMPLES.resolve("server.conf").toString();
        CliRun ports = CliRun.of("check", "--port-set", "70000-70010", server);
        assertEquals(ExitCode.USAGE, ports.exitCode());
        assertEquals("wgdiag: --port-set 70000-70010: port 70000 is outside 1..65535\n", ports.err());
        CliRun line = CliRun.of("check", "--line", "server.conf=carrier-pigeon", server);
        assertEquals(ExitCode.USAGE, line.exitCode());
        CliRun unknown = CliRun.of("check", "--line", "laptop.conf=pppoe", server);
        assertEquals(ExitCode.USAGE, unknown.exitCode());
        assertTrue(unknown.err().contains("laptop.conf"), unknown.err());
    }

    @Test
    void portSetAndLineShouldReachTheRules() throws Exception {
        CliRun r = CliRun.of("check", "--port-set", "phone.conf=3072-3135", "--line", "phone.conf=ds-lite",
                EXAMPLES.resolve("fixed/server.conf").toString(), EXAMPLES.resolve("fixed/phone.conf").toString());
        assertTrue(r.out().contains("[random-port-on-port-set]"), r.out());
        assertTrue(r.out().contains("[mtu-too-large]"), r.out());
    }
}
