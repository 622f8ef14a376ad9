package dev.wgdiag.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/**
 * {@code wgdiag probe} over IPv6 outside (the tunnel inside stays IPv4): a {@link ProbeLab} with NAT66
 * ({@code table ip6} masquerade) and the NAT namespace's conntrack UDP timers at {@value #ONE_WAY_TRUTH} s
 * / {@value #STREAM_TRUTH} s (sysctl: conntrack's UDP timeouts are the same for both families,
 * nf_conntrack_proto_udp.c). Truth as for IPv4 masquerade: the brackets hold the timers, mapping
 * endpoint-independent and filtering address- and port-dependent (nf_nat keeps a free source port;
 * unsolicited inbound datagrams match no conntrack tuple), the public endpoints on the NAT's outside
 * IPv6 address with preserved ports.
 */
@LabTest
class ProbeIpv6LabTest {
    static final int ONE_WAY_TRUTH = 6;
    static final int STREAM_TRUTH = 12;
    static final String NAT66 = "table ip6 wgdprobe {\n chain post {\n  type nat hook postrouting priority srcnat; policy accept;\n"
            + "  oifname \"@OUT@\" masquerade\n }\n}\n";

    @Test
    void shouldProfileANat66LikeItsIpv4Twin() throws Exception {
        try (ProbeLab lab = new ProbeLab(31, true)) {
            lab.build(NAT66, "net.netfilter.nf_conntrack_udp_timeout=" + ONE_WAY_TRUTH,
                    "net.netfilter.nf_conntrack_udp_timeout_stream=" + STREAM_TRUTH);
            lab.serve(true, 120);
            ProbeLab.Run run = lab.probe(120, "--max-lifetime", "30");
            assertEquals(0, run.exit(), run.progress());
            JsonNode m = run.profile().path("mapping");
            JsonNode one = m.path("oneWayLifetimeSeconds"), est = m.path("lifetimeSeconds");
            assertTrue(one.path("lower").asDouble() < ONE_WAY_TRUTH && ONE_WAY_TRUTH <= one.path("upper").asDouble(), one + run.progress());
            assertTrue(est.path("lower").asDouble() < STREAM_TRUTH && STREAM_TRUTH <= est.path("upper").asDouble(), est + run.progress());
            assertEquals("ENDPOINT_INDEPENDENT", m.path("behaviour").asText(), run.progress());
            assertEquals("ADDRESS_AND_PORT_DEPENDENT", run.profile().path("filtering").path("behaviour").asText(), run.progress());
            assertTrue(m.path("publicEndpoints").size() >= 2, m.toString());
            for (JsonNode e : m.path("publicEndpoints")) assertTrue(e.asText().startsWith("[" + lab.natOutside + "]:"), e.asText());
            assertTrue(m.path("portPreservation").asBoolean(false), m.toString());
            System.out.println("probe lab over IPv6: " + m);
        }
    }
}
