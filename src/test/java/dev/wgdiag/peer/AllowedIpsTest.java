package dev.wgdiag.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.wgdiag.config.IpPrefix;
import org.junit.jupiter.api.Test;

/**
 * Cryptokey routing (whitepaper section 2's table, wireguard-go allowedips_test.go's idea): the longest
 * matching prefix wins, per family, and re-inserting a prefix moves it.
 */
class AllowedIpsTest {
    final AllowedIps<String> table = new AllowedIps<>();

    String lookup(String ip) {
        byte[] a = SimNet.addr(ip).getAddress();
        return table.lookup(a, 0, a.length);
    }

    @Test
    void shouldRouteByLongestPrefixPerFamily() {
        table.insert(IpPrefix.parse("0.0.0.0/0"), "default");
        table.insert(IpPrefix.parse("10.0.0.0/8"), "ten");
        table.insert(IpPrefix.parse("10.0.0.2/32"), "phone");
        table.insert(IpPrefix.parse("10.0.1.0/24"), "lan");
        table.insert(IpPrefix.parse("fd00::/8"), "ula");
        table.insert(IpPrefix.parse("fd86:ea04:1119::2/128"), "phone6");
        assertEquals("phone", lookup("10.0.0.2"));
        assertEquals("ten", lookup("10.0.0.3"));
        assertEquals("lan", lookup("10.0.1.200"));
        assertEquals("default", lookup("192.0.2.1"));
        assertEquals("phone6", lookup("fd86:ea04:1119::2"));
        assertEquals("ula", lookup("fd86:ea04:1119::3"));
        assertNull(lookup("2001:db8::1"));
    }

    @Test
    void shouldMoveAPrefixInsertedAgainForAnotherPeer() {
        table.insert(IpPrefix.parse("10.0.0.0/24"), "a");
        table.insert(IpPrefix.parse("10.0.0.0/24"), "b");
        assertEquals("b", lookup("10.0.0.9"));
        assertEquals(1, table.size());
    }

    @Test
    void shouldIgnoreHostBitsBeyondThePrefixLength() {
        table.insert(IpPrefix.parse("10.0.0.1/24"), "net"); // wg(8) accepts and masks it
        assertEquals("net", lookup("10.0.0.77"));
        assertNull(lookup("10.0.1.1"));
    }
}
