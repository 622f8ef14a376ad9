package dev.wgdiag.check;

import static dev.wgdiag.check.Fixture.assertFindings;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.wgdiag.advice.Advisor;
import dev.wgdiag.check.Fixture.Configs;
import dev.wgdiag.check.Fixture.Expect;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Endpoints and ports; a port mismatch stopping the handshake is shown on wireguard-go in {@link CheckLabTest}. */
class EndpointRulesTest {

    private static CheckOptions portSet(String file, String ports) {
        return new CheckOptions(List.of(new CheckOptions.Scoped<>(file, PortSet.parse(ports))), List.of());
    }

    @Test
    void anEndpointPortThatIsNotTheServersListenPortShouldBeAnError() {
        Configs bad = Configs.pair().replace("phone.conf", "203.0.113.10:51820", "203.0.113.10:51821");
        assertFindings(List.of(new Expect("phone.conf", bad.line("phone.conf", "Endpoint"), Severity.ERROR, Rule.ENDPOINT_PORT_MISMATCH)),
                bad.check());
        assertFindings(List.of(), Configs.pair().check());
    }

    @Test
    void aServerThatIsDialedWithoutListenPortShouldBeAnError() {
        Configs bad = Configs.pair().replace("server.conf", "ListenPort = 51820\n", "");
        assertFindings(List.of(new Expect("server.conf", 2, Severity.ERROR, Rule.NO_LISTEN_PORT)), bad.check());
    }

    @Test
    void aLinkWithoutEndpointOnEitherSideShouldBeAnError() {
        Configs bad = Configs.pair().replace("phone.conf", "Endpoint = 203.0.113.10:51820\n", "");
        assertFindings(List.of(new Expect("server.conf", bad.line("server.conf", "[Peer]"), Severity.ERROR, Rule.NO_ENDPOINT)), bad.check());
    }

    @Test
    void aClientBehindNatWithoutKeepaliveShouldGetAnalyzesKeepaliveAsANote() {
        Configs bad = Configs.pair().replace("phone.conf", "PersistentKeepalive = 25\n", "");
        CheckResult r = bad.check();
        assertFindings(List.of(new Expect("phone.conf", bad.line("phone.conf", "[Peer]"), Severity.NOTE, Rule.KEEPALIVE_MISSING)), r);
        assertEquals(Advisor.FIELD_KEEPALIVE_SECONDS, ((Detail.Keepalive) r.findings().get(0).detail()).recommended());
        // alone, the phone's file says the same: it dials out from a random port
        assertFindings(List.of(new Expect("phone.conf", bad.line("phone.conf", "[Peer]"), Severity.NOTE, Rule.KEEPALIVE_MISSING)),
                Configs.of("phone.conf", bad.text("phone.conf")).check());
    }

    @Test
    void aClientThatDialsAPrivateAddressShouldNeedNoKeepalive() {
        // Advisor's rule: a private address on the other end means no NAT between them
        Configs lan = Configs.pair().replace("phone.conf", "PersistentKeepalive = 25\n", "")
                .replace("phone.conf", "203.0.113.10:51820", "192.168.1.10:51820");
        assertFindings(List.of(), lan.check());
    }

    @Test
    void aKeepaliveLongerThanAnalyzesAdviceShouldBeNoted() {
        Configs bad = Configs.pair().replace("phone.conf", "PersistentKeepalive = 25", "PersistentKeepalive = 120");
        assertFindings(List.of(new Expect("phone.conf", bad.line("phone.conf", "PersistentKeepalive"), Severity.NOTE,
                Rule.KEEPALIVE_TOO_LONG)), bad.check());
    }

    @Test
    void aRandomClientPortOnAPortRestrictedLineShouldBeAWarning() {
        Configs bad = Configs.pair().with(portSet("phone.conf", "3072-3135"));
        assertFindings(List.of(new Expect("phone.conf", 2, Severity.WARNING, Rule.RANDOM_PORT_ON_PORT_SET)), bad.check());
        Configs ok = bad.replace("phone.conf", "DNS = 10.8.0.1", "DNS = 10.8.0.1\nListenPort = 3072");
        assertFindings(List.of(), ok.check());
    }

    @Test
    void aServerListenPortOutsideItsLinesPortSetShouldBeAnError() {
        Configs bad = Configs.pair().with(portSet("server.conf", "3072-3135,7168-7231"));
        assertFindings(List.of(new Expect("server.conf", bad.line("server.conf", "ListenPort"), Severity.ERROR,
                Rule.LISTEN_PORT_OUTSIDE_PORT_SET)), bad.check());
        Configs ok = bad.replace("server.conf", "ListenPort = 51820", "ListenPort = 7168").replace("phone.conf", ":51820", ":7168");
        assertFindings(List.of(), ok.check());
    }

    @Test
    void portSetsShouldParseRangesAndSinglePorts() {
        PortSet s = PortSet.parse("3072-3135, 4000");
        assertEquals(List.of(true, true, true, false, false), List.of(s.contains(3072), s.contains(3135), s.contains(4000),
                s.contains(3136), s.contains(4001)));
        assertEquals(3072, s.first());
    }
}
