package dev.wgdiag.probe.net;

import dev.wgdiag.probe.ProbeServer;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The I/O half of {@code wgdiag probe serve}: the {@link ProbeServer} core on several UDP ports (the
 * ListenPort and a second one), one thread, one {@link Selector}, ticking every 50 ms. Sockets are
 * dual-stack where the system allows ({@code [::]:port}), and IPv4-mapped sources are normalised.
 * A second server address (the mapping and filtering tests) gets a socket of its own on each port,
 * bound to it so that what leaves from it has it as source; the wildcard and the specific sockets
 * share the port with SO_REUSEADDR (Linux hands a datagram to the most specific bound socket).
 */
public final class ProbeServerDriver implements Closeable {
    static final long TICK_MILLIS = 50;

    private final Selector selector;
    private final Map<InetSocketAddress, DatagramChannel> channels = new LinkedHashMap<>();
    private final long epochOffset = System.currentTimeMillis() * 1_000_000L - System.nanoTime();

    public ProbeServerDriver(List<Integer> ports) throws IOException {
        this(ports, List.of());
    }

    /** @param otherAddresses second server addresses of this machine (each bound on every port), may be empty */
    public ProbeServerDriver(List<Integer> ports, List<InetAddress> otherAddresses) throws IOException {
        this.selector = Selector.open();
        boolean share = !otherAddresses.isEmpty();
        try {
            for (int port : ports) {
                DatagramChannel ch = open(port, share);
                register(ch);
                for (InetAddress a : otherAddresses) {
                    DatagramChannel o = DatagramChannel.open(a instanceof java.net.Inet6Address ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
                    try {
                        o.setOption(java.net.StandardSocketOptions.SO_REUSEADDR, true);
                        o.bind(new InetSocketAddress(a, ((InetSocketAddress) ch.getLocalAddress()).getPort()));
                    } catch (IOException e) {
                        o.close();
                        throw new IOException(a.getHostAddress() + ": " + e.getMessage(), e);
                    }
                    register(o);
                }
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    private void register(DatagramChannel ch) throws IOException {
        ch.configureBlocking(false);
        InetSocketAddress bound = (InetSocketAddress) ch.getLocalAddress();
        ch.register(selector, SelectionKey.OP_READ, bound);
        channels.put(bound, ch);
    }

    private static DatagramChannel open(int port, boolean share) throws IOException {
        try {
            DatagramChannel ch = DatagramChannel.open(StandardProtocolFamily.INET6);
            try {
                if (share) ch.setOption(java.net.StandardSocketOptions.SO_REUSEADDR, true);
                ch.bind(new InetSocketAddress(InetAddress.getByName("::"), port));
                return ch;
            } catch (IOException e) {
                ch.close();
                throw e;
            }
        } catch (UnsupportedOperationException | java.net.SocketException e) {
            if (e instanceof java.net.BindException b) throw b;
            DatagramChannel ch = DatagramChannel.open(StandardProtocolFamily.INET);
            if (share) ch.setOption(java.net.StandardSocketOptions.SO_REUSEADDR, true);
            ch.bind(new InetSocketAddress(port));
            return ch;
        }
    }

    /** The ports actually bound, in the order asked. */
    public List<Integer> ports() {
        return channels.keySet().stream().map(InetSocketAddress::getPort).distinct().toList();
    }

    /** Every local endpoint bound (wildcard ones first per port), for {@link ProbeServer}'s constructor. */
    public List<InetSocketAddress> locals() {
        return new ArrayList<>(channels.keySet());
    }

    /** Serves until {@code deadlineNanos} (System.nanoTime) or the thread is interrupted; events go to {@code log}. */
    public void serve(ProbeServer core, long deadlineNanos, Consumer<ProbeServer.Event> log) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(65_535);
        while (!Thread.currentThread().isInterrupted() && System.nanoTime() - deadlineNanos < 0) {
            selector.select(TICK_MILLIS);
            for (SelectionKey k : selector.selectedKeys()) {
                InetSocketAddress local = (InetSocketAddress) k.attachment();
                DatagramChannel ch = (DatagramChannel) k.channel();
                InetSocketAddress from;
                while ((from = (InetSocketAddress) ch.receive(buf.clear())) != null) {
                    send(core.onDatagram(local, buf.array(), 0, buf.position(), ProbeClient.normalise(from), now()));
                }
            }
            selector.selectedKeys().clear();
            send(core.onTick(now()));
            core.takeEvents().forEach(log);
        }
    }

    private void send(List<ProbeServer.Send> sends) throws IOException {
        for (ProbeServer.Send s : sends) {
            DatagramChannel ch = channels.get(s.local());
            if (ch != null) ch.send(ByteBuffer.wrap(s.bytes()), s.to());
        }
    }

    long now() {
        return System.nanoTime() + epochOffset;
    }

    @Override
    public void close() throws IOException {
        for (DatagramChannel ch : channels.values()) ch.close();
        selector.close();
    }
}
