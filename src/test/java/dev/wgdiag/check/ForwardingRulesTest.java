package dev.wgdiag.check;

import static dev.wgdiag.check.Fixture.assertFindings;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.wgdiag.check.Fixture.Configs;
import dev.wgdiag.check.Fixture.Expect;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Server forwarding and masquerading in PostUp/PostDown, written with iptables/ip6tables and with
 * nftables. The clean nftables hooks are the ones the lab test runs for real on a server that
 * carries both families to an outside address ({@link CheckLabTest}).
 */
class ForwardingRulesTest {
    private static final String V6_MASQ_UP = "; ip6tables -t nat -A POSTROUTING -o eth0 -j MASQUERADE";
    private static final String V6_MASQ_DOWN = "; ip6tables -t nat -D POSTROUTING -o eth0 -j MASQUERADE";

    private static int postUp(Configs c) {
        return c.line("server.conf", "PostUp");
    }

    @Test
    void aServerWithoutIpv6MasqueradeShouldBeAnError() {
        Configs bad = Configs.pair().replace("server.conf", V6_MASQ_UP, "").replace("server.conf", V6_MASQ_DOWN, "");
        CheckResult r = bad.check();
        assertFindings(List.of(new Expect("server.conf", postUp(bad), Severity.ERROR, Rule.NO_MASQUERADE)), r);
        Detail.Forwarding d = (Detail.Forwarding) r.findings().get(0).detail();
        assertEquals(new Detail.Forwarding(6, "phone.conf", false, "eth0", false), d);
    }

    @Test
    void anNftablesMasqueradeLimitedToIpv4ShouldBeAnErrorForIpv6() {
        Configs nft = Configs.pair().replace("server.conf", Fixture.IPTABLES_UP, Fixture.NFT_UP);
        Configs bad = nft.replace("server.conf", "oifname eth0 masquerade", "oifname eth0 ip saddr 10.8.0.0/24 masquerade");
        CheckResult r = bad.check();
        assertFindings(List.of(new Expect("server.conf", postUp(bad), Severity.ERROR, Rule.NO_MASQUERADE)), r);
        assertEquals(true, ((Detail.Forwarding) r.findings().get(0).detail()).nft());
        assertFindings(List.of(), nft.check());
    }

    @Test
    void hooksWgdiagCannotReadShouldTurnTheForwardingFindingsIntoNotes() {
        Configs bad = Configs.pair().replace("server.conf", Fixture.IPTABLES_UP,
                "PostUp = /etc/wireguard/forward.sh up %i\nPostDown = /etc/wireguard/forward.sh down %i");
        int line = postUp(bad);
        assertFindings(List.of(
                new Expect("server.conf", line, Severity.NOTE, Rule.NO_MASQUERADE),
                new Expect("server.conf", line, Severity.NOTE, Rule.NO_MASQUERADE),
                new Expect("server.conf", line, Severity.NOTE, Rule.NO_FORWARD_ACCEPT),
                new Expect("server.conf", line, Severity.NOTE, Rule.NO_FORWARD_ACCEPT),
                new Expect("server.conf", line, Severity.NOTE, Rule.NO_IP_FORWARDING),
                new Expect("server.conf", line, Severity.NOTE, Rule.NO_IP_FORWARDING)), bad.check());
    }

    @Test
    void aMasqueradeOnTheTunnelInsteadOfTheUplinkShouldBeAnError() {
        Configs bad = Configs.pair().replace("server.conf", V6_MASQ_UP, V6_MASQ_UP.replace("eth0", "%i"))
                .replace("server.conf", V6_MASQ_DOWN, V6_MASQ_DOWN.replace("eth0", "%i"));
        assertFindings(List.of(new Expect("server.conf", bad.line("server.conf", "PostUp = ip6tables"), Severity.ERROR,
                Rule.MASQUERADE_ON_TUNNEL)), bad.check());
    }

    @Test
    void forwardAcceptForIpv4ButNotIpv6ShouldBeAWarning() {
        Configs bad = Configs.pair().replace("server.conf", "ip6tables -A FORWARD -i %i -j ACCEPT; ip6tables -A FORWARD -o %i -j ACCEPT; ", "")
                .replace("server.conf", "ip6tables -D FORWARD -i %i -j ACCEPT; ip6tables -D FORWARD -o %i -j ACCEPT; ", "");
        assertFindings(List.of(new Expect("server.conf", postUp(bad), Severity.WARNING, Rule.NO_FORWARD_ACCEPT)), bad.check());
    }

    @Test
    void ipv4ForwardingSwitchedOnButNotIpv6ShouldBeAWarning() {
        Configs bad = Configs.pair().replace("server.conf", "; sysctl -w net.ipv6.conf.all.forwarding=1", "");
        assertFindings(List.of(new Expect("server.conf", postUp(bad), Severity.WARNING, Rule.NO_IP_FORWARDING)), bad.check());
        Configs echo = Configs.pair().replace("server.conf", "sysctl -w net.ipv6.conf.all.forwarding=1",
                "echo 1 > /proc/sys/net/ipv6/conf/all/forwarding");
        assertFindings(List.of(), echo.check());
    }

    @Test
    void aPostUpRuleNoPostDownRemovesShouldBeAWarningWithTheUndoingCommand() {
        Configs bad = Configs.pair().replace("server.conf", V6_MASQ_DOWN, "");
        CheckResult r = bad.check();
        assertFindings(List.of(new Expect("server.conf", bad.line("server.conf", "PostUp = ip6tables"), Severity.WARNING,
                Rule.POSTDOWN_NOT_UNDONE)), r);
        assertEquals(new Detail.NotUndone(List.of("ip6tables -t nat -A POSTROUTING -o eth0 -j MASQUERADE"),
                List.of("ip6tables -t nat -D POSTROUTING -o eth0 -j MASQUERADE")), r.findings().get(0).detail());
    }

    @Test
    void nftablesRulesWithoutTheTableDeletedShouldBeAWarningOnEachLine() {
        Configs nft = Configs.pair().replace("server.conf", Fixture.IPTABLES_UP, Fixture.NFT_UP);
        Configs bad = nft.replace("server.conf", "PostDown = nft delete table inet wgnat", "");
        CheckResult r = bad.check();
        assertFindings(List.of(
                new Expect("server.conf", bad.line("server.conf", "nft add table"), Severity.WARNING, Rule.POSTDOWN_NOT_UNDONE),
                new Expect("server.conf", bad.line("server.conf", "nft add chain inet wgnat fwd"), Severity.WARNING, Rule.POSTDOWN_NOT_UNDONE)), r);
        assertEquals("nft delete table inet wgnat", ((Detail.NotUndone) r.findings().get(0).detail()).undo().get(0));
    }

    @Test
    void aLiteralInterfaceNameThatIsNotTheFilesShouldBeAnError() {
        Configs bad = Configs.pair().replace("server.conf", "%i", "wg0");
        int up4 = bad.line("server.conf", "PostUp = iptables");
        int up6 = bad.line("server.conf", "PostUp = ip6tables");
        int down4 = bad.line("server.conf", "PostDown = iptables");
        int down6 = bad.line("server.conf", "PostDown = ip6tables");
        CheckResult r = bad.check();
        assertFindings(List.of(
                new Expect("server.conf", up4, Severity.ERROR, Rule.TUNNEL_NAME_LITERAL),
                new Expect("server.conf", up6, Severity.ERROR, Rule.TUNNEL_NAME_LITERAL),
                new Expect("server.conf", down4, Severity.ERROR, Rule.TUNNEL_NAME_LITERAL),
                new Expect("server.conf", down6, Severity.ERROR, Rule.TUNNEL_NAME_LITERAL)), r);
        assertEquals(new Detail.TunnelName("wg0", "server"), r.findings().get(0).detail());
        // the same rules in a file wg-quick brings up as wg0 are right
        Configs named = new Configs(List.of("wg0.conf", "phone.conf"), bad.texts(), CheckOptions.DEFAULTS);
        assertFindings(List.of(), named.check());
    }

    @Test
    void twoUplinkNamesShouldBeAWarning() {
        Configs bad = Configs.pair().replace("server.conf", V6_MASQ_UP, V6_MASQ_UP.replace("eth0", "ens3"))
                .replace("server.conf", V6_MASQ_DOWN, V6_MASQ_DOWN.replace("eth0", "ens3"));
        assertFindings(List.of(new Expect("server.conf", bad.line("server.conf", "PostUp = ip6tables"), Severity.WARNING,
                Rule.UPLINK_INCONSISTENT)), bad.check());
    }

    @Test
    void hookTextShouldBeSplitAsBashSplitsIt() {
        List<List<String>> c = Hooks.split("iptables -A FORWARD -i \"%i\" -j ACCEPT && echo 1 > /proc/sys/net/ipv4/ip_forward 2>&1;"
                + " nft 'add rule inet t c oifname \"eth0\" masquerade' | logger");
        assertEquals(List.of(List.of("iptables", "-A", "FORWARD", "-i", "%i", "-j", "ACCEPT"),
                List.of("echo", "1", ">", "/proc/sys/net/ipv4/ip_forward", "2", ">", "1"),
                List.of("nft", "add rule inet t c oifname \"eth0\" masquerade"), List.of("logger")), c);
    }
}
