package dev.wgdiag.peer;

import dev.wgdiag.config.IpPrefix;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * AllowedIPs as a binary prefix trie per address family (wireguard-go {@code device/allowedips.go},
 * whitepaper section 2, "cryptokey routing"): the longest matching prefix names the peer an outgoing
 * packet is routed to, and an incoming packet is accepted only when the longest match of its inner
 * source address is the peer it came from. Inserting a prefix another peer holds moves it (wg(8)).
 *
 * @param <T> what a prefix maps to (a peer)
 */
final class AllowedIps<T> {
    private static final class Node<T> {
        Node<T> zero;
        Node<T> one;
        T value;
    }

    private final Node<T> v4 = new Node<>();
    private final Node<T> v6 = new Node<>();
    private int size;

    void insert(IpPrefix prefix, T value) {
        byte[] addr = bytes(prefix);
        Node<T> n = addr.length == 4 ? v4 : v6;
        for (int bit = 0; bit < prefix.prefixLength(); bit++) {
            if (bit(addr, 0, bit)) {
                n = n.one == null ? (n.one = new Node<>()) : n.one;
            } else {
                n = n.zero == null ? (n.zero = new Node<>()) : n.zero;
            }
        }
        if (n.value == null) {
            size++;
        }
        n.value = value;
    }

    /** Longest match of the 4- or 16-byte address at {@code buf[off..)}; null when none. */
    T lookup(byte[] buf, int off, int addressLength) {
        Node<T> n = addressLength == 4 ? v4 : v6;
        T best = n.value;
        for (int bit = 0; bit < addressLength * 8; bit++) {
            n = bit(buf, off, bit) ? n.one : n.zero;
            if (n == null) {
                break;
            }
            if (n.value != null) {
                best = n.value;
            }
        }
        return best;
    }

    /** Number of prefixes held. */
    int size() {
        return size;
    }

    private static boolean bit(byte[] b, int off, int bit) {
        return (b[off + (bit >>> 3)] & (0x80 >>> (bit & 7))) != 0;
    }

    private static byte[] bytes(IpPrefix prefix) {
        try {
            // IpPrefix holds a canonical numeric address: no name lookup happens here.
            byte[] b = InetAddress.getByName(prefix.address()).getAddress();
            if (prefix.version() == 6 && b.length == 4) { // ::ffff:a.b.c.d, which InetAddress turns into IPv4
                byte[] mapped = new byte[16];
                mapped[10] = (byte) 0xff;
                mapped[11] = (byte) 0xff;
                System.arraycopy(b, 0, mapped, 12, 4);
                return mapped;
            }
            return b;
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not a numeric address: " + prefix);
        }
    }
}
