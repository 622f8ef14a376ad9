package dev.wgdiag.peer.net;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnknownHostException;
import java.nio.channels.DatagramChannel;
import java.util.HashMap;
import java.util.Map;

/**
 * The local address the kernel picks as the source of a datagram to a destination, for the
 * synthetic frames: a socket bound to the wildcard ({@code [::]} or {@code 0.0.0.0}) does not say
 * which address a datagram left from. A throwaway UDP socket is connected to the destination (a
 * connect sends nothing; the kernel only chooses the route and the source address, RFC 6724 for
 * IPv6) and asked for its local address. Answers are kept for {@link #TTL_NANOS} so a route change
 * (the laptop moves to another network) shows within a second, without a syscall per datagram.
 * Also: IPv4-mapped IPv6 addresses ({@code ::ffff:a.b.c.d}, RFC 4291 section 2.5.5.2) as IPv4, as a
 * dual-stack socket reports IPv4 peers.
 */
public final class LocalAddresses {
    static final long TTL_NANOS = 1_000_000_000L;
    private static final int MAX_ENTRIES = 1024;

    private record Entry(InetAddress source, long learnt) {
    }

    private final Map<InetAddress, Entry> cache = new HashMap<>();

    /** The source address for datagrams to {@code destination}; the wildcard of its family when there is no route. */
    public InetAddress sourceFor(InetSocketAddress destination, long now) {
        return sourceFor(destination, now, TTL_NANOS);
    }

    /** As {@link #sourceFor(InetSocketAddress, long)}, asking the kernel again when the answer kept is {@code maxAge} old. */
    public InetAddress sourceFor(InetSocketAddress destination, long now, long maxAge) {
        InetAddress dst = normalise(destination.getAddress());
        Entry e = cache.get(dst);
        if (e != null && now - e.learnt() < maxAge) return e.source();
        if (cache.size() >= MAX_ENTRIES) cache.clear();
        InetAddress source = ask(new InetSocketAddress(dst, destination.getPort()));
        cache.put(dst, new Entry(source, now));
        return source;
    }

    private static InetAddress ask(InetSocketAddress destination) {
        boolean v4 = destination.getAddress() instanceof Inet4Address;
        try (DatagramChannel probe = DatagramChannel.open(v4 ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6)) {
            probe.connect(destination);
            InetSocketAddress local = (InetSocketAddress) probe.getLocalAddress();
            return normalise(local.getAddress());
        } catch (IOException | UnsupportedOperationException e) {
            return wildcard(v4);
        }
    }

    static InetAddress wildcard(boolean v4) {
        try {
            return InetAddress.getByAddress(new byte[v4 ? 4 : 16]);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** IPv4-mapped IPv6 addresses as IPv4; any other address unchanged. */
    public static InetAddress normalise(InetAddress a) {
        if (!(a instanceof Inet6Address)) return a;
        byte[] b = a.getAddress();
        for (int i = 0; i < 10; i++) if (b[i] != 0) return a;
        if ((b[10] & 0xff) != 0xff || (b[11] & 0xff) != 0xff) return a;
        try {
            return InetAddress.getByAddress(new byte[]{b[12], b[13], b[14], b[15]});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    public static InetSocketAddress normalise(InetSocketAddress a) {
        InetAddress n = normalise(a.getAddress());
        return n == a.getAddress() ? a : new InetSocketAddress(n, a.getPort());
    }
}
