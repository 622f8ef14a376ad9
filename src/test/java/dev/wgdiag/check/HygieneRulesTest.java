package dev.wgdiag.check;

import static dev.wgdiag.check.Fixture.assertFindings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wgdiag.check.Fixture.Configs;
import dev.wgdiag.check.Fixture.Expect;
import dev.wgdiag.config.Attribute;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hygiene rules; where a rule says what wg or wg-quick does, wireguard-tools is asked (see {@link WgTools}). */
class HygieneRulesTest {

    private static void assertWgRejects(String reason, Path dir, String defect, String corrected) throws Exception {
        WgTools.require();
        String theirs = WgTools.wgRejects(dir, defect);
        assertTrue(theirs.contains(reason), "wg said: " + theirs);
        assertEquals("", WgTools.wgRejects(dir, corrected), "wg accepts the corrected file");
    }

    @Test
    void aWorldReadableFileShouldBeWarnedAboutExactlyWhenWgQuickWarns(@TempDir Path tmp) throws Exception {
        WgTools.require();
        for (String mode : List.of("rw-r--r--", "rw-------")) {
            Path dir = Files.createDirectories(tmp.resolve(mode.replace('-', '_')));
            Path f = dir.resolve("phone.conf");
            Files.writeString(f, Fixture.phone());
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(mode));
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            boolean wgQuickWarns = WgTools.strip(f).err().contains("is world accessible");
            CheckResult r = Checker.check(List.of(CheckInput.read(f)), CheckOptions.DEFAULTS);
            assertFindings(wgQuickWarns ? List.of(new Expect(f.toString(), 0, Severity.WARNING, Rule.WORLD_ACCESSIBLE)) : List.of(), r);
        }
    }

    @Test
    void aFileNameWgQuickRefusesShouldBeNoted(@TempDir Path tmp) throws Exception {
        WgTools.require();
        Path bad = WgTools.write(tmp, "my phone tunnel.conf", Fixture.phone());
        Path good = WgTools.write(tmp, "phone.conf", Fixture.phone());
        assertTrue(WgTools.strip(bad).err().contains("must be a valid interface name"), "wg-quick refuses the name");
        assertEquals(0, WgTools.strip(good).code());
        assertFindings(List.of(new Expect(bad.toString(), 0, Severity.NOTE, Rule.FILE_NAME)),
                Checker.check(List.of(CheckInput.read(bad)), CheckOptions.DEFAULTS));
        assertFindings(List.of(), Checker.check(List.of(CheckInput.read(good)), CheckOptions.DEFAULTS));
    }

    @Test
    void aMisspelledAttributeShouldBeAnErrorThatNamesTheRightSpelling(@TempDir Path tmp) throws Exception {
        Configs ok = Configs.pair();
        Configs bad = ok.replace("phone.conf", "Address = ", "Adress = ");
        CheckResult r = bad.check();
        assertFindings(List.of(new Expect("phone.conf", bad.line("phone.conf", "Adress"), Severity.ERROR, Rule.UNKNOWN_ATTRIBUTE)), r);
        assertEquals(new Detail.UnknownAttribute(Attribute.Section.INTERFACE, "Adress", Attribute.ADDRESS, null), r.findings().get(0).detail());
        assertFindings(List.of(), ok.check());
        assertWgRejects("Line unrecognized", tmp, bad.text("phone.conf"), ok.text("phone.conf"));
    }

    @Test
    void aMisspelledPeerAttributeShouldSuggestThePeerSpelling(@TempDir Path tmp) throws Exception {
        Configs ok = Configs.pair();
        Configs bad = ok.replace("server.conf", "AllowedIPs = 10.8", "AllowedIP = 10.8");
        CheckResult r = bad.check();
        assertFindings(List.of(new Expect("server.conf", bad.line("server.conf", "AllowedIP ="), Severity.ERROR, Rule.UNKNOWN_ATTRIBUTE)), r);
        assertEquals(Attribute.ALLOWED_IPS, ((Detail.UnknownAttribute) r.findings().get(0).detail()).suggestion());
        assertWgRejects("Line unrecognized", tmp, bad.text("server.conf"), ok.text("server.conf"));
    }

    @Test
    void anAttributeOfTheOtherSectionShouldSayWhereItBelongs(@TempDir Path tmp) throws Exception {
        Configs ok = Configs.pair();
        Configs bad = ok.replace("phone.conf", "DNS = 10.8.0.1\n", "").replace("phone.conf", "PersistentKeepalive = 25",
                "PersistentKeepalive = 25\nDNS = 10.8.0.1");
        CheckResult r = bad.check();
        assertFindings(List.of(new Expect("phone.conf", bad.line("phone.conf", "DNS"), Severity.ERROR, Rule.UNKNOWN_ATTRIBUTE)), r);
        assertEquals(Attribute.Section.INTERFACE, ((Detail.UnknownAttribute) r.findings().get(0).detail()).belongsIn());
        assertWgRejects("Line unrecognized", tmp, bad.text("phone.conf"), ok.text("phone.conf"));
    }

    @Test
    void aLineWithoutEqualsShouldBeAnError(@TempDir Path tmp) throws Exception {
        Configs ok = Configs.pair();
        Configs bad = ok.replace("phone.conf", "DNS = 10.8.0.1", "DNS = 10.8.0.1\nnonsense");
        assertFindings(List.of(new Expect("phone.conf", bad.line("phone.conf", "nonsense"), Severity.ERROR, Rule.MALFORMED_LINE)), bad.check());
        assertWgRejects("Line unrecognized", tmp, bad.text("phone.conf"), ok.text("phone.conf"));
    }

    @Test
    void anAttributeBeforeTheFirstSectionShouldBeAnError(@TempDir Path tmp) throws Exception {
        Configs ok = Configs.pair();
        Configs bad = ok.replace("phone.conf", "[Interface]", "FwMark = 0x10\n[Interface]");
        assertFindings(List.of(new Expect("phone.conf", bad.line("phone.conf", "FwMark"), Severity.ERROR, Rule.OUTSIDE_SECTION)), bad.check());
        assertWgRejects("Line unrecognized", tmp, bad.text("phone.conf"), ok.text("phone.conf"));
    }

    @Test
    void aMisspelledSectionShouldBeAnErrorThatNamesTheSectionAndIsStillReadAsIt(@TempDir Path tmp) throws Exception {
        Configs ok = Configs.pair();
        Configs bad = ok.replace("phone.conf", "[Peer]", "[Peers]");
        CheckResult r = bad.check();
        assertFindings(List.of(new Expect("phone.conf", bad.line("phone.conf", "[Peers]"), Severity.ERROR, Rule.UNKNOWN_SECTION)), r);
        assertEquals(Attribute.Section.PEER, ((Detail.UnknownSection) r.findings().get(0).detail()).suggestion());
        assertWgRejects("Line unrecognized", tmp, bad.text("phone.conf"), ok.text("phone.conf"));
    }

    @Test
    void aSecondInterfaceSectionShouldBeAWarningBecauseWgMergesIt(@TempDir Path tmp) throws Exception {
        Configs ok = Configs.pair();
        Configs bad = ok.replace("phone.conf", "DNS = 10.8.0.1", "[Interface]\nDNS = 10.8.0.1");
        assertFindings(List.of(new Expect("phone.conf", bad.line("phone.conf", "DNS") - 1, Severity.WARNING, Rule.SECOND_INTERFACE)),
                bad.check());
        WgTools.require();
        assertEquals("", WgTools.wgRejects(tmp, bad.text("phone.conf")), "wg accepts a second [Interface]");
    }

    @Test
    void aSingleValuedAttributeWrittenTwiceShouldBeAWarning() {
        Configs ok = Configs.pair();
        Configs bad = ok.replace("server.conf", "ListenPort = 51820", "ListenPort = 51820\nListenPort = 51820");
        assertFindings(List.of(new Expect("server.conf", bad.line("server.conf", "ListenPort") + 1, Severity.WARNING,
                Rule.DUPLICATE_ATTRIBUTE)), bad.check());
        assertFindings(List.of(), ok.check());
    }

    @Test
    void aRepeatedListAttributeShouldNotBeADuplicate() {
        Configs split = Configs.pair().replace("phone.conf", "AllowedIPs = 0.0.0.0/0, ::/0", "AllowedIPs = 0.0.0.0/0\nAllowedIPs = ::/0");
        assertFindings(List.of(), split.check());
    }

    @Test
    void theLaterOfTwoListenPortsShouldBeTheOneCheckedLikeWgDoes() {
        // wg uses the later value (CheckLabTest shows it on a device): the Endpoint port no longer matches
        Configs bad = Configs.pair().replace("server.conf", "ListenPort = 51820", "ListenPort = 51820\nListenPort = 51821");
        assertFindings(List.of(
                new Expect("server.conf", bad.line("server.conf", "51821"), Severity.WARNING, Rule.DUPLICATE_ATTRIBUTE),
                new Expect("phone.conf", bad.line("phone.conf", "Endpoint"), Severity.ERROR, Rule.ENDPOINT_PORT_MISMATCH)), bad.check());
    }

    @Test
    void aKeyThatIsNotThirtyTwoBytesShouldSayHowManyItHas(@TempDir Path tmp) throws Exception {
        Configs ok = Configs.pair();
        String pub = Fixture.keys().serverPublic();
        Configs bad = ok.replace("phone.conf", "PublicKey = " + pub, "PublicKey = " + pub.substring(0, 42) + "=");
        CheckResult r = bad.check();
        assertFindings(List.of(new Expect("phone.conf", bad.line("phone.conf", "PublicKey"), Severity.ERROR, Rule.BAD_KEY)), r);
        assertEquals(31, ((Detail.BadKey) r.findings().get(0).detail()).decodedBytes());
        assertWgRejects("Key is not the correct length or format", tmp, bad.text("phone.conf"), ok.text("phone.conf"));
    }

    @Test
    void aBadPrivateKeyShouldBeOneFinding(@TempDir Path tmp) throws Exception {
        Configs ok = Configs.pair();
        String priv = Fixture.keys().phonePrivate();
        Configs bad = ok.replace("phone.conf", "PrivateKey = " + priv, "PrivateKey = " + priv.substring(1));
        assertFindings(List.of(new Expect("phone.conf", bad.line("phone.conf", "PrivateKey"), Severity.ERROR, Rule.BAD_KEY)), bad.check());
        assertWgRejects("Key is not the correct length or format", tmp, bad.text("phone.conf"), ok.text("phone.conf"));
    }

    @Test
    void aValueThatDoesNotParseShouldBeAnErrorAndNotAlsoCountAsAbsent(@TempDir Path tmp) throws Exception {
        Configs ok = Configs.pair();
        Configs keepalive = ok.replace("phone.conf", "PersistentKeepalive = 25", "PersistentKeepalive = sometimes");
        assertFindings(List.of(new Expect("phone.conf", keepalive.line("phone.conf", "PersistentKeepalive"), Severity.ERROR, Rule.BAD_VALUE)),
                keepalive.check());
        assertWgRejects("Persistent keepalive interval is neither 0/off nor 1-65535", tmp, keepalive.text("phone.conf"), ok.text("phone.conf"));
        Configs endpoint = ok.replace("phone.conf", "203.0.113.10:51820", "203.0.113.10");
        assertFindings(List.of(new Expect("phone.conf", endpoint.line("phone.conf", "Endpoint"), Severity.ERROR, Rule.BAD_VALUE)),
                endpoint.check());
        assertWgRejects("Unable to find port of endpoint", tmp, endpoint.text("phone.conf"), ok.text("phone.conf"));
    }

    @Test
    void aPeerWithoutPublicKeyShouldBeAnError(@TempDir Path tmp) throws Exception {
        Configs ok = Configs.pair();
        Configs bad = ok.replace("server.conf", "PublicKey = " + Fixture.keys().phonePublic() + "\n", "");
        assertFindings(List.of(new Expect("server.conf", bad.line("server.conf", "[Peer]"), Severity.ERROR, Rule.PEER_WITHOUT_PUBLIC_KEY)),
                bad.check());
        assertWgRejects("A peer is missing a public key", tmp, bad.text("server.conf"), ok.text("server.conf"));
    }

    @Test
    void theSamePeerTwiceShouldBeAWarning() {
        Configs ok = Configs.pair();
        String peer = "[Peer]\nPublicKey = " + Fixture.keys().phonePublic() + "\nAllowedIPs = 10.8.0.12/32\n";
        Configs bad = ok.replace("server.conf", "# phone", peer + "\n# phone");
        assertFindings(List.of(new Expect("server.conf", bad.line("server.conf", "# phone") + 1, Severity.WARNING, Rule.DUPLICATE_PEER)),
                bad.check());
    }

    @Test
    void aFileWithoutInterfaceShouldBeAnError() {
        String phone = Fixture.phone();
        String noInterface = phone.substring(phone.indexOf("[Peer]"));
        assertFindings(List.of(new Expect("phone.conf", 0, Severity.ERROR, Rule.NO_INTERFACE)), Configs.of("phone.conf", noInterface).check());
        assertFindings(List.of(), Configs.of("phone.conf", phone).check());
    }

    @Test
    void anInterfaceWithoutPrivateKeyShouldBeAnErrorUnlessAHookSetsIt() {
        Configs ok = Configs.pair();
        Configs bad = ok.replace("phone.conf", "PrivateKey = " + Fixture.keys().phonePrivate() + "\n", "");
        assertFindings(List.of(new Expect("phone.conf", bad.line("phone.conf", "[Interface]"), Severity.ERROR, Rule.NO_PRIVATE_KEY)), bad.check());
        // wg-quick(8)'s own example keeps the key in a file of its own
        Configs hook = ok.replace("phone.conf", "PrivateKey = " + Fixture.keys().phonePrivate(),
                "PostUp = wg set %i private-key /etc/wireguard/%i.key");
        assertTrue(hook.check().findings().stream().noneMatch(f -> f.rule() == Rule.NO_PRIVATE_KEY));
    }
}
