package dev.wgdiag.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wgdiag.probe.Behaviours;
import dev.wgdiag.probe.NatBehaviour;
import dev.wgdiag.probe.Observation;
import dev.wgdiag.probe.ProbeProfile;
import dev.wgdiag.probe.Timer;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.TimeZone;
import org.junit.jupiter.api.Test;

/**
 * {@code wgdiag probe --html}: the profile ProbeNatLabTest measured through a conntrack NAT set to 6 s /
 * 12 s (brackets (4, 8] and (11.2, 12.8], public endpoints on 203.0.113.201) with one server address
 * (mapping endpoint-independent, filtering open), rendered: every field is on the page, a hostile title
 * is escaped, nothing is loaded from the network, and the page is the same in any locale and time zone.
 */
class ProbeHtmlTest {
    static final InetSocketAddress SEEN = new InetSocketAddress("203.0.113.201", 40512);
    static final String HOSTILE = "<script>alert('x')</script>&\"phone\".conf towards 192.0.2.1:51820";

    static ProbeProfile profile() {
        List<Observation> obs = List.of(new Observation(Timer.ONE_WAY, 4, true, 40510), new Observation(Timer.ONE_WAY, 8, false, 40511),
                new Observation(Timer.ESTABLISHED, 11.2, true, 40512, SEEN),
                new Observation(Timer.ESTABLISHED, 12.8, false, 40513, new InetSocketAddress("203.0.113.201", 40513)));
        Behaviours b = new Behaviours(NatBehaviour.measured(NatBehaviour.Kind.ENDPOINT_INDEPENDENT),
                NatBehaviour.notMeasured(NatBehaviour.Reason.ONE_SERVER_ADDRESS), Arrays.asList(SEEN, SEEN, null));
        return ProbeProfile.of(obs, 67.46, true, b);
    }

    @Test
    void shouldShowEveryFieldOfTheProfile() {
        ProbeProfile p = profile();
        String h = ProbeHtml.toHtml(p, "phone.conf towards 192.0.2.1:51820");
        assertTrue(h.contains("(11.2, 12.8] s"), "established bracket");
        assertTrue(h.contains("(4, 8] s"), "one-way bracket");
        assertTrue(h.contains("PersistentKeepalive = " + p.recommendation().persistentKeepalive() + "</pre>"), "the config line");
        assertTrue(h.contains("<td>endpoint-independent</td>"), "mapping behaviour");
        assertTrue(h.contains("not measured (endpoint-independent or address-dependent: the server has one address"), "filtering, with why");
        assertTrue(h.contains("203.0.113.201:40512, 203.0.113.201:40513"), "public endpoints, the behaviour test's first");
        assertTrue(h.contains("<td>preserved</td>") && h.contains("Port preservation</td><td>yes"), "allocation and preservation");
        assertTrue(h.contains("Inbound refresh (server-only traffic keeps the mapping)</td><td>yes"), "inbound refresh");
        assertTrue(h.contains("4 flows observed in 67.5 s"), "flows and duration");
        for (String json : List.of("mapping.lifetimeSeconds", "mapping.oneWayLifetimeSeconds", "mapping.behaviour", "filtering.behaviour",
                "mapping.inboundRefresh", "mapping.portPreservation", "mapping.portAllocation", "mapping.publicEndpoints")) {
            assertTrue(h.contains("<code>" + json + "</code>"), json);
        }
        assertEquals(4, h.split("<tr><td>(one-way|established)</td>", -1).length - 1, "a row per flow");
    }

    @Test
    void shouldEscapeTheTitleAndLoadNothing() {
        String h = ProbeHtml.toHtml(profile(), HOSTILE);
        assertFalse(h.contains("<script>"), "no raw script");
        assertTrue(h.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&quot;phone&quot;.conf"), "escaped in title and header");
        assertFalse(h.contains("http://") || h.contains("https://") || h.contains(" src="), "self-contained");
        assertTrue(h.contains("default-src 'none'"), "a content security policy that forbids loading");
    }

    @Test
    void shouldBeTheSameInEveryLocaleAndTimeZone() {
        Locale locale = Locale.getDefault();
        TimeZone zone = TimeZone.getDefault();
        try {
            Locale.setDefault(Locale.ROOT);
            TimeZone.setDefault(TimeZone.getTimeZone("UTC"));
            String root = ProbeHtml.toHtml(profile(), "t");
            Locale.setDefault(Locale.GERMANY); // decimal comma
            TimeZone.setDefault(TimeZone.getTimeZone("Pacific/Chatham")); // UTC+12:45
            assertEquals(root, ProbeHtml.toHtml(profile(), "t"));
            Locale.setDefault(Locale.forLanguageTag("ar-EG")); // Arabic-Indic digits
            assertEquals(root, ProbeHtml.toHtml(profile(), "t"));
        } finally {
            Locale.setDefault(locale);
            TimeZone.setDefault(zone);
        }
    }
}
