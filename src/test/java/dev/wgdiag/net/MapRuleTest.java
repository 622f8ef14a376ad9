package dev.wgdiag.net;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Port sets from a MAP rule, against RFC 7597's own worked example, and typed port lists. */
class MapRuleTest {
    /**
     * RFC 7597 Appendix A, Example 1: end-user prefix 2001:db8:0012:3400::/56, BMR {2001:db8:0000::/40,
     * 192.0.2.0/24, 16 EA bits}, PSID offset 6 (default): IPv4 192.0.2.18, PSID 0x34 (8 bits), and the
     * RFC lists the available ports as "(63 ranges): 1232-1235, 2256-2259, ...... , 63696-63699, 64720-64723".
     */
    @Test
    void shouldGiveTheAddressPsidAndPortsOfRfc7597AppendixAExample1() {
        MapRule rule = MapRule.parse("ipv6=2001:db8:0000::/40,ipv4=192.0.2.0/24,ea-bits=16");
        MapRule.Assignment a = rule.assign("2001:db8:0012:3400::/56");
        assertEquals("192.0.2.18", a.ipv4());
        assertEquals(0x34, a.psid());
        assertEquals(8, a.psidLength());
        List<PortSet.Range> r = a.ports().ranges();
        assertEquals(63, r.size());
        assertEquals(new PortSet.Range(1232, 1235), r.get(0));
        assertEquals(new PortSet.Range(2256, 2259), r.get(1));
        assertEquals(new PortSet.Range(63696, 63699), r.get(61));
        assertEquals(new PortSet.Range(64720, 64723), r.get(62));
        assertEquals(1232, a.ports().preferred(51820));
    }

    /**
     * The set of the v6プラス-style example, {@code 4096-4111,8192-8207,...}: PSID offset 4 and
     * a PSID of 8 bits leave 16 ports in each of 15 blocks (RFC 7597 5.1: a = 4, m = 16 - a - k = 4);
     * PSID 0 starts at 4096, 8192, ... and never touches the ports below 4096.
     */
    @Test
    void shouldGiveFifteenBlocksOfSixteenPortsWithAnOffsetOfFour() {
        MapRule rule = MapRule.parse("ipv6=2001:db8::/40,ipv4=198.51.100.0/24,ea-bits=16,psid-offset=4");
        PortSet s = rule.assign("2001:db8:0001:0000::/56").ports();
        assertEquals(15, s.ranges().size());
        assertEquals(PortSet.parse("4096-4111,8192-8207").ranges(), s.ranges().subList(0, 2));
        assertEquals(240, s.size());
        assertFalse(s.contains(51820));
        assertTrue(s.contains(61440));
    }

    @Test
    void shouldRefuseRulesAndPrefixesThatGiveNoPortSet() {
        MapRule rule = MapRule.parse("ipv6=2001:db8::/40,ipv4=192.0.2.0/24,ea-bits=16");
        assertEquals("2001:db8:12::/48 is shorter than the rule's /40 plus 16 EA bits",
                assertThrows(IllegalArgumentException.class, () -> rule.assign("2001:db8:12::/48")).getMessage());
        assertEquals("2001:db9:12:3400::/56 is not inside the rule's IPv6 prefix",
                assertThrows(IllegalArgumentException.class, () -> rule.assign("2001:db9:12:3400::/56")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> MapRule.parse("ipv6=2001:db8::/40,ipv4=192.0.2.0/24"));
        assertThrows(IllegalArgumentException.class, () -> MapRule.parse("ipv6=vpn.example/40,ipv4=192.0.2.0/24,ea-bits=16"));
    }

    @Test
    void shouldParseAPortListAndPreferTheConventionalPortWhenTheSetHoldsIt() {
        PortSet s = PortSet.parse("8192-8207, 4096-4111,51820");
        assertEquals("4096-4111,8192-8207,51820", s.toString());
        assertEquals(51820, s.preferred(51820));
        assertEquals(4096, PortSet.parse("4096-4111").preferred(51820));
        assertEquals(1024, PortSet.parse("1000-1100").preferred(51820));
        assertThrows(IllegalArgumentException.class, () -> PortSet.parse("4111-4096"));
        assertThrows(IllegalArgumentException.class, () -> PortSet.parse("70000"));
    }
}
