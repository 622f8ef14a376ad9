package dev.wgdiag.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wgdiag.lab.LabTest;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What check claims, on real WireGuard (wireguard-go) in network namespaces: a pair it calls clean
 * carries IPv4 and IPv6, to the server and through its masquerade to outside addresses; the pair
 * with the IPv6 leak sends IPv6 to the outside address in clear on the client's uplink, beside the
 * tunnel; key, preshared-key and port mismatches it reports stop the handshake; and what it says
 * wg and wg-quick do with duplicates and MTU is what they do.
 */
@LabTest
class CheckLabTest {
    private static final String V6_ECHO_REQUEST = "icmp6 and ip6[40] == 128";

    /** A pair for a lab: keys from wg genkey / wg pubkey, nftables hooks that wg-quick's %i and the lab's uplink fit. */
    record Pair(Path server, Path client, String serverPublic) {
    }

    private static Pair pair(CheckLab lab, String clientAllowed, String clientExtra) throws Exception {
        String sk = Fixture.wg("genkey");
        String ck = Fixture.wg("genkey");
        String t = lab.id;
        String server = String.join("\n",
                "[Interface]",
                "Address = 100.64.77.1/24, fd42:77::1/64",
                "ListenPort = 51820",
                "PrivateKey = " + sk,
                "PostUp = sysctl -q -w net.ipv4.ip_forward=1; sysctl -q -w net.ipv6.conf.all.forwarding=1",
                "PostUp = nft add table inet " + t + "n; nft add chain inet " + t + "n postrouting '{ type nat hook postrouting priority 100; }';"
                        + " nft add rule inet " + t + "n postrouting oifname " + t + "-s0 masquerade",
                "PostUp = nft add chain inet " + t + "n forward '{ type filter hook forward priority 0; }';"
                        + " nft add rule inet " + t + "n forward iifname %i accept; nft add rule inet " + t + "n forward oifname %i accept",
                "PostDown = nft delete table inet " + t + "n",
                "",
                "# client",
                "[Peer]",
                "PublicKey = " + Fixture.pubkey(ck),
                "PresharedKey = " + Fixture.wg("genpsk"),
                "AllowedIPs = 100.64.77.2/32, fd42:77::2/128",
                "");
        String serverPublic = Fixture.pubkey(sk);
        String psk = server.lines().filter(l -> l.startsWith("PresharedKey")).findFirst().orElseThrow().substring(15);
        String client = String.join("\n",
                "[Interface]",
                "PrivateKey = " + ck,
                "Address = 100.64.77.2/32, fd42:77::2/128",
                "",
                "[Peer]",
                "PublicKey = " + serverPublic,
                "PresharedKey = " + psk,
                "AllowedIPs = " + clientAllowed,
                "Endpoint = " + CheckLab.SERVER_ENDPOINT,
                "PersistentKeepalive = 25",
                clientExtra);
        return new Pair(lab.write(t + "s.conf", server), lab.write(t + "c.conf", client), serverPublic);
    }

    private static CheckResult check(Pair p) throws Exception {
        return Checker.check(List.of(CheckInput.read(p.server()), CheckInput.read(p.client())), CheckOptions.DEFAULTS);
    }

    private static List<Rule> rules(CheckResult r) {
        return r.findings().stream().map(Finding::rule).toList();
    }

    @Test
    void aPairCheckCallsCleanShouldCarryIpv4AndIpv6ThroughTheTunnelAndNothingInClear(@TempDir Path dir) throws Exception {
        try (CheckLab lab = new CheckLab(dir)) {
            Pair p = pair(lab, "0.0.0.0/0, ::/0", "");
            assertEquals(List.of(), rules(check(p)));
            lab.network();
            lab.wgQuickUp("srv", p.server());
            lab.wgQuickUp("cli", p.client());
            lab.captureClientUplink("clean.pcap");
            for (String a : List.of("100.64.77.1", "fd42:77::1", CheckLab.OUTSIDE4, CheckLab.OUTSIDE6)) {
                assertTrue(lab.ping(a), "ping " + a + " through the tunnel");
            }
            lab.stopCapture("clean.pcap");
            assertEquals(0, lab.count("clean.pcap", V6_ECHO_REQUEST + " and dst host " + CheckLab.OUTSIDE6), "IPv6 in clear");
            assertEquals(0, lab.count("clean.pcap", "icmp and dst host " + CheckLab.OUTSIDE4), "IPv4 in clear");
            assertTrue(lab.count("clean.pcap", "udp and dst host 198.51.100.2 and dst port 51820") > 0, "the tunnel carried it");
        }
    }

    @Test
    void thePairWithTheIpv6LeakShouldSendIpv6BesideTheTunnel(@TempDir Path dir) throws Exception {
        try (CheckLab lab = new CheckLab(dir)) {
            Pair p = pair(lab, "0.0.0.0/0", "");
            CheckResult r = check(p);
            assertEquals(List.of(Rule.IPV6_LEAK), rules(r));
            assertEquals(Severity.ERROR, r.findings().get(0).severity());
            lab.network();
            lab.wgQuickUp("srv", p.server());
            lab.wgQuickUp("cli", p.client());
            String route = lab.sh("ip -n $T-cli -6 route get " + CheckLab.OUTSIDE6);
            assertTrue(route.contains("dev " + lab.id + "-c0"), "IPv6 to the outside takes the uplink: " + route);
            lab.captureClientUplink("leak.pcap");
            assertTrue(lab.ping(CheckLab.OUTSIDE4));
            assertTrue(lab.ping(CheckLab.OUTSIDE6));
            lab.stopCapture("leak.pcap");
            assertTrue(lab.count("leak.pcap", V6_ECHO_REQUEST + " and src host 2001:db8:c1::2 and dst host " + CheckLab.OUTSIDE6) > 0,
                    "IPv6 echo requests to the outside address left on the uplink in clear");
            assertEquals(0, lab.count("leak.pcap", "icmp and dst host " + CheckLab.OUTSIDE4), "IPv4 still went through the tunnel");
        }
    }

    @Test
    void keyPresharedKeyAndPortMismatchesShouldStopTheHandshake(@TempDir Path dir) throws Exception {
        record Defect(Rule rule, String from, String to) {
        }
        String other = Fixture.pubkey(Fixture.wg("genkey"));
        for (String name : List.of("key", "psk", "port")) {
            Path sub = java.nio.file.Files.createDirectories(dir.resolve(name));
            try (CheckLab lab = new CheckLab(sub)) {
                Pair p = pair(lab, "0.0.0.0/0, ::/0", "");
                String client = java.nio.file.Files.readString(p.client());
                String psk = client.lines().filter(l -> l.startsWith("PresharedKey")).findFirst().orElseThrow();
                Defect d = switch (name) {
                    case "key" -> new Defect(Rule.PUBLIC_KEY_MISMATCH, "PublicKey = " + p.serverPublic(), "PublicKey = " + other);
                    case "psk" -> new Defect(Rule.PRESHARED_KEY_ONE_SIDE, psk + "\n", "");
                    default -> new Defect(Rule.ENDPOINT_PORT_MISMATCH, CheckLab.SERVER_ENDPOINT, "198.51.100.2:51821");
                };
                lab.write(p.client().getFileName().toString(), client.replace(d.from(), d.to()));
                assertEquals(List.of(d.rule()), rules(check(p)), name);
                lab.network();
                lab.wgQuickUp("srv", p.server());
                lab.wgQuickUp("cli", p.client());
                assertFalse(lab.ping("100.64.77.1"), name + ": no tunnel");
                String handshake = lab.sh("ip netns exec $T-cli wg show ${T}c latest-handshakes | cut -f2");
                assertEquals("0", handshake.strip(), name + ": no handshake ever completed");
            }
        }
    }

    @Test
    void wgShouldKeepTheLaterValueReplaceAllowedIpsOfARepeatedPeerAndMoveAPrefixToTheLaterPeer(@TempDir Path dir) throws Exception {
        try (CheckLab lab = new CheckLab(dir)) {
            String a = Fixture.pubkey(Fixture.wg("genkey"));
            String b = Fixture.pubkey(Fixture.wg("genkey"));
            Path conf = lab.write(lab.id + "w.conf", String.join("\n", "[Interface]", "PrivateKey = " + Fixture.wg("genkey"),
                    "ListenPort = 51820", "ListenPort = 51821",
                    "[Peer]", "PublicKey = " + a, "AllowedIPs = 100.64.78.2/32, 100.64.78.5/32",
                    "[Peer]", "PublicKey = " + b, "AllowedIPs = 100.64.78.2/32, 100.64.78.3/32",
                    "[Peer]", "PublicKey = " + a, "AllowedIPs = 100.64.78.4/32", ""));
            CheckResult r = Checker.check(List.of(CheckInput.read(conf)), CheckOptions.DEFAULTS);
            assertEquals(List.of(Rule.DUPLICATE_ATTRIBUTE, Rule.ALLOWED_IPS_DUPLICATE, Rule.DUPLICATE_PEER), rules(r));
            lab.sh("ip netns add $T-one; ip netns exec $T-one wireguard-go ${T}w >/dev/null 2>&1; ip netns exec $T-one wg setconf ${T}w "
                    + conf);
            assertEquals("51821", lab.sh("ip netns exec $T-one wg show ${T}w listen-port").strip(), "the later ListenPort");
            String allowed = lab.sh("ip netns exec $T-one wg show ${T}w allowed-ips");
            // 100.64.78.2 went to b, the later peer; a's second section replaced a's list (so .5 is gone too)
            assertTrue(allowed.contains(b + "\t100.64.78.2/32 100.64.78.3/32"), allowed);
            assertTrue(allowed.contains(a + "\t100.64.78.4/32\n"), allowed);
        }
    }

    @Test
    void wgQuickShouldSetEightyBelowTheRoutesMtuAndLinuxShouldRefuseIpv6BelowTwelveEighty(@TempDir Path dir) throws Exception {
        try (CheckLab lab = new CheckLab(dir)) {
            String name = lab.id + "q";
            Path conf = lab.write(name + ".conf", String.join("\n", "[Interface]", "PrivateKey = " + Fixture.wg("genkey"), "Table = off",
                    "[Peer]", "PublicKey = " + Fixture.pubkey(Fixture.wg("genkey")), "AllowedIPs = 100.64.79.2/32",
                    "Endpoint = 198.51.100.9:51820", ""));
            for (int link : new int[]{1500, 1492}) {
                lab.sh("ip netns add $T-one; ip -n $T-one link set lo up\n"
                        + "ip -n $T-one link add $T-u0 mtu " + link + " type veth peer name $T-u1 mtu " + link + "\n"
                        + "ip -n $T-one addr add 198.51.100.2/24 dev $T-u0; ip -n $T-one link set $T-u0 up; ip -n $T-one link set $T-u1 up\n"
                        + "ip netns exec $T-one wg-quick up " + conf + " 2>/dev/null\n");
                String mtu = lab.sh("ip -n $T-one -o link show dev " + name + " | sed 's/.* mtu \\([0-9]*\\).*/\\1/'").strip();
                assertEquals(Integer.toString(link - MtuRules.WG_QUICK_OVERHEAD), mtu, "wg-quick's MTU on a " + link + " route");
                lab.sh("ip -n $T-one link set mtu 1279 dev " + name);
                assertNotEquals(0, lab.sh("ip -n $T-one -6 addr add fd42:79::1/64 dev " + name, false).code(), "no IPv6 below 1280");
                lab.sh("ip -n $T-one link set mtu 1280 dev " + name + "; ip -n $T-one -6 addr add fd42:79::1/64 dev " + name);
                lab.sh("ip netns pids $T-one | xargs -r kill; sleep 0.5; ip netns del $T-one; rm -f /var/run/wireguard/" + name + ".sock");
            }
        }
    }
}
