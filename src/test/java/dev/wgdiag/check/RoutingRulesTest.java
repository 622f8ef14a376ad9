package dev.wgdiag.check;

import static dev.wgdiag.check.Fixture.assertFindings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wgdiag.check.Fixture.Configs;
import dev.wgdiag.check.Fixture.Expect;
import dev.wgdiag.config.IpPrefix;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Addresses and routing. That a prefix given to two peers ends up on the later one is shown on a
 * real device, and that a 0.0.0.0/0-only tunnel lets IPv6 out beside it with real packets, in
 * {@link CheckLabTest}.
 */
class RoutingRulesTest {

    /** The pair with IPv4 only: no IPv6 address on either side. */
    static Configs ipv4Only() {
        return Configs.pair().replace("server.conf", "Address = 10.8.0.1/24, fd42:8::1/64", "Address = 10.8.0.1/24")
                .replace("server.conf", "AllowedIPs = 10.8.0.2/32, fd42:8::2/128", "AllowedIPs = 10.8.0.2/32")
                .replace("phone.conf", "Address = 10.8.0.2/32, fd42:8::2/128", "Address = 10.8.0.2/32");
    }

    @Test
    void oneAddressGivenToTwoPeersShouldBeAnErrorOnTheLaterPeer() {
        String other = "# laptop\n[Peer]\nPublicKey = " + Fixture.keys().laptopPublic() + "\nAllowedIPs = 10.8.0.2/32, fd42:8::3/128\n\n";
        Configs bad = Configs.pair().replace("server.conf", "# phone", other + "# phone");
        assertFindings(List.of(new Expect("server.conf", bad.line("server.conf", "AllowedIPs = 10.8.0.2/32, fd42:8::2"), Severity.ERROR,
                Rule.ALLOWED_IPS_DUPLICATE)), bad.check());
        assertFindings(List.of(), Configs.pair().replace("server.conf", "# phone", Fixture.laptopPeer() + "\n# phone").check());
    }

    @Test
    void nestedAllowedIpsOfTwoPeersShouldBeAWarning() {
        String site = "# site\n[Peer]\nPublicKey = " + Fixture.keys().laptopPublic() + "\nAllowedIPs = 10.8.0.0/28\n\n";
        Configs bad = Configs.pair().replace("server.conf", "# phone", site + "# phone");
        assertFindings(List.of(new Expect("server.conf", bad.line("server.conf", "AllowedIPs = 10.8.0.2/32"), Severity.WARNING,
                Rule.ALLOWED_IPS_OVERLAP)), bad.check());
    }

    @Test
    void aClientAddressTheServerDoesNotAllowShouldBeAnError() {
        Configs bad = Configs.pair().replace("server.conf", "AllowedIPs = 10.8.0.2/32, fd42:8::2/128", "AllowedIPs = 10.8.0.2/32");
        CheckResult r = bad.check();
        assertFindings(List.of(new Expect("phone.conf", bad.line("phone.conf", "Address"), Severity.ERROR, Rule.ADDRESS_NOT_ALLOWED)), r);
        assertEquals(IpPrefix.parse("fd42:8::2/128"), ((Detail.AddressNotAllowed) r.findings().get(0).detail()).address());
    }

    @Test
    void aFullTunnelForIpv4OnlyShouldBeAnErrorWhenTheTunnelHasIpv6() {
        Configs bad = Configs.pair().replace("phone.conf", "AllowedIPs = 0.0.0.0/0, ::/0", "AllowedIPs = 0.0.0.0/0");
        CheckResult r = bad.check();
        assertFindings(List.of(new Expect("phone.conf", bad.line("phone.conf", "AllowedIPs"), Severity.ERROR, Rule.IPV6_LEAK)), r);
        assertEquals(new Detail.Leak(6, true, List.of("phone.conf", "server.conf")), r.findings().get(0).detail());
        assertFindings(List.of(), Configs.pair().check());
    }

    @Test
    void aFullTunnelCoveredByTwoHalvesShouldCountAsAFullTunnel() {
        Configs bad = Configs.pair().replace("phone.conf", "AllowedIPs = 0.0.0.0/0, ::/0", "AllowedIPs = 0.0.0.0/1, 128.0.0.0/1");
        assertFindings(List.of(new Expect("phone.conf", bad.line("phone.conf", "AllowedIPs"), Severity.ERROR, Rule.IPV6_LEAK)), bad.check());
        Configs ok = Configs.pair().replace("phone.conf", "AllowedIPs = 0.0.0.0/0, ::/0", "AllowedIPs = 0.0.0.0/1, 128.0.0.0/1, ::/1, 8000::/1");
        assertFindings(List.of(), ok.check());
    }

    @Test
    void aFullTunnelForIpv4OnlyShouldBeAWarningWhenNeitherSideHasIpv6() {
        Configs bad = ipv4Only().replace("phone.conf", "AllowedIPs = 0.0.0.0/0, ::/0", "AllowedIPs = 0.0.0.0/0");
        assertFindings(List.of(new Expect("phone.conf", bad.line("phone.conf", "AllowedIPs"), Severity.WARNING, Rule.IPV6_LEAK)), bad.check());
        // the fix: ::/0 without IPv6 addresses blocks IPv6, which is no finding
        assertFindings(List.of(), ipv4Only().check());
    }

    @Test
    void aFullTunnelForIpv6OnlyShouldBeAnErrorWhenTheTunnelHasIpv4() {
        Configs bad = Configs.pair().replace("phone.conf", "AllowedIPs = 0.0.0.0/0, ::/0", "AllowedIPs = ::/0");
        assertFindings(List.of(new Expect("phone.conf", bad.line("phone.conf", "AllowedIPs"), Severity.ERROR, Rule.IPV4_LEAK)), bad.check());
    }

    @Test
    void linkLocalTunnelAddressesShouldBeWarnedAboutWithAUniqueLocalSuggestion() {
        Configs bad = Configs.pair().replace("server.conf", "fd42:8::", "fe80::")
                .replace("phone.conf", "fd42:8::", "fe80::");
        CheckResult r = bad.check();
        assertFindings(List.of(new Expect("server.conf", bad.line("server.conf", "Address"), Severity.WARNING, Rule.IPV6_SCOPE),
                new Expect("phone.conf", bad.line("phone.conf", "Address"), Severity.WARNING, Rule.IPV6_SCOPE)), r);
        Detail.Ipv6Scope s = (Detail.Ipv6Scope) r.findings().get(0).detail();
        assertEquals(Detail.Scope.LINK_LOCAL, s.scope());
        // RFC 4193: fd00::/8, the same 48-bit prefix for both sides of the tunnel, the interface ID kept
        assertTrue(IpPrefix.parse("fd00::/8").contains(s.suggestion()), s.suggestion().toString());
        Detail.Ipv6Scope p = (Detail.Ipv6Scope) r.findings().get(1).detail();
        assertEquals(s.suggestion().value().shiftRight(80), p.suggestion().value().shiftRight(80));
        assertEquals(IpPrefix.parse("::1/128").value(), s.suggestion().value().and(java.math.BigInteger.valueOf(0xffff)));
    }

    @Test
    void siteLocalTunnelAddressesShouldBeWarnedAbout() {
        Configs bad = Configs.pair().replace("server.conf", "fd42:8::", "fec0:8::")
                .replace("phone.conf", "fd42:8::", "fec0:8::");
        CheckResult r = bad.check();
        assertEquals(List.of(Rule.IPV6_SCOPE, Rule.IPV6_SCOPE), r.findings().stream().map(Finding::rule).toList());
        assertEquals(Detail.Scope.SITE_LOCAL, ((Detail.Ipv6Scope) r.findings().get(0).detail()).scope());
    }

    @Test
    void tunnelAddressesInTheUndefinedHalfOfTheUlaRangeShouldBeNoted() {
        Configs bad = Configs.pair().replace("server.conf", "fd42:8::", "fc42:8::")
                .replace("phone.conf", "fd42:8::", "fc42:8::");
        assertFindings(List.of(new Expect("server.conf", bad.line("server.conf", "Address"), Severity.NOTE, Rule.IPV6_SCOPE),
                new Expect("phone.conf", bad.line("phone.conf", "Address"), Severity.NOTE, Rule.IPV6_SCOPE)), bad.check());
    }

    @Test
    void aDefaultRouteForAFamilyThisSideHasNoAddressOfShouldBeNotedWhenTheOtherSideHasIt() {
        Configs bad = Configs.pair().replace("phone.conf", "Address = 10.8.0.2/32, fd42:8::2/128", "Address = 10.8.0.2/32");
        assertFindings(List.of(new Expect("phone.conf", bad.line("phone.conf", "AllowedIPs"), Severity.NOTE, Rule.ROUTE_WITHOUT_ADDRESS)),
                bad.check());
    }

    @Test
    void aServerThatRoutesEverythingToADialingClientShouldBeAnError() {
        Configs bad = Configs.pair().replace("server.conf", "AllowedIPs = 10.8.0.2/32, fd42:8::2/128", "AllowedIPs = 0.0.0.0/0, ::/0");
        int line = bad.line("server.conf", "AllowedIPs");
        assertFindings(List.of(new Expect("server.conf", line, Severity.ERROR, Rule.DEFAULT_ROUTE_TO_CLIENT),
                new Expect("server.conf", line, Severity.ERROR, Rule.DEFAULT_ROUTE_TO_CLIENT)), bad.check());
    }

    @Test
    void aTunnelWithTableOffShouldMakeNoRoutingClaims() {
        // wg-quick(8): Table = off adds no routes, so no family leaks around routes it never made
        Configs c = Configs.pair().replace("phone.conf", "AllowedIPs = 0.0.0.0/0, ::/0", "AllowedIPs = 0.0.0.0/0")
                .replace("phone.conf", "DNS = 10.8.0.1", "DNS = 10.8.0.1\nTable = off");
        assertFindings(List.of(), c.check());
    }
}
