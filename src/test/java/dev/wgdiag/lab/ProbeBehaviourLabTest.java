package dev.wgdiag.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/**
 * {@code wgdiag probe}'s mapping and filtering behaviour (RFC 4787 / RFC 5780 4.3-4.4) against NATs
 * whose behaviour the lab sets with nftables rules (each test its own {@link ProbeLab}). The truth, from
 * the Linux source:
 * <ul>
 *   <li>{@code masquerade fully-random}: every new conntrack entry gets a port from a PRNG
 *   (NF_NAT_RANGE_PROTO_RANDOM_FULLY, nf_nat_core.c / nft(8) "fully-random"), so each destination
 *   address and port gets a mapping of its own: address- and port-dependent mapping, no port
 *   preservation, random allocation. Filtering: a datagram from an endpoint the client never sent to
 *   matches no conntrack tuple (nf_conntrack_core.c looks up the full 5-tuple) and is not translated
 *   back: address- and port-dependent filtering.</li>
 *   <li>"full cone": plain masquerade (keeps a free source port: nf_nat_core.c get_unique_tuple uses
 *   the original tuple when it is unused, so every destination sees the same public endpoint:
 *   endpoint-independent mapping) plus a prerouting {@code dnat} of every UDP port on the outside to
 *   the client, port kept: anyone may send to a mapping (endpoint-independent filtering).</li>
 * </ul>
 * And an address-dependent filter built from a dynamic nftables set ({@link #ADDRESS_FILTER}).
 * The plain masquerade case (endpoint-independent mapping, address- and port-dependent filtering) is
 * {@link ProbeNatLabTest}'s.
 */
@LabTest
class ProbeBehaviourLabTest {
    static final String FULLY_RANDOM = "table ip wgdprobe {\n chain post {\n  type nat hook postrouting priority srcnat; policy accept;\n"
            + "  oifname \"@OUT@\" masquerade fully-random\n }\n}\n";
    static final String FULL_CONE = "table ip wgdprobe {\n chain pre {\n  type nat hook prerouting priority dstnat; policy accept;\n"
            + "  iifname \"@OUT@\" udp dport 1024-65535 dnat to @CLIENT@\n }\n"
            + " chain post {\n  type nat hook postrouting priority srcnat; policy accept;\n"
            + "  oifname \"@OUT@\" masquerade\n }\n}\n";
    /**
     * Address-dependent filtering: masquerade, plus a dynamic set of (remote address, client port) that
     * every outbound UDP datagram adds itself to (in the forward chain, before SNAT: the client's own
     * port, which plain masquerade keeps), and a prerouting dnat to the client for inbound datagrams
     * whose (source address, destination port) is in it: any port of an address the client sent to
     * may answer, another address may not.
     */
    static final String ADDRESS_FILTER = "table ip wgdprobe {\n set contacted {\n  type ipv4_addr . inet_service; flags dynamic,timeout; timeout 60s;\n }\n"
            + " chain forwarded {\n  type filter hook forward priority filter; policy accept;\n"
            + "  oifname \"@OUT@\" update @contacted { ip daddr . udp sport }\n }\n"
            + " chain pre {\n  type nat hook prerouting priority dstnat; policy accept;\n"
            + "  iifname \"@OUT@\" ip saddr . udp dport @contacted dnat to @CLIENT@\n }\n"
            + " chain post {\n  type nat hook postrouting priority srcnat; policy accept;\n  oifname \"@OUT@\" masquerade\n }\n}\n";
    /** Lifetimes are not this test's subject: three short idle times (three public ports for the allocation), one round. */
    static final String[] QUICK = {"--schedule", "3,3.5,4", "--rounds", "1"};

    @Test
    void shouldFindAddressAndPortDependentMappingAndFilteringBehindAFullyRandomMasquerade() throws Exception {
        try (ProbeLab lab = new ProbeLab(11)) {
            lab.build(FULLY_RANDOM);
            lab.serve(true, 60);
            ProbeLab.Run run = lab.probe(60, QUICK);
            assertEquals(0, run.exit(), run.progress());
            JsonNode m = run.profile().path("mapping");
            assertEquals("ADDRESS_AND_PORT_DEPENDENT", m.path("behaviour").asText(), run.progress() + m);
            assertEquals("ADDRESS_AND_PORT_DEPENDENT", run.profile().path("filtering").path("behaviour").asText(), run.progress());
            assertFalse(m.path("portPreservation").asBoolean(true), m.toString());
            assertEquals("random", m.path("portAllocation").asText(), m.toString());
            for (JsonNode e : m.path("publicEndpoints")) assertTrue(e.asText().startsWith(lab.natOutside + ":"), e.asText());
        }
    }

    @Test
    void shouldFindEndpointIndependentMappingAndFilteringBehindAFullCone() throws Exception {
        try (ProbeLab lab = new ProbeLab(12)) {
            lab.build(FULL_CONE);
            lab.serve(true, 60);
            java.nio.file.Path page = lab.dir.resolve("nat.html");
            ProbeLab.Run run = lab.probe(60, "--schedule", "3,3.5,4", "--rounds", "1", "--html", page.toString());
            assertEquals(0, run.exit(), run.progress());
            assertEquals("ENDPOINT_INDEPENDENT", run.profile().path("mapping").path("behaviour").asText(), run.progress());
            assertEquals("ENDPOINT_INDEPENDENT", run.profile().path("filtering").path("behaviour").asText(), run.progress());
            String html = java.nio.file.Files.readString(page);
            assertTrue(html.contains("Mapping behaviour (RFC 4787)</td><td>endpoint-independent")
                    && html.contains("Filtering behaviour (RFC 4787)</td><td>endpoint-independent"), "the --html page: " + html);
            assertTrue(lab.serverLog().contains("via sent"), "the server sent the filtering copies: " + lab.serverLog());
        }
    }

    @Test
    void shouldFindAddressDependentFilteringWhenTheNatLetsInAnyPortOfAContactedAddress() throws Exception {
        try (ProbeLab lab = new ProbeLab(14)) {
            lab.build(ADDRESS_FILTER);
            lab.serve(true, 60);
            ProbeLab.Run run = lab.probe(60, QUICK);
            assertEquals(0, run.exit(), run.progress());
            assertEquals("ENDPOINT_INDEPENDENT", run.profile().path("mapping").path("behaviour").asText(), run.progress());
            assertEquals("ADDRESS_DEPENDENT", run.profile().path("filtering").path("behaviour").asText(), run.progress());
        }
    }

    @Test
    void shouldSayWhichTestsCouldNotRunWhenTheServerHasOneAddress() throws Exception {
        try (ProbeLab lab = new ProbeLab(13)) {
            lab.build(FULL_CONE);
            lab.serve(false, 60);
            ProbeLab.Run run = lab.probe(60, QUICK);
            assertEquals(0, run.exit(), run.progress());
            // full cone: the port tests pass, so only the address test could tell the kinds apart
            assertTrue(run.profile().path("mapping").path("behaviour").isNull(), run.profile().toString());
            assertTrue(run.profile().path("filtering").path("behaviour").isNull(), run.profile().toString());
            JsonNode why = run.profile().path("notMeasured");
            assertTrue(why.path("mapping.behaviour").asText().contains("one address"), why.toString());
            assertTrue(why.path("filtering.behaviour").asText().contains("one address"), why.toString());
        }
    }
}
