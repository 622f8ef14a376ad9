package dev.wgdiag.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wgdiag.crypto.PresharedKey;
import dev.wgdiag.crypto.PrivateKey;
import dev.wgdiag.crypto.PublicKey;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WgConfigTest {
    // Keys from RFC 7748 section 6.1 (Alice / Bob), base64 as wg prints them.
    static final String SERVER_PRIVATE = "dwdtCnMYpX08FsFyUbJmRd9ML4frwJkqsXf7pR25LCo=";
    static final String CLIENT1_PUBLIC = "3p7bfXt9wbTTW2HC7OQ1Nz+DQ8hbeGdNrfx+FG+IK08=";
    static final String CLIENT2_PUBLIC = "hSDwCYkwp1R0i33ctD73Wg2/Og0mOBr066SpjqqbTmo=";
    static final String PSK = "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=";

    static final String SERVER = String.join("\n",
            "[Interface]",
            "Address = 10.0.0.1/24, fd86:ea04:1119::1/64",
            "address = 10.0.1.1",
            "ListenPort = 51820",
            "PrivateKey = " + SERVER_PRIVATE,
            "DNS = 10.0.0.1, home.example",
            "MTU = 1420",
            "Table = off",
            "FwMark = 0x1234",
            "SaveConfig = false",
            "PostUp = nft add rule inet filter forward iifname %i accept; echo up",
            "PostDown = nft flush ruleset # comment dropped as wg-quick does",
            "",
            "#Client1",
            "[Peer]",
            "PublicKey = " + CLIENT1_PUBLIC,
            "PresharedKey = " + PSK,
            "AllowedIPs = 10.0.0.2/32, fd86:ea04:1119::2/128",
            "Endpoint = 198.51.100.7:40000",
            "PersistentKeepalive = 25",
            "",
            "[peer]",
            "publickey = " + CLIENT2_PUBLIC,
            "allowedips = 10.0.0.3/32",
            "endpoint = [2001:db8::7]:51820",
            "persistentkeepalive = off",
            "",
            "# Client3",
            "[Peer]",
            "PublicKey = " + CLIENT2_PUBLIC.replace('h', 'g'),
            "Endpoint = vpn.example.org:51820",
            "");

    @Test
    void shouldParseAWgQuickServerConfig() throws ConfigException {
        WgConfig c = WgConfig.parse("wg0.conf", new StringReader(SERVER));
        InterfaceSection i = c.iface();
        assertEquals(List.of("10.0.0.1/24", "fd86:ea04:1119::1/64", "10.0.1.1/32"),
                i.addresses().stream().map(IpPrefix::toString).toList());
        assertFalse(i.addresses().get(2).explicitLength());
        assertEquals(51820, i.listenPort().getAsInt());
        assertEquals(PrivateKey.parse(SERVER_PRIVATE), i.privateKey().orElseThrow());
        // RFC 7748 section 6.1: Alice's public key
        assertEquals("hSDwCYkwp1R0i33ctD73Wg2/Og0mOBr066SpjqqbTmo=", i.publicKey().orElseThrow().toBase64());
        assertEquals(List.of("10.0.0.1", "home.example"), i.dns());
        assertEquals(1420, i.mtu().getAsInt());
        assertEquals("off", i.table().orElseThrow());
        assertEquals("0x1234", i.fwMark().orElseThrow());
        assertFalse(i.saveConfig());
        assertEquals(List.of("nft add rule inet filter forward iifname %i accept; echo up"), i.postUp());
        assertEquals(List.of("nft flush ruleset"), i.postDown());

        assertEquals(3, c.peers().size());
        PeerSection p1 = c.peers().get(0);
        assertEquals("Client1", p1.name());
        assertTrue(p1.hasCommentName());
        assertEquals(PublicKey.parse(CLIENT1_PUBLIC), p1.publicKey());
        assertEquals(PresharedKey.parse(PSK), p1.presharedKey().orElseThrow());
        assertEquals(List.of("10.0.0.2/32", "fd86:ea04:1119::2/128"), p1.allowedIps().stream().map(IpPrefix::toString).toList());
        assertEquals("198.51.100.7:40000", p1.endpoint().orElseThrow().toEndpoint().orElseThrow().toString());
        assertEquals(25, p1.persistentKeepalive());

        PeerSection p2 = c.peers().get(1);
        assertEquals("hSDwCYkw", p2.name());
        assertFalse(p2.hasCommentName());
        assertEquals("2001:db8::7", p2.endpoint().orElseThrow().host());
        assertEquals(51820, p2.endpoint().orElseThrow().port());
        assertEquals(0, p2.persistentKeepalive());
        assertEquals(PresharedKey.NONE, p2.presharedKeyOrNone());

        PeerSection p3 = c.peers().get(2);
        assertEquals("Client3", p3.name());
        assertEquals("vpn.example.org", p3.endpoint().orElseThrow().host());
        assertFalse(p3.endpoint().orElseThrow().isNumeric());
        assertTrue(p3.endpoint().orElseThrow().toEndpoint().isEmpty());
        assertTrue(c.peer(PublicKey.parse(CLIENT1_PUBLIC)).isPresent());
    }

    @Test
    void toStringShouldNeverShowPrivateOrPresharedKeys() throws ConfigException {
        WgConfig c = WgConfig.parse("wg0.conf", new StringReader(SERVER));
        String s = c.toString();
        assertFalse(s.contains(SERVER_PRIVATE), s);
        assertFalse(s.contains(PSK), s);
        assertTrue(s.contains(CLIENT1_PUBLIC));
    }

    @Test
    void aBadPublicKeyShouldNameFileLineSectionAndAttributeWithTheKeyMasked() {
        String text = "[Interface]\nPrivateKey = " + SERVER_PRIVATE + "\n\n[Peer]\nAllowedIPs = 10.0.0.2/32\n\nPublicKey = "
                + CLIENT1_PUBLIC.substring(0, 40) + "\n";
        ConfigException e = assertThrows(ConfigException.class, () -> WgConfig.parse("wg0.conf", new StringReader(text)));
        assertEquals("wg0.conf:7: [Peer] PublicKey: not a base64 32-byte key (line: PublicKey = ****)", e.getMessage());
        assertEquals(7, e.line());
        assertEquals("Peer", e.section());
        assertEquals("PublicKey", e.attribute());
    }

    @Test
    void aBadPrivateKeyShouldNotAppearInTheError() {
        String broken = SERVER_PRIVATE.substring(0, 43) + "A";
        ConfigException e = assertThrows(ConfigException.class,
                () -> WgConfig.parse("wg0.conf", new StringReader("[Interface]\nPrivateKey = " + broken + "\n")));
        assertEquals("wg0.conf:2: [Interface] PrivateKey: not a base64 32-byte key (line: PrivateKey = ****)", e.getMessage());
        assertFalse(e.getMessage().contains(broken.substring(0, 20)));
    }

    @Test
    void otherErrorsShouldBeTyped() {
        assertEquals("wg0.conf:2: [Interface] ListenPort: out of range 0..65535 (line: ListenPort = 70000)",
                message("[Interface]\nListenPort = 70000\n"));
        assertEquals("wg0.conf:2: [Peer] Endpoint: expected host:port or [address]:port (line: Endpoint = 2001:db8::1:51820)",
                message("[Peer]\nEndpoint = 2001:db8::1:51820\nPublicKey = " + CLIENT1_PUBLIC + "\n"));
        assertEquals("wg0.conf:1: [Peer] PublicKey: missing", message("[Peer]\nAllowedIPs = 10.0.0.0/8\n"));
        assertEquals("wg0.conf:2: [Interface] Foo: unknown attribute (line: Foo = bar)", message("[Interface]\nFoo = bar\n"));
        assertEquals("wg0.conf:1: ListenPort: attribute outside of a section (line: ListenPort = 1)", message("ListenPort = 1\n"));
        assertEquals("wg0.conf:3: [Peer] AllowedIPs: prefix length out of range 0..32 (line: AllowedIPs = 10.0.0.0/33)",
                message("[Peer]\nPublicKey = " + CLIENT1_PUBLIC + "\nAllowedIPs = 10.0.0.0/33\n"));
        assertEquals("wg0.conf:3: [Peer] PersistentKeepalive: not a number (line: PersistentKeepalive = sometimes)",
                message("[Peer]\nPublicKey = " + CLIENT1_PUBLIC + "\nPersistentKeepalive = sometimes\n"));
    }

    @Test
    void endpointsAndDnsShouldBeAddressesOrHostNames() throws ConfigException {
        // RFC 1123 2.1 host names, RFC 4291 2.2 IPv6 text (in [ ] in an Endpoint), with a zone (RFC 4007 11)
        for (String ok : List.of("vpn.example.org:51820", "192.0.2.1:1", "[2001:db8::1]:51820", "[fe80::1%eth0]:51820",
                "a-b.example:0", "localhost:51820", "xn--bcher-kva.example:443")) {
            WgConfig c = WgConfig.parse("wg0.conf", new StringReader("[Peer]\nPublicKey = " + CLIENT1_PUBLIC + "\nEndpoint = " + ok + "\n"));
            assertEquals(ok, c.peers().get(0).endpoint().orElseThrow().toString());
        }
        assertEquals("wg0.conf:3: [Peer] Endpoint: not an IPv6 address in [ ] (line: Endpoint = [vpn.example.org]:51820)",
                message("[Peer]\nPublicKey = " + CLIENT1_PUBLIC + "\nEndpoint = [vpn.example.org]:51820\n"));
        assertEquals("wg0.conf:3: [Peer] Endpoint: not an IP address or host name (line: Endpoint = -vpn.example.org:51820)",
                message("[Peer]\nPublicKey = " + CLIENT1_PUBLIC + "\nEndpoint = -vpn.example.org:51820\n"));
        assertEquals("wg0.conf:3: [Peer] Endpoint: not an IP address or host name (line: Endpoint = a..b:51820)",
                message("[Peer]\nPublicKey = " + CLIENT1_PUBLIC + "\nEndpoint = a..b:51820\n"));
        // a key pasted into the wrong line is no host name, and the error does not show it
        assertEquals("wg0.conf:3: [Peer] Endpoint: not an IP address or host name (line: Endpoint = ****:51820)",
                message("[Peer]\nPublicKey = " + CLIENT1_PUBLIC + "\nEndpoint = " + CLIENT1_PUBLIC + ":51820\n"));
        assertEquals("wg0.conf:2: [Interface] DNS: not an IP address or domain name (line: DNS = 10.0.0.1, ****)",
                message("[Interface]\nDNS = 10.0.0.1, " + CLIENT1_PUBLIC + "\n"));
        assertEquals(List.of("10.0.0.1", "fd00::1", "home.example"), WgConfig.parse("wg0.conf",
                new StringReader("[Interface]\nDNS = 10.0.0.1, fd00::1, home.example\n")).iface().dns());
    }

    private static String message(String text) {
        return assertThrows(ConfigException.class, () -> WgConfig.parse("wg0.conf", new StringReader(text))).getMessage();
    }

    @Test
    void aConfigReadableByOthersShouldWarnExactlyWhenWgQuickDoes(@TempDir Path tmp) throws Exception {
        // Truth: wg-quick itself (`wg-quick strip` parses the file and prints the same warning on stderr).
        dev.wgdiag.testing.Requirements.commands("wg-quick");
        dev.wgdiag.testing.Requirements.root();
        for (String dirMode : List.of("rwx------", "rwxr-x---", "rwxr-xr-x", "rwx-----x")) {
            for (String fileMode : List.of("rw-------", "rw-r-----", "rw-r--r--", "rw----r--")) {
                Path dir = Files.createDirectories(tmp.resolve(dirMode.replace('-', '_')));
                Path f = dir.resolve("wg0.conf");
                Files.writeString(f, SERVER);
                Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(fileMode));
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString(dirMode));
                Process p = new ProcessBuilder("wg-quick", "strip", f.toString()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                String wgQuick = new String(p.getErrorStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                assertEquals(0, p.waitFor(), wgQuick);
                boolean theyWarn = wgQuick.contains("is world accessible");
                List<String> ours = WgConfig.parse(f).warnings();
                assertEquals(theyWarn ? List.of("Warning: `" + f + "' is world accessible") : List.of(), ours,
                        "file " + fileMode + " in directory " + dirMode + "; wg-quick said: " + wgQuick);
            }
        }
    }
}
