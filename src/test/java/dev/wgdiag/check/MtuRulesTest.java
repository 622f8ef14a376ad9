package dev.wgdiag.check;

import static dev.wgdiag.check.Fixture.assertFindings;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.wgdiag.check.Fixture.Configs;
import dev.wgdiag.check.Fixture.Expect;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * MTU against the outer path: 60 bytes of overhead over IPv4, 80 over IPv6, PPPoE 8 more, IPv4 in
 * IPv6 (DS-Lite, MAP-E) 40 more for IPv4. wg-quick's automatic 1420 (the route's MTU less 80) is
 * shown on wg-quick itself in {@link CheckLabTest}.
 */
class MtuRulesTest {

    private static CheckOptions line(String file, String type) {
        return new CheckOptions(List.of(), List.of(new CheckOptions.Scoped<>(file, OuterLine.parse(type))));
    }

    private static Configs withMtu(Configs c, int mtu) {
        return c.replace("phone.conf", "DNS = 10.8.0.1", "DNS = 10.8.0.1\nMTU = " + mtu);
    }

    @Test
    void anMtuOfFifteenHundredShouldBeTooLargeForAnIpv4EndpointAndFourteenFortyShouldFit() {
        Configs bad = withMtu(Configs.pair(), 1500);
        CheckResult r = bad.check();
        assertFindings(List.of(new Expect("phone.conf", bad.line("phone.conf", "MTU"), Severity.WARNING, Rule.MTU_TOO_LARGE)), r);
        assertEquals(1440, ((Detail.MtuTooLarge) r.findings().get(0).detail()).recommended());
        assertFindings(List.of(), withMtu(Configs.pair(), 1440).check());
    }

    @Test
    void anIpv6EndpointShouldNeedEightyBytes() {
        Configs v6 = Configs.pair().replace("phone.conf", "203.0.113.10:51820", "[2001:db8::10]:51820");
        Configs bad = withMtu(v6, 1440);
        CheckResult r = bad.check();
        assertFindings(List.of(new Expect("phone.conf", bad.line("phone.conf", "MTU"), Severity.WARNING, Rule.MTU_TOO_LARGE)), r);
        assertEquals(1420, ((Detail.MtuTooLarge) r.findings().get(0).detail()).recommended());
        assertFindings(List.of(), withMtu(v6, 1420).check());
    }

    @Test
    void aHostNameShouldBeJudgedByTheNarrowerFamily() {
        Configs named = Configs.pair().replace("phone.conf", "203.0.113.10:51820", "vpn.example.org:51820");
        CheckResult r = withMtu(named, 1440).check();
        assertEquals(List.of(Rule.MTU_TOO_LARGE), r.findings().stream().map(Finding::rule).toList());
        assertEquals(0, ((Detail.MtuTooLarge) r.findings().get(0).detail()).family());
        assertFindings(List.of(), withMtu(named, 1420).check());
    }

    @Test
    void wgQuicksAutomaticMtuShouldBeTooLargeForIpv4OverDsLiteOnBothSides() {
        Configs bad = Configs.pair().with(line("phone.conf", "ds-lite"));
        CheckResult r = bad.check();
        assertFindings(List.of(new Expect("server.conf", 2, Severity.WARNING, Rule.MTU_TOO_LARGE),
                new Expect("phone.conf", 2, Severity.WARNING, Rule.MTU_TOO_LARGE)), r);
        // 1500 - 40 (IPv6 carrying IPv4) - 60
        assertEquals(1400, ((Detail.MtuTooLarge) r.findings().get(1).detail()).recommended());
        assertFindings(List.of(), withMtu(bad, 1400).replace("server.conf", "ListenPort = 51820", "ListenPort = 51820\nMTU = 1400").check());
    }

    @Test
    void pppoeShouldTakeEightBytesFromAnIpv6Path() {
        Configs v6 = Configs.pair().replace("phone.conf", "203.0.113.10:51820", "[2001:db8::10]:51820").with(line(null, "pppoe"));
        CheckResult r = v6.check();
        assertEquals(List.of(Rule.MTU_TOO_LARGE, Rule.MTU_TOO_LARGE), r.findings().stream().map(Finding::rule).toList());
        assertEquals(1412, ((Detail.MtuTooLarge) r.findings().get(0).detail()).recommended());
    }

    @Test
    void anMtuBelowTwelveEightyWithIpv6AddressesShouldBeAnError() {
        Configs bad = withMtu(Configs.pair(), 1200);
        assertFindings(List.of(new Expect("phone.conf", bad.line("phone.conf", "MTU"), Severity.ERROR, Rule.MTU_BELOW_IPV6_MINIMUM)),
                bad.check());
        assertFindings(List.of(), withMtu(RoutingRulesTest.ipv4Only(), 1200).check());
    }

    @Test
    void linesShouldParse() {
        assertEquals(List.of(1500, 1452, 1492), List.of(OuterLine.parse("ethernet").pathMtu(4),
                OuterLine.parse("pppoe+ds-lite").pathMtu(4), OuterLine.parse("pppoe+map-e").pathMtu(6)));
        assertEquals(1400, OuterLine.parse("1400").pathMtu(6));
    }
}
