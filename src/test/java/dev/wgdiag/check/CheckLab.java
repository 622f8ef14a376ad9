package dev.wgdiag.check;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;

/**
 * Three network namespaces of one test, all named after a fresh id: a client ("cli"), a server
 * ("srv") and the Internet between them ("net", a router that also holds the outside addresses
 * 203.0.113.7 and 2001:db8:7::7). Addresses only from the lab ranges: client uplink 192.0.2.0/24
 * and 2001:db8:c1::/64, server uplink 198.51.100.0/24 and 2001:db8:51::/64. WireGuard is
 * wireguard-go, configured as wg-quick up would (see {@link #wgQuickUp}). {@link #close()} kills
 * what runs in the namespaces and deletes them.
 */
final class CheckLab implements AutoCloseable {
    private static final SecureRandom RANDOM = new SecureRandom();
    static final String SERVER_ENDPOINT = "198.51.100.2:51820";
    static final String OUTSIDE4 = "203.0.113.7";
    static final String OUTSIDE6 = "2001:db8:7::7";

    /** The id: "ck" and five characters, so every interface name stays within 15 characters. */
    final String id;
    final Path dir;

    CheckLab(Path dir) {
        StringBuilder b = new StringBuilder("ck");
        for (int i = 0; i < 5; i++) b.append("abcdefghijklmnopqrstuvwxyz0123456789".charAt(RANDOM.nextInt(36)));
        this.id = b.toString();
        this.dir = dir;
    }

    String ns(String role) {
        return id + "-" + role;
    }

    /** Output and exit code of a script. */
    record Sh(int code, String out) {
    }

    /** Runs a bash script; with {@code check} a non-zero exit fails the test with the output. */
    Sh sh(String script, boolean check) {
        try {
            Process p = new ProcessBuilder("bash", "-c", "set -o pipefail; T=" + id + "; D=" + dir + "\n" + script)
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("lab script timed out: " + script + "\n" + out);
            }
            if (check && p.exitValue() != 0) fail("lab script failed (" + p.exitValue() + "): " + script + "\n" + out);
            return new Sh(p.exitValue(), out);
        } catch (IOException e) {
            throw new AssertionError("cannot run bash", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    String sh(String script) {
        return sh("set -e\n" + script, true).out();
    }

    /** The three namespaces, their links, routes and the outside addresses. */
    void network() {
        sh("""
                ip netns add $T-cli; ip netns add $T-srv; ip netns add $T-net
                for n in cli srv net; do ip -n $T-$n link set lo up; done
                ip link add $T-c0 type veth peer name $T-n0
                ip link add $T-s0 type veth peer name $T-n1
                ip link set $T-c0 netns $T-cli; ip link set $T-n0 netns $T-net
                ip link set $T-s0 netns $T-srv; ip link set $T-n1 netns $T-net
                ip -n $T-cli addr add 192.0.2.2/24 dev $T-c0; ip -n $T-cli -6 addr add 2001:db8:c1::2/64 dev $T-c0 nodad
                ip -n $T-net addr add 192.0.2.1/24 dev $T-n0; ip -n $T-net -6 addr add 2001:db8:c1::1/64 dev $T-n0 nodad
                ip -n $T-srv addr add 198.51.100.2/24 dev $T-s0; ip -n $T-srv -6 addr add 2001:db8:51::2/64 dev $T-s0 nodad
                ip -n $T-net addr add 198.51.100.1/24 dev $T-n1; ip -n $T-net -6 addr add 2001:db8:51::1/64 dev $T-n1 nodad
                for l in cli:c0 srv:s0 net:n0 net:n1; do ip -n $T-${l%%:*} link set $T-${l##*:} up; done
                ip -n $T-net addr add 203.0.113.7/32 dev lo; ip -n $T-net -6 addr add 2001:db8:7::7/128 dev lo
                ip netns exec $T-net sysctl -q -w net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
                ip -n $T-cli route add default via 192.0.2.1; ip -n $T-cli -6 route add default via 2001:db8:c1::1
                ip -n $T-srv route add default via 198.51.100.1; ip -n $T-srv -6 route add default via 2001:db8:51::1
                """);
    }

    /** Writes a config readable by its owner only. */
    Path write(String name, String text) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, text);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        return f;
    }

    /**
     * Brings a config up in a namespace as wg-quick up does (wireguard-tools src/wg-quick/linux.bash
     * cmd_up), with wireguard-go as the device: {@code wg setconf} on {@code wg-quick strip}'s output,
     * each Address, MTU (the route's 1500 less 80), a route per AllowedIPs prefix, longest first,
     * a /0 through wg-quick's fwmark table and rules (add_default, without its optional nft
     * anti-spoofing rules), then the PostUp hooks with %i replaced.
     */
    void wgQuickUp(String role, Path conf) {
        String name = conf.getFileName().toString().replace(".conf", "");
        sh("NS=$T-" + role + "; IF=" + name + "; CONF=" + conf + "\n" + """
                ip netns exec $NS wireguard-go $IF >/dev/null 2>&1
                wg-quick strip $CONF > $D/$IF.stripped
                ip netns exec $NS wg setconf $IF $D/$IF.stripped
                for a in $(grep -i '^ *Address *=' $CONF | sed 's/^[^=]*=//' | tr ',' ' '); do ip -n $NS addr add $a dev $IF; done
                ip -n $NS link set mtu 1420 up dev $IF
                for p in $(ip netns exec $NS wg show $IF allowed-ips | cut -f2- | tr ' \\t' '\\n\\n' | grep / | sort -nr -k2 -t/); do
                  proto=-4; [[ $p == *:* ]] && proto=-6
                  if [[ $p == */0 ]]; then
                    ip netns exec $NS wg set $IF fwmark 51820
                    ip -n $NS $proto route add $p dev $IF table 51820
                    ip -n $NS $proto rule add not fwmark 51820 table 51820
                    ip -n $NS $proto rule add table main suppress_prefixlength 0
                    if [[ $proto == -4 ]]; then ip netns exec $NS sysctl -q net.ipv4.conf.all.src_valid_mark=1; fi
                  else
                    [[ -n $(ip -n $NS $proto route show dev $IF match $p 2>/dev/null) ]] || ip -n $NS $proto route add $p dev $IF
                  fi
                done
                { grep -i '^ *PostUp *=' $CONF || true; } | sed 's/^[^=]*= *//' | while read -r hook; do ip netns exec $NS bash -c "${hook//%i/$IF}"; done
                """);
    }

    /** Starts tcpdump on the client's uplink (in the background, its pid kept) and waits until it writes. */
    void captureClientUplink(String file) {
        sh("ip netns exec $T-cli tcpdump -i $T-c0 -U -n -w $D/" + file + " >/dev/null 2>&1 &\n"
                + "echo $! > $D/" + file + ".pid\n"
                + "for i in $(seq 1 300); do [[ -s $D/" + file + " ]] && break; sleep 0.1; done\n"
                + "[[ -s $D/" + file + " ]]; sleep 0.5\n");
    }

    /** Stops that tcpdump by its pid. */
    void stopCapture(String file) {
        sh("sleep 0.5; kill $(cat $D/" + file + ".pid); for i in $(seq 1 50); do kill -0 $(cat $D/" + file
                + ".pid) 2>/dev/null || break; sleep 0.1; done");
    }

    /** Packets of the capture that match a tcpdump filter, as tcpdump counts them. */
    int count(String file, String filter) {
        String out = sh("tcpdump -n -r $D/" + file + " '" + filter + "' 2>/dev/null | wc -l");
        return Integer.parseInt(out.strip());
    }

    /** True when {@code ping} from the client gets answers. */
    boolean ping(String address) {
        return sh("ip netns exec $T-cli ping -c 3 -i 0.3 -W 2 " + address + " >/dev/null", false).code() == 0;
    }

    @Override
    public void close() {
        sh("""
                for n in cli srv net one; do ip netns pids $T-$n 2>/dev/null | xargs -r kill 2>/dev/null; done
                sleep 0.5
                for n in cli srv net one; do ip netns pids $T-$n 2>/dev/null | xargs -r kill -9 2>/dev/null; done
                for n in cli srv net one; do ip netns del $T-$n 2>/dev/null; done
                rm -f /var/run/wireguard/$T*.sock
                true
                """, false);
    }
}
