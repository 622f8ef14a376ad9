package dev.wgdiag.peer.net;

import dev.wgdiag.peer.Action;
import dev.wgdiag.peer.InnerStack;
import dev.wgdiag.peer.PeerEvent;
import dev.wgdiag.peer.PeerStatus;
import dev.wgdiag.peer.Pinger;
import dev.wgdiag.peer.SessionSecrets;
import dev.wgdiag.peer.WgInterface;

import java.io.Closeable;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.UnsupportedAddressTypeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.LongSupplier;

/**
 * The I/O half of {@code wgdiag peer}, outside the sans-IO core (the layout's {@code conn/} of
 * wireguard-go): one UDP socket, one thread with a {@link Selector}, the clock, and the execution of
 * the core's {@link Action}s. Datagrams go to {@link WgInterface#onDatagram}, the timers run through
 * {@link WgInterface#onTick} at least every {@link #TICK_NANOS}, inner packets the core delivers go
 * to the {@link InnerStack} (an echo request is answered through {@link WgInterface#send}), pings are
 * sent on their schedule, and everything worth showing goes to a {@link Listener} on this thread.
 *
 * <p>The socket is bound dual-stack ({@code [::]:port}, IPv4 peers arrive as IPv4-mapped addresses
 * and are normalised to IPv4), or IPv4-only where the system has no IPv6. The clock is
 * {@link System#nanoTime()} anchored to the wall clock (epoch nanoseconds) once at start, so it never
 * jumps while the peer runs and still reads as a capture time.
 */
public final class UdpDriver implements Closeable {
    /** The core wants a tick at least every 100 ms; the loop wakes at least this often. */
    public static final long TICK_NANOS = 50_000_000L;
    static final long STATUS_NANOS = 500_000_000L;
    static final int MAX_DATAGRAM = 65_535;

    /** Receives what the driver did and saw, on the driver's thread, in order. */
    public interface Listener {
        /**
         * A datagram sent or received, with the local address and port it left from or arrived on (the
         * kernel's source address for that remote), in the order they happened.
         */
        void onDatagram(long now, InetSocketAddress local, InetSocketAddress remote, byte[] data, int off, int len,
                        boolean sent) throws IOException;

        /** An event of the core (SESSION_KEYS excluded: see {@link #onSessionSecrets}). */
        void onEvent(PeerEvent event);

        /** A new session's secrets; only when the driver was asked to hand them out. Before its datagrams. */
        default void onSessionSecrets(SessionSecrets secrets) throws IOException {
        }

        void onPingReply(Pinger pinger, Pinger.Reply reply);

        /** A ping ended (count reached and answered or timed out, or the driver stopped). */
        void onPingFinished(Pinger pinger, Pinger.Statistics statistics);

        /** An inner packet the stack dropped (not an echo for us). */
        default void onInnerDropped(InnerStack.Drop reason) {
        }

        /** A datagram the kernel refused to send (no route, no IPv6, firewall). */
        default void onSendFailed(InetSocketAddress to, String reason, long now) {
        }

        /** Called every loop turn (at least every {@link #TICK_NANOS}). */
        default void onTick(long now) throws IOException {
        }
    }

    /** A snapshot for a status line, readable from any thread. */
    public record Status(long datagramsSent, long datagramsReceived, long sendFailures, long echoAnswered,
                         List<PeerStatus> peers, long now) {
    }

    private final WgInterface core;
    private final InnerStack inner;
    private final DatagramChannel channel;
    private final Selector selector;
    private final InetSocketAddress bound;
    private final Listener listener;
    private final boolean handOutSecrets;
    private final LongSupplier clock;
    private final LocalAddresses locals = new LocalAddresses();
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final List<Pinger> pingers = new ArrayList<>();
    private final List<Pinger> stopPingers = new ArrayList<>();
    private final byte[] rx = new byte[MAX_DATAGRAM];
    private final ByteBuffer rxBuf = ByteBuffer.wrap(rx);
    private volatile boolean stopping;
    private volatile Status status;
    private long sent;
    private long received;
    private long sendFailures;
    private long lastStatus;

    private UdpDriver(WgInterface core, InnerStack inner, DatagramChannel channel, Listener listener, boolean handOutSecrets,
                      LongSupplier clock) throws IOException {
        this.core = core;
        this.inner = inner;
        this.channel = channel;
        this.listener = listener;
        this.handOutSecrets = handOutSecrets;
        this.clock = clock;
        this.bound = (InetSocketAddress) channel.getLocalAddress();
        this.selector = Selector.open();
        channel.configureBlocking(false);
        channel.register(selector, SelectionKey.OP_READ);
    }

    /**
     * Binds the socket and prepares the driver.
     *
     * @param port           the UDP port (ListenPort), or 0 for one the kernel picks
     * @param handOutSecrets give each new session's secrets to the listener ({@code -w}, {@code --keylog})
     * @throws BindException the port is in use; {@link SocketException} on a refused bind (permission)
     */
    public static UdpDriver open(WgInterface core, InnerStack inner, int port, Listener listener, boolean handOutSecrets)
            throws IOException {
        return new UdpDriver(core, inner, bind(port), listener, handOutSecrets, epochClock());
    }

    /** For tests: an already bound channel and a given clock. */
    static UdpDriver of(WgInterface core, InnerStack inner, DatagramChannel channel, Listener listener, boolean handOutSecrets,
                        LongSupplier clock) throws IOException {
        return new UdpDriver(core, inner, channel, listener, handOutSecrets, clock);
    }

    /** {@code [::]:port}, one socket for IPv4 and IPv6 (IPV6_V6ONLY off, Java's default); IPv4 only without IPv6. */
    static DatagramChannel bind(int port) throws IOException {
        DatagramChannel ch;
        try {
            ch = DatagramChannel.open(StandardProtocolFamily.INET6);
        } catch (UnsupportedOperationException | IOException e) {
            ch = null; // no IPv6 on this system
        }
        if (ch != null) {
            try {
                ch.bind(new InetSocketAddress(java.net.InetAddress.getByName("::"), port));
                return ch;
            } catch (BindException e) {
                ch.close();
                throw e;
            } catch (IOException e) {
                ch.close(); // IPv6 present but unusable (disabled): fall back
            }
        }
        DatagramChannel v4 = DatagramChannel.open(StandardProtocolFamily.INET);
        try {
            v4.bind(new InetSocketAddress(java.net.InetAddress.getByName("0.0.0.0"), port));
        } catch (IOException e) {
            v4.close();
            throw e;
        }
        return v4;
    }

    /** System.nanoTime anchored to the wall clock's epoch nanoseconds, read once. */
    public static LongSupplier epochClock() {
        Instant wall = Instant.now();
        long mono = System.nanoTime();
        long anchor = wall.getEpochSecond() * 1_000_000_000L + wall.getNano();
        return () -> anchor + (System.nanoTime() - mono);
    }

    /** The address and port the socket is bound to ({@code [::]:port} or {@code 0.0.0.0:port}). */
    public InetSocketAddress bound() {
        return bound;
    }

    public long now() {
        return clock.getAsLong();
    }

    /** Runs {@code task} on the driver's thread (from any thread). */
    public void submit(Runnable task) {
        tasks.add(task);
        selector.wakeup();
    }

    /**
     * Starts a ping from the driver's thread (call through {@link #submit} from elsewhere).
     *
     * @param endsRun the run stops once every such ping has finished (the {@code --ping} options)
     */
    public void addPing(Pinger pinger, boolean endsRun) {
        pinger.start(now());
        pingers.add(pinger);
        if (endsRun) stopPingers.add(pinger);
    }

    /** Sends one inner packet of ours into the tunnel, from the driver's thread (call through {@link #submit}). */
    public void sendInner(byte[] packet) throws IOException {
        long now = now();
        execute(core.send(packet, now), now);
    }

    /** Asks the loop to end (from any thread: Ctrl-C, SIGTERM); {@link #run} returns soon after. */
    public void stop() {
        stopping = true;
        selector.wakeup();
    }

    /** The latest snapshot (refreshed twice a second), or null before the first. */
    public Status status() {
        return status;
    }

    /**
     * The loop: until {@link #stop()}, the deadline, or the end of every run-ending ping. Unfinished pings
     * are ended and reported before it returns.
     *
     * @param deadline the clock value to stop at, or {@link Long#MAX_VALUE}
     * @throws IOException a listener's write failed (the disk is full) or the socket broke
     */
    public void run(long deadline) throws IOException {
        long now = now();
        execute(core.start(now), now);
        while (!stopping) {
            now = now();
            runTasks();
            for (Pinger p : pingers) {
                int seq;
                while ((seq = p.due(now)) >= 0) {
                    execute(core.send(inner.echoRequest(p.target(), p.identifier(), seq, now, p.dataBytes()), now), now);
                }
            }
            finishPings(now, false);
            if (now >= deadline || (!stopPingers.isEmpty() && stopPingers.stream().allMatch(p -> p.finished(now())))) break;
            execute(core.onTick(now), now);
            listener.onTick(now);
            if (now - lastStatus >= STATUS_NANOS) {
                status = new Status(sent, received, sendFailures, inner.answered(), core.status(), now);
                lastStatus = now;
            }
            long wait = Math.min(TICK_NANOS, deadline - now);
            for (Pinger p : pingers) wait = Math.min(wait, p.nextSendAt() - now);
            if (tasks.isEmpty()) selector.select(Math.max(1, (wait + 999_999) / 1_000_000));
            selector.selectedKeys().clear();
            receiveAll();
        }
        finishPings(now(), true);
    }

    private void runTasks() {
        Runnable t;
        while ((t = tasks.poll()) != null) t.run();
    }

    private void receiveAll() throws IOException {
        for (int i = 0; i < 1024; i++) {
            rxBuf.clear();
            InetSocketAddress from = (InetSocketAddress) channel.receive(rxBuf);
            if (from == null) return;
            from = LocalAddresses.normalise(from);
            long now = now();
            int len = rxBuf.position();
            received++;
            listener.onDatagram(now, local(from, now), from, rx, 0, len, false);
            execute(core.onDatagram(rx, 0, len, from, now), now);
        }
    }

    private InetSocketAddress local(InetSocketAddress remote, long now) {
        return new InetSocketAddress(locals.sourceFor(remote, now), bound.getPort());
    }

    /** Secrets first (their Decryption Secrets Block must precede the datagrams of this call), then the actions in order. */
    private void execute(List<Action> actions, long now) throws IOException {
        if (handOutSecrets) {
            Optional<SessionSecrets> s;
            while ((s = core.takeSessionSecrets()).isPresent()) listener.onSessionSecrets(s.get());
        }
        for (Action a : actions) {
            if (a instanceof Action.SendDatagram d) {
                sendDatagram(d.to(), d.bytes(), now);
            } else if (a instanceof Action.DeliverInner d) {
                deliver(d.packet(), now);
            } else if (a instanceof Action.Emit e && e.event().kind() != PeerEvent.Kind.SESSION_KEYS) {
                listener.onEvent(e.event());
            }
        }
    }

    private void sendDatagram(InetSocketAddress to, byte[] bytes, long now) throws IOException {
        InetSocketAddress dst = LocalAddresses.normalise(to);
        try {
            if (channel.send(ByteBuffer.wrap(bytes), dst) == 0) {
                sendFailures++;
                listener.onSendFailed(dst, "socket buffer full", now);
                return;
            }
        } catch (UnsupportedAddressTypeException e) {
            sendFailures++;
            listener.onSendFailed(dst, "no IPv6 on this system", now);
            return;
        } catch (IOException e) {
            if (!channel.isOpen()) throw e;
            sendFailures++;
            listener.onSendFailed(dst, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(), now);
            return;
        }
        sent++;
        long at = now(); // the moment it left, not the start of the call that made it
        listener.onDatagram(at, local(dst, at), dst, bytes, 0, bytes.length, true);
    }

    private void deliver(byte[] packet, long now) throws IOException {
        InnerStack.Outcome o = inner.receive(packet);
        if (o instanceof InnerStack.Answer a) {
            execute(core.send(a.reply(), now), now);
        } else if (o instanceof InnerStack.EchoReply r) {
            for (Pinger p : pingers) {
                Pinger.Reply reply = p.onReply(r, now);
                if (reply != null) {
                    listener.onPingReply(p, reply);
                    break;
                }
            }
        } else if (o instanceof InnerStack.Dropped d) {
            listener.onInnerDropped(d.reason());
        }
    }

    private void finishPings(long now, boolean all) {
        for (int i = 0; i < pingers.size(); i++) {
            Pinger p = pingers.get(i);
            if (all || p.finished(now)) {
                p.end(now);
                listener.onPingFinished(p, p.statistics());
                pingers.remove(i--);
            }
        }
    }

    /** Datagrams sent and received so far. */
    public long sent() {
        return sent;
    }

    public long received() {
        return received;
    }

    @Override
    public void close() throws IOException {
        try {
            selector.close();
        } finally {
            channel.close();
        }
    }
}
