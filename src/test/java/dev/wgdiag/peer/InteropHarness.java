package dev.wgdiag.peer;

import dev.wgdiag.config.IpPrefix;
import dev.wgdiag.crypto.PresharedKey;
import dev.wgdiag.crypto.PrivateKey;
import dev.wgdiag.crypto.PublicKey;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

/**
 * A throwaway driver for {@link WireguardGoInteropLabTest} (run in a child JVM inside a network
 * namespace): one UDP socket, the system clock, the core, and IPv4 ICMP echo (requests out, replies to
 * requests in). Not the product's driver. Reads its settings from a file (keys never on a command line):
 * lines private, peer public, psk (or "-"), peer endpoint host:port (or "-"), own tunnel IP, peer
 * tunnel IP, seconds to run, pings to send. Prints events and a RESULT line.
 */
public final class InteropHarness {
    private InteropHarness() {
    }

    static long now() {
        return System.currentTimeMillis() * 1_000_000L + Math.floorMod(System.nanoTime(), 1_000_000L);
    }

    public static void main(String[] args) throws Exception {
        List<String> s = Files.readAllLines(Path.of(args[0]));
        PrivateKey me = PrivateKey.parse(s.get(0));
        PublicKey peer = PublicKey.parse(s.get(1));
        PresharedKey psk = s.get(2).equals("-") ? PresharedKey.NONE : PresharedKey.parse(s.get(2));
        InetSocketAddress endpoint = null;
        if (!s.get(3).equals("-")) {
            int colon = s.get(3).lastIndexOf(':');
            endpoint = new InetSocketAddress(InetAddress.getByName(s.get(3).substring(0, colon).replace("[", "").replace("]", "")),
                    Integer.parseInt(s.get(3).substring(colon + 1)));
        }
        String myIp = s.get(4);
        String peerIp = s.get(5);
        long seconds = Long.parseLong(s.get(6));
        int pings = Integer.parseInt(s.get(7));
        WgInterface wg = new WgInterface(new InterfaceSpec(me, List.of(new PeerSpec("wireguard-go", peer, psk, endpoint,
                List.of(IpPrefix.parse(peerIp + "/32")), 0))), new SecureRandom());
        int replies = 0;
        int answered = 0;
        try (DatagramSocket socket = new DatagramSocket(51820)) {
            socket.setSoTimeout(20);
            long end = System.currentTimeMillis() + seconds * 1000;
            long nextPing = System.currentTimeMillis() + 300;
            int seq = 0;
            byte[] buf = new byte[65536];
            while (System.currentTimeMillis() < end) {
                List<Action> actions = new ArrayList<>();
                if (seq < pings && System.currentTimeMillis() >= nextPing) {
                    actions.addAll(wg.send(icmp(myIp, peerIp, 8, ++seq), now()));
                    nextPing += 500;
                }
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                try {
                    socket.receive(p);
                    actions.addAll(wg.onDatagram(p.getData(), 0, p.getLength(), (InetSocketAddress) p.getSocketAddress(), now()));
                } catch (SocketTimeoutException e) {
                    // tick
                }
                actions.addAll(wg.onTick(now()));
                while (!actions.isEmpty()) {
                    List<Action> next = new ArrayList<>();
                    for (Action a : actions) {
                        if (a instanceof Action.SendDatagram d) {
                            socket.send(new DatagramPacket(d.bytes(), d.bytes().length, d.to()));
                        } else if (a instanceof Action.Emit e) {
                            System.out.println("event " + e.event().kind() + " " + e.event().cause() + " " + e.event().count());
                        } else if (a instanceof Action.DeliverInner d) {
                            byte[] pk = d.packet();
                            if (pk[9] == 1 && pk[20] == 0) {
                                replies++;
                            } else if (pk[9] == 1 && pk[20] == 8) {
                                answered++;
                                byte[] r = pk.clone();
                                System.arraycopy(pk, 12, r, 16, 4);
                                System.arraycopy(pk, 16, r, 12, 4);
                                r[20] = 0;
                                checksums(r);
                                next.addAll(wg.send(r, now()));
                            }
                        }
                    }
                    actions = next;
                }
            }
        }
        PeerStatus st = wg.status().get(0);
        System.out.println("RESULT replies=" + replies + " answered=" + answered + " rx=" + st.rxBytes() + " tx=" + st.txBytes()
                + " role=" + st.role() + " endpoint=" + st.endpoint());
    }

    static byte[] icmp(String src, String dst, int type, int seq) throws Exception {
        byte[] p = new byte[84];
        p[0] = 0x45;
        p[3] = 84;
        p[8] = 64;
        p[9] = 1;
        System.arraycopy(InetAddress.getByName(src).getAddress(), 0, p, 12, 4);
        System.arraycopy(InetAddress.getByName(dst).getAddress(), 0, p, 16, 4);
        p[20] = (byte) type;
        p[24] = 0x77;
        p[26] = (byte) (seq >> 8);
        p[27] = (byte) seq;
        for (int i = 28; i < 84; i++) {
            p[i] = (byte) i;
        }
        checksums(p);
        return p;
    }

    /** RFC 791 header checksum and RFC 792 ICMP checksum (RFC 1071 one's-complement sums). */
    static void checksums(byte[] p) {
        p[10] = 0;
        p[11] = 0;
        int c = sum(p, 0, 20);
        p[10] = (byte) (c >> 8);
        p[11] = (byte) c;
        p[22] = 0;
        p[23] = 0;
        c = sum(p, 20, p.length - 20);
        p[22] = (byte) (c >> 8);
        p[23] = (byte) c;
    }

    static int sum(byte[] b, int off, int len) {
        long s = 0;
        for (int i = 0; i < len; i += 2) {
            s += ((b[off + i] & 0xff) << 8) | (i + 1 < len ? b[off + i + 1] & 0xff : 0);
        }
        while ((s >> 16) != 0) {
            s = (s & 0xffff) + (s >> 16);
        }
        return (int) (~s & 0xffff);
    }
}
