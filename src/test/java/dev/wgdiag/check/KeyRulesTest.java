package dev.wgdiag.check;

import static dev.wgdiag.check.Fixture.assertFindings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wgdiag.check.Fixture.Configs;
import dev.wgdiag.check.Fixture.Expect;
import dev.wgdiag.check.Fixture.Keys;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Key pairing. Every key comes from wg genkey / wg genpsk and every public key from wg pubkey, so
 * which key pairs with which is wireguard-tools' word. That a mismatched key or preshared key
 * stops the handshake is shown on real wireguard-go in {@link CheckLabTest}.
 */
class KeyRulesTest {
    private final Keys k = Fixture.keys();

    @Test
    void theFixtureKeysShouldPairAsWgPubkeySays() {
        assertEquals(k.serverPublic(), Fixture.pubkey(k.serverPrivate()));
        assertNotEquals(k.serverPublic(), k.laptopPublic());
        assertEquals(List.of(new CheckResult.Pairing("server.conf", Configs.pair().line("server.conf", "[Peer]"), "phone.conf", 7, true)),
                Configs.pair().check().pairings());
    }

    @Test
    void aClientPeerKeyThatIsNotTheServersPublicKeyShouldBeAnError() {
        Configs bad = Configs.pair().replace("phone.conf", "PublicKey = " + k.serverPublic(), "PublicKey = " + k.laptopPublic());
        CheckResult r = bad.check();
        assertFindings(List.of(new Expect("phone.conf", bad.line("phone.conf", "PublicKey"), Severity.ERROR, Rule.PUBLIC_KEY_MISMATCH)), r);
        assertEquals(new Detail.KeyMismatch("server.conf", k.serverPublic().substring(0, 8), k.laptopPublic().substring(0, 8)),
                r.findings().get(0).detail());
        assertFindings(List.of(), Configs.pair().check());
    }

    @Test
    void aServerPeerKeyThatIsNotTheClientsPublicKeyShouldBeAnError() {
        Configs bad = Configs.pair().replace("server.conf", "PublicKey = " + k.phonePublic(), "PublicKey = " + k.laptopPublic());
        assertFindings(List.of(new Expect("server.conf", bad.line("server.conf", "PublicKey"), Severity.ERROR, Rule.PUBLIC_KEY_MISMATCH)),
                bad.check());
    }

    @Test
    void wrongKeysOnBothSidesShouldStillBePairedByAddressesAndReportedTwice() {
        Configs bad = Configs.pair().replace("server.conf", "PublicKey = " + k.phonePublic(), "PublicKey = " + k.laptopPublic())
                .replace("phone.conf", "PublicKey = " + k.serverPublic(), "PublicKey = " + k.laptopPublic());
        CheckResult r = bad.check();
        assertFindings(List.of(
                new Expect("server.conf", bad.line("server.conf", "PublicKey"), Severity.ERROR, Rule.PUBLIC_KEY_MISMATCH),
                new Expect("phone.conf", bad.line("phone.conf", "PublicKey"), Severity.ERROR, Rule.PUBLIC_KEY_MISMATCH)), r);
        assertEquals(List.of(new CheckResult.Pairing("server.conf", bad.line("server.conf", "[Peer]"), "phone.conf", 7, false)), r.pairings());
    }

    @Test
    void aPublicKeyPastedAsThePrivateKeyShouldBeAnErrorAtThePrivateKey() {
        // A pair whose public key does not look like a wg genkey key (15 in 16 do not), from wg itself.
        String priv = null;
        String pub = null;
        for (int i = 0; i < 64 && pub == null; i++) {
            String candidate = Fixture.wg("genkey");
            String p = Fixture.pubkey(candidate);
            if (!Topology.clamped(Base64.getDecoder().decode(p))) {
                priv = candidate;
                pub = p;
            }
        }
        assertTrue(pub != null, "wg genkey gave 64 public keys shaped like private keys");
        Configs ok = Configs.pair().replace("server.conf", k.serverPrivate(), priv).replace("phone.conf", k.serverPublic(), pub);
        Configs bad = ok.replace("server.conf", "PrivateKey = " + priv, "PrivateKey = " + pub);
        assertFindings(List.of(new Expect("server.conf", bad.line("server.conf", "PrivateKey"), Severity.ERROR,
                Rule.PRIVATE_KEY_HOLDS_PUBLIC_KEY)), bad.check());
        assertFindings(List.of(), ok.check());
        // alone, the server's file still shows a key wg genkey would not make
        Configs alone = Configs.of("server.conf", bad.text("server.conf"));
        assertFindings(List.of(new Expect("server.conf", bad.line("server.conf", "PrivateKey"), Severity.WARNING,
                Rule.PRIVATE_KEY_NOT_CLAMPED)), alone.check());
    }

    @Test
    void aPrivateKeyPastedAsThePeersPublicKeyShouldBeAnError() {
        Configs bad = Configs.pair().replace("phone.conf", "PublicKey = " + k.serverPublic(), "PublicKey = " + k.serverPrivate());
        CheckResult r = bad.check();
        assertFindings(List.of(new Expect("phone.conf", bad.line("phone.conf", "PublicKey"), Severity.ERROR,
                Rule.PUBLIC_KEY_HOLDS_PRIVATE_KEY)), r);
        assertEquals(new Detail.KeyPlace("server.conf", bad.line("server.conf", "PrivateKey")), r.findings().get(0).detail());
    }

    @Test
    void twoFilesWithOnePrivateKeyShouldBeAnError() {
        Configs bad = Configs.pair().plus("tablet.conf", Fixture.phone());
        assertFindings(List.of(new Expect("tablet.conf", 3, Severity.ERROR, Rule.SAME_PRIVATE_KEY)), bad.check());
    }

    @Test
    void aPresharedKeyOnOneSideOnlyShouldBeAnError() {
        Configs bad = Configs.pair().replace("phone.conf", "PresharedKey = " + k.psk() + "\n", "");
        assertFindings(List.of(new Expect("server.conf", bad.line("server.conf", "PresharedKey"), Severity.ERROR,
                Rule.PRESHARED_KEY_ONE_SIDE)), bad.check());
        Configs none = bad.replace("server.conf", "PresharedKey = " + k.psk() + "\n", "");
        assertFindings(List.of(), none.check());
    }

    @Test
    void differentPresharedKeysShouldBeAnError() {
        Configs bad = Configs.pair().replace("phone.conf", "PresharedKey = " + k.psk(), "PresharedKey = " + k.otherPsk());
        assertFindings(List.of(new Expect("server.conf", bad.line("server.conf", "PresharedKey"), Severity.ERROR,
                Rule.PRESHARED_KEY_DIFFERS)), bad.check());
    }

    @Test
    void aServerWithoutAPeerForAClientThatListsItShouldBeAnError() {
        Configs bad = Configs.pair().plus("laptop.conf", Fixture.laptop());
        assertFindings(List.of(new Expect("server.conf", 2, Severity.ERROR, Rule.NO_PEER_FOR)), bad.check());
        Configs ok = Configs.pair().replace("server.conf", "# phone", Fixture.laptopPeer() + "\n# phone").plus("laptop.conf", Fixture.laptop());
        assertFindings(List.of(), ok.check());
    }

    @Test
    void aFileThatBelongsToNoOtherShouldBeNoted() {
        String stranger = Fixture.laptop().replace(k.serverPublic(), k.otherPsk())
                .replace("203.0.113.10:51820", "198.51.100.9:4500").replace("10.8.0.0/24, fd42:8::/64", "192.0.2.0/24");
        Configs bad = Configs.pair().plus("stranger.conf", stranger);
        assertFindings(List.of(new Expect("stranger.conf", 0, Severity.NOTE, Rule.UNRELATED_FILE)), bad.check());
    }
}
