package dev.wgdiag.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The lenient read behind {@code wgdiag check}: every defect with its line, and the strict parse throwing the first. */
class LocatedConfigTest {
    private static final String TEXT = String.join("\n",
            "[Interface]",
            "PrivateKey = " + WgConfigTest.SERVER_PRIVATE,
            "Adress = 10.0.0.1/24",
            "ListenPort = many",
            "",
            "[Peer]",
            "AllowedIPs = 10.0.0.2/32,",
            "",
            "# laptop",
            "[Peer]",
            "PublicKey = " + WgConfigTest.CLIENT1_PUBLIC,
            "AllowedIPs = 10.0.0.3/32",
            "");

    private static LocatedConfig read(String text) throws Exception {
        return LocatedConfig.of(RawConfig.parse("wg0.conf", new StringReader(text)));
    }

    @Test
    void everyDefectShouldBeRecordedWithItsLineInReadingOrder() throws Exception {
        LocatedConfig c = read(TEXT);
        assertEquals(List.of(ConfigException.Kind.UNKNOWN_ATTRIBUTE, ConfigException.Kind.BAD_VALUE, ConfigException.Kind.BAD_VALUE,
                        ConfigException.Kind.MISSING_PUBLIC_KEY),
                c.problems().stream().map(ConfigException::kind).toList());
        assertEquals(List.of(3, 4, 7, 6), c.problems().stream().map(ConfigException::line).toList());
        // the misspelled Address is still read, as Address
        assertEquals(List.of(new LocatedConfig.Located<>(IpPrefix.parse("10.0.0.1/24"), 3)), c.iface().orElseThrow().addresses());
        assertEquals(2, c.peers().size());
        assertEquals("laptop", c.peers().get(1).comment());
        assertEquals(11, c.peers().get(1).publicKey().line());
        assertEquals(12, c.peers().get(1).allowedIps().get(0).line());
    }

    @Test
    void theStrictParseShouldThrowTheFirstDefect() {
        ConfigException e = assertThrows(ConfigException.class, () -> WgConfig.parse("wg0.conf", new StringReader(TEXT)));
        assertEquals("wg0.conf:3: [Interface] Adress: unknown attribute (line: Adress = 10.0.0.1/24)", e.getMessage());
    }

    @Test
    void aMisspelledKeyAttributeShouldNeverQuoteTheKey() {
        ConfigException e = assertThrows(ConfigException.class, () -> WgConfig.parse("wg0.conf",
                new StringReader("[Interface]\nPrivatKey = " + WgConfigTest.SERVER_PRIVATE + "\n")));
        assertEquals("wg0.conf:2: [Interface] PrivatKey: unknown attribute (line: PrivatKey = ****)", e.getMessage());
    }
}
