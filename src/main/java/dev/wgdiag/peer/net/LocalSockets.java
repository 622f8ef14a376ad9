package dev.wgdiag.peer.net;

import java.io.Closeable;
import java.io.IOException;
import java.net.BindException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The driver's UDP sockets: one per local address, all on one port, so that a datagram leaves from the
 * local address the peer last reached us on. Java cannot read a datagram's destination address (no
 * IP_PKTINFO) nor choose a source address per datagram on one wildcard socket, and a reply the kernel
 * sends from another of the host's addresses is dropped by the peer's NAT (its mapping is for the
 * address it wrote to). WireGuard's "sticky source": wireguard-go's {@code conn.StdNetBind} on Linux
 * reads the destination of every datagram (IP_PKTINFO) into the endpoint's source, and
 * {@code Peer.SetEndpointFromPacket} (device/peer.go) takes endpoint and source from each authenticated
 * packet; the whitepaper (section 2.1, roaming) has the peer's endpoint follow the last authenticated
 * packet. Here the socket a peer's last authenticated datagram arrived on is remembered per remote
 * endpoint and used for everything sent to it; datagrams to endpoints not heard from leave from the
 * socket of the address the kernel would choose ({@link LocalAddresses}), as from a wildcard socket.
 * When the kernel's choice for a remote changes (the default route moved to another network: the laptop
 * roamed), its sticky source is dropped, as wireguard-go's route listener does (device/sticky_linux.go
 * clears a peer's source when the route to its endpoint changes); the choice is re-read for a datagram
 * when the last reading is {@link #ROUTE_CHECK_NANOS} old (a connected throwaway socket: a few
 * syscalls), so only a burst already under way when the route changes sends a few datagrams the old way.
 *
 * <p>Addresses are enumerated at start and every {@link #RESCAN_NANOS} (and at once when the kernel's
 * chosen source has no socket: the laptop moved to another network); sockets of addresses that went
 * away are closed. A send from a socket whose address went away fails (EINVAL on Linux); as wireguard-go's
 * Linux bind did ({@code ClearSrc} and retry), the sticky source is dropped and the send retried from the
 * kernel's choice. Where no address can be enumerated (the system refuses it) or bound, one
 * wildcard socket ({@code [::]:port}, dual-stack) is used as before, without sticky sources.
 */
final class LocalSockets implements Closeable {
    /** How often the host's addresses are enumerated again (a new address is served within this time). */
    static final long RESCAN_NANOS = 5_000_000_000L;
    /** The kernel's choice of source for a destination is re-read when older than this (Java has no route events). */
    static final long ROUTE_CHECK_NANOS = 10_000_000L;
    /** Rescans caused by sends (a new source address, a failed send) are at least this far apart. */
    static final long MIN_RESCAN_NANOS = 100_000_000L;
    /** Remembered sticky sources (one per remote endpoint heard from); the least recently used go first. */
    static final int MAX_STICKY = 65_536;

    /** The host's addresses to bind; the real one enumerates the network interfaces that are up. */
    interface AddressSource {
        List<InetAddress> addresses() throws IOException;
    }

    private final Selector selector;
    private final AddressSource source;
    private final int port;
    private final DatagramChannel wildcard;
    private final Map<InetAddress, DatagramChannel> byAddress = new LinkedHashMap<>();
    private final Map<DatagramChannel, InetSocketAddress> localOf = new HashMap<>();
    private final LocalAddresses routes = new LocalAddresses();
    /** A remote's sticky source, and the kernel's own choice of source for it when that was learnt. */
    private record Sticky(DatagramChannel channel, InetAddress kernelChoice) {
    }

    private final LinkedHashMap<InetSocketAddress, Sticky> sticky = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<InetSocketAddress, Sticky> eldest) {
            return size() > MAX_STICKY;
        }
    };
    private long lastScan;

    private LocalSockets(Selector selector, AddressSource source, int port, DatagramChannel wildcard,
                         Map<InetAddress, DatagramChannel> bound, long now) throws IOException {
        this.selector = selector;
        this.source = source;
        this.port = port;
        this.wildcard = wildcard;
        this.lastScan = now;
        if (wildcard != null) register(wildcard, (InetSocketAddress) wildcard.getLocalAddress());
        for (Map.Entry<InetAddress, DatagramChannel> e : bound.entrySet()) {
            byAddress.put(e.getKey(), e.getValue());
            register(e.getValue(), new InetSocketAddress(e.getKey(), port));
        }
    }

    /**
     * Binds {@code port} on every address {@code source} lists (port 0: the port the kernel gives the first
     * one, on all of them; tried again with a new port where another program holds it on a later address).
     *
     * @throws BindException the port is in use on one of the addresses, or binding it was refused
     */
    static LocalSockets open(Selector selector, int port, AddressSource source, long now) throws IOException {
        List<InetAddress> addresses;
        try {
            addresses = source.addresses();
        } catch (IOException | SecurityException e) {
            addresses = List.of(); // e.g. a sandbox without netlink: the wildcard socket below
        }
        for (int attempt = 0; attempt < (port == 0 ? 8 : 1); attempt++) {
            Map<InetAddress, DatagramChannel> bound = new LinkedHashMap<>();
            int p = port;
            try {
                for (InetAddress a : addresses) {
                    DatagramChannel ch = bindOne(a, p);
                    if (ch == null) continue;
                    if (p == 0) p = ((InetSocketAddress) ch.getLocalAddress()).getPort();
                    bound.put(a, ch);
                }
            } catch (BindException e) {
                closeAll(bound.values());
                if (port != 0 || !inUse(e)) throw e;
                continue;
            }
            if (bound.isEmpty()) break;
            return new LocalSockets(selector, source, p, null, bound, now);
        }
        DatagramChannel w = UdpDriver.bind(port);
        return new LocalSockets(selector, source, ((InetSocketAddress) w.getLocalAddress()).getPort(), w, Map.of(), now);
    }

    /** The addresses of the network interfaces that are up (loopback included; IPv6 link-local with its scope). */
    static List<InetAddress> interfaceAddresses() throws IOException {
        List<InetAddress> list = new ArrayList<>();
        Enumeration<NetworkInterface> all = NetworkInterface.getNetworkInterfaces();
        if (all == null) return list;
        while (all.hasMoreElements()) {
            NetworkInterface ni = all.nextElement();
            if (!ni.isUp()) continue;
            Enumeration<InetAddress> as = ni.getInetAddresses();
            while (as.hasMoreElements()) {
                InetAddress a = as.nextElement();
                if (!a.isMulticastAddress() && !a.isAnyLocalAddress()) list.add(a);
            }
        }
        return list;
    }

    /** A socket on {@code a:port}; null when the address cannot be bound now (tentative IPv6, gone, no such family). */
    private static DatagramChannel bindOne(InetAddress a, int port) throws IOException {
        DatagramChannel ch;
        try {
            ch = DatagramChannel.open(a instanceof Inet4Address ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6);
        } catch (UnsupportedOperationException | IOException e) {
            return null;
        }
        try {
            ch.bind(new InetSocketAddress(a, port));
            ch.configureBlocking(false);
            return ch;
        } catch (BindException e) {
            ch.close();
            if (inUse(e) || refused(e)) throw e;
            return null; // EADDRNOTAVAIL: tentative or just removed
        } catch (IOException e) {
            ch.close();
            return null;
        }
    }

    private static boolean inUse(IOException e) {
        return e.getMessage() != null && e.getMessage().toLowerCase(Locale.ROOT).contains("in use");
    }

    private static boolean refused(IOException e) {
        String m = e.getMessage() == null ? "" : e.getMessage().toLowerCase(Locale.ROOT);
        return m.contains("permission") || m.contains("access");
    }

    private void register(DatagramChannel ch, InetSocketAddress local) throws IOException {
        ch.configureBlocking(false);
        ch.register(selector, SelectionKey.OP_READ);
        localOf.put(ch, local);
    }

    int port() {
        return port;
    }

    /** True when only the wildcard socket is used (no sticky sources). */
    boolean wildcardOnly() {
        return wildcard != null;
    }

    /** {@code [::]:port} when an IPv6 socket is bound, else {@code 0.0.0.0:port}. */
    InetSocketAddress bound() {
        if (wildcard != null) return localOf.get(wildcard);
        boolean v6 = byAddress.keySet().stream().anyMatch(a -> a instanceof Inet6Address);
        return new InetSocketAddress(LocalAddresses.wildcard(!v6), port);
    }

    /** The local addresses bound (none in wildcard mode), in enumeration order. */
    List<InetAddress> addresses() {
        return List.copyOf(byAddress.keySet());
    }

    Collection<DatagramChannel> channels() {
        return wildcard != null ? List.of(wildcard) : byAddress.values();
    }

    /** The address and port a datagram to or from {@code remote} on {@code ch} used locally. */
    InetSocketAddress local(DatagramChannel ch, InetSocketAddress remote, long now) {
        if (ch == wildcard) return new InetSocketAddress(routes.sourceFor(remote, now), port);
        return localOf.get(ch);
    }

    /** An authenticated datagram from {@code remote} arrived on {@code ch}: later datagrams to it leave from there. */
    void stick(InetSocketAddress remote, DatagramChannel ch, long now) {
        if (ch == wildcard) return;
        Sticky old = sticky.get(remote);
        if (old != null && old.channel() == ch) return;
        sticky.put(remote, new Sticky(ch, routes.sourceFor(remote, now, ROUTE_CHECK_NANOS)));
    }

    /** Forgets {@code remote}'s sticky source (a send from it failed). */
    void unstick(InetSocketAddress remote) {
        sticky.remove(remote);
    }

    /**
     * The socket to send to {@code to} from: its sticky source, else the socket on the address the kernel
     * would choose, else (that address has no socket yet) after a rescan, else any socket of the family;
     * null when there is none of the family.
     */
    DatagramChannel forDestination(InetSocketAddress to, long now) throws IOException {
        if (wildcard != null) return wildcard;
        InetAddress src = routes.sourceFor(to, now, ROUTE_CHECK_NANOS);
        Sticky st = sticky.get(to);
        if (st != null) {
            if (st.channel().isOpen() && st.kernelChoice().equals(src)) return st.channel();
            sticky.remove(to); // the route to it changed, or its address went away
        }
        DatagramChannel ch = byAddress.get(src);
        if (ch == null && !src.isAnyLocalAddress() && rescanIfOlder(now, MIN_RESCAN_NANOS)) {
            ch = byAddress.get(src);
        }
        if (ch != null) return ch;
        boolean v4 = to.getAddress() instanceof Inet4Address;
        for (Map.Entry<InetAddress, DatagramChannel> e : byAddress.entrySet()) {
            if ((e.getKey() instanceof Inet4Address) == v4) return e.getValue();
        }
        return null;
    }

    /** Rescans when {@link #RESCAN_NANOS} have passed since the last scan. */
    void maybeRescan(long now) throws IOException {
        rescanIfOlder(now, RESCAN_NANOS);
    }

    /** Rescans when the last scan is at least {@code age} old; true when it did. */
    boolean rescanIfOlder(long now, long age) throws IOException {
        if (wildcard != null || now - lastScan < age) return false;
        rescan(now);
        return true;
    }

    /** Binds new addresses and closes the sockets of addresses gone (their sticky sources are forgotten). */
    void rescan(long now) throws IOException {
        lastScan = now;
        List<InetAddress> current;
        try {
            current = source.addresses();
        } catch (IOException | SecurityException e) {
            return; // keep what we have
        }
        boolean closed = false;
        for (Iterator<Map.Entry<InetAddress, DatagramChannel>> it = byAddress.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<InetAddress, DatagramChannel> e = it.next();
            if (current.contains(e.getKey()) || byAddress.size() == 1) continue; // never drop the last socket
            DatagramChannel ch = e.getValue();
            it.remove();
            localOf.remove(ch);
            sticky.values().removeIf(st -> st.channel() == ch);
            ch.close();
            closed = true;
        }
        // A registered channel's socket is released at the selector's next selection: do it now, so the
        // port on that address is free at once (ready keys stay in the selected set for the driver).
        if (closed) selector.selectNow();
        for (InetAddress a : current) {
            if (byAddress.containsKey(a)) continue;
            DatagramChannel ch;
            try {
                ch = bindOne(a, port);
            } catch (BindException e) {
                continue; // another program holds our port on this new address: not served
            }
            if (ch == null) continue;
            byAddress.put(a, ch);
            register(ch, new InetSocketAddress(a, port));
        }
    }

    private static void closeAll(Collection<DatagramChannel> chs) {
        for (DatagramChannel c : chs) {
            try {
                c.close();
            } catch (IOException ignored) {
                // closing a socket that never served
            }
        }
    }

    @Override
    public void close() {
        closeAll(new ArrayList<>(localOf.keySet()));
    }
}
