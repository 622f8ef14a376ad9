package dev.wgdiag.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wgdiag.testing.Requirements;
import java.util.ArrayList;
import java.util.List;

/**
 * A clean server/phone pair (wgdiag check finds nothing in it) whose keys come from wg genkey and
 * whose public keys come from wg pubkey: the truth of which key pairs with which is wg's, never
 * computed here. Tests derive a pair with exactly one defect by replacing one piece of text.
 */
final class Fixture {
    /** Keys of one run, from wireguard-tools. */
    record Keys(String serverPrivate, String serverPublic, String phonePrivate, String phonePublic, String laptopPrivate,
                String laptopPublic, String psk, String otherPsk) {
    }

    private static Keys keys;

    static synchronized Keys keys() {
        if (keys == null) {
            Requirements.commands("wg");
            String sk = wg("genkey");
            String pk = wg("genkey");
            String lk = wg("genkey");
            keys = new Keys(sk, pubkey(sk), pk, pubkey(pk), lk, pubkey(lk), wg("genpsk"), wg("genpsk"));
        }
        return keys;
    }

    static String wg(String command) {
        return Requirements.run("wg", command).strip();
    }

    /** wg pubkey of a private key. */
    static String pubkey(String privateKey) {
        try {
            Process p = new ProcessBuilder("wg", "pubkey").start();
            p.getOutputStream().write((privateKey + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII).strip();
            assertEquals(0, p.waitFor(), "wg pubkey");
            return out;
        } catch (java.io.IOException e) {
            throw new AssertionError("cannot run wg pubkey", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static final String IPTABLES_UP = String.join("\n",
            "PostUp = sysctl -w net.ipv4.ip_forward=1; sysctl -w net.ipv6.conf.all.forwarding=1",
            "PostUp = iptables -A FORWARD -i %i -j ACCEPT; iptables -A FORWARD -o %i -j ACCEPT; iptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE",
            "PostUp = ip6tables -A FORWARD -i %i -j ACCEPT; ip6tables -A FORWARD -o %i -j ACCEPT; ip6tables -t nat -A POSTROUTING -o eth0 -j MASQUERADE",
            "PostDown = iptables -D FORWARD -i %i -j ACCEPT; iptables -D FORWARD -o %i -j ACCEPT; iptables -t nat -D POSTROUTING -o eth0 -j MASQUERADE",
            "PostDown = ip6tables -D FORWARD -i %i -j ACCEPT; ip6tables -D FORWARD -o %i -j ACCEPT; ip6tables -t nat -D POSTROUTING -o eth0 -j MASQUERADE");

    static final String NFT_UP = String.join("\n",
            "PostUp = sysctl -w net.ipv4.ip_forward=1; sysctl -w net.ipv6.conf.all.forwarding=1",
            "PostUp = nft add table inet wgnat; nft add chain inet wgnat post '{ type nat hook postrouting priority 100; }'; nft add rule inet wgnat post oifname eth0 masquerade",
            "PostUp = nft add chain inet wgnat fwd '{ type filter hook forward priority 0; }'; nft add rule inet wgnat fwd iifname %i accept; nft add rule inet wgnat fwd oifname %i accept",
            "PostDown = nft delete table inet wgnat");

    /** The clean server: a dual-stack home server that forwards and masquerades both families. */
    static String server() {
        Keys k = keys();
        return String.join("\n",
                "# home server",
                "[Interface]",
                "Address = 10.8.0.1/24, fd42:8::1/64",
                "ListenPort = 51820",
                "PrivateKey = " + k.serverPrivate(),
                IPTABLES_UP,
                "",
                "# phone",
                "[Peer]",
                "PublicKey = " + k.phonePublic(),
                "PresharedKey = " + k.psk(),
                "AllowedIPs = 10.8.0.2/32, fd42:8::2/128",
                "");
    }

    /** The clean phone: a full tunnel for both families, dialing the server, keepalive on. */
    static String phone() {
        Keys k = keys();
        return String.join("\n",
                "# phone on a carrier network",
                "[Interface]",
                "PrivateKey = " + k.phonePrivate(),
                "Address = 10.8.0.2/32, fd42:8::2/128",
                "DNS = 10.8.0.1",
                "",
                "[Peer]",
                "PublicKey = " + k.serverPublic(),
                "PresharedKey = " + k.psk(),
                "AllowedIPs = 0.0.0.0/0, ::/0",
                "Endpoint = 203.0.113.10:51820",
                "PersistentKeepalive = 25",
                "");
    }

    /** A second clean client of the server, for three-file cases. */
    static String laptop() {
        Keys k = keys();
        return String.join("\n",
                "[Interface]",
                "PrivateKey = " + k.laptopPrivate(),
                "Address = 10.8.0.3/32, fd42:8::3/128",
                "",
                "[Peer]",
                "PublicKey = " + k.serverPublic(),
                "AllowedIPs = 10.8.0.0/24, fd42:8::/64",
                "Endpoint = 203.0.113.10:51820",
                "PersistentKeepalive = 25",
                "");
    }

    /** The server's [Peer] for the laptop. */
    static String laptopPeer() {
        return String.join("\n", "# laptop", "[Peer]", "PublicKey = " + keys().laptopPublic(), "AllowedIPs = 10.8.0.3/32, fd42:8::3/128", "");
    }

    /** Named config texts, checked together. */
    record Configs(List<String> names, List<String> texts, CheckOptions options) {
        static Configs pair() {
            return new Configs(List.of("server.conf", "phone.conf"), List.of(server(), phone()), CheckOptions.DEFAULTS);
        }

        static Configs of(String name, String text) {
            return new Configs(List.of(name), List.of(text), CheckOptions.DEFAULTS);
        }

        String text(String name) {
            return texts.get(names.indexOf(name));
        }

        /** Replaces text in one file; the text must be there, so a mutation never silently does nothing. */
        Configs replace(String name, String from, String to) {
            String t = text(name);
            assertTrue(t.contains(from), name + " has no '" + from + "'");
            List<String> out = new ArrayList<>(texts);
            out.set(names.indexOf(name), t.replace(from, to));
            return new Configs(names, out, options);
        }

        Configs plus(String name, String text) {
            List<String> n = new ArrayList<>(names);
            List<String> t = new ArrayList<>(texts);
            n.add(name);
            t.add(text);
            return new Configs(n, t, options);
        }

        Configs with(CheckOptions o) {
            return new Configs(names, texts, o);
        }

        CheckResult check() {
            List<CheckInput> in = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) in.add(CheckInput.of(names.get(i), texts.get(i)));
            return Checker.check(in, options);
        }

        /** The 1-based line of the first line of {@code name} that contains {@code marker}. */
        int line(String name, String marker) {
            String[] lines = text(name).split("\n", -1);
            for (int i = 0; i < lines.length; i++) if (lines[i].contains(marker)) return i + 1;
            throw new AssertionError(name + " has no line with '" + marker + "'");
        }
    }

    /** A finding as a test expects it. */
    record Expect(String file, int line, Severity severity, Rule rule) {
        static Expect of(Finding f) {
            return new Expect(f.file(), f.line(), f.severity(), f.rule());
        }

        @Override
        public String toString() {
            return file + ":" + line + ": " + severity + " " + rule;
        }
    }

    static List<Expect> found(CheckResult r) {
        return r.findings().stream().map(Expect::of).toList();
    }

    /** Asserts exactly these findings, and shows the printed ones on failure. */
    static void assertFindings(List<Expect> expected, CheckResult r) {
        assertEquals(expected, found(r), () -> "printed:\n" + String.join("\n",
                r.findings().stream().map(dev.wgdiag.report.CheckText::line).toList()));
    }

    private Fixture() {
    }
}
