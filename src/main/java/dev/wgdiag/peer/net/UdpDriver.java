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
 * wireguard-go): the UDP sockets, one thread with a {@link Selector}, the clock, and the execution of
 * the core's {@link Action}s (a responder handshake's crypto on {@link HandshakeWorkers}, whose results
 * come back to this thread through {@link WgInterface#onWorkDone}). Datagrams go to {@link WgInterface#onDatagram}, the timers run through
 * {@link WgInterface#onTick} at least every {@link #TICK_NANOS}, inner packets the core delivers go
 * to the {@link InnerStack} (an echo request is answered through {@link WgInterface#send}), pings are
 * sent on their schedule, and everything worth showing goes to a {@link Listener} on this thread.
 *
 * <p>One socket per local address, all on the same port ({@link LocalSockets}): what is sent to a peer
 * leaves from the address its last authenticated datagram arrived on (WireGuard's sticky source), and a
 * reply to an unauthenticated datagram (a cookie reply) from the address it arrived on. Where the
 * addresses cannot be enumerated, one dual-stack wildcard socket ({@code [::]:port}, IPv4 peers arrive
 * as IPv4-mapped addresses and are normalised to IPv4; IPv4-only without IPv6). The clock is
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
    private final LocalSockets sockets;
    private final Selector selector;
    /** Responder handshakes' crypto, one worker per CPU; null on a single CPU (then inline). */
    private final HandshakeWorkers workers;
    private final Listener listener;
    private final boolean handOutSecrets;
    private final LongSupplier clock;
    /** While the actions of a received datagram run: its socket and source (replies to it leave from there). */
    private DatagramChannel replyChannel;
    private InetSocketAddress replyTo;
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

    private UdpDriver(WgInterface core, InnerStack inner, Selector selector, LocalSockets sockets, Listener listener,
                      boolean handOutSecrets, LongSupplier clock) {
        this.core = core;
        this.inner = inner;
        this.selector = selector;
        this.sockets = sockets;
        this.listener = listener;
        this.handOutSecrets = handOutSecrets;
        this.clock = clock;
        int threads = HandshakeWorkers.defaultThreads();
        this.workers = threads == 0 ? null : new HandshakeWorkers(threads, selector::wakeup);
        core.offloadHandshakes(workers != null);
    }

    /**
     * Binds the sockets (one per local address, or one wildcard socket) and prepares the driver.
     *
     * @param port           the UDP port (ListenPort), or 0 for one the kernel picks
     * @param handOutSecrets give each new session's secrets to the listener ({@code -w}, {@code --keylog})
     * @throws BindException the port is in use; {@link SocketException} on a refused bind (permission)
     */
    public static UdpDriver open(WgInterface core, InnerStack inner, int port, Listener listener, boolean handOutSecrets)
            throws IOException {
        return of(core, inner, port, LocalSockets::interfaceAddresses, listener, handOutSecrets, epochClock());
    }

    /** For tests: the local addresses to bind and the clock given. */
    static UdpDriver of(WgInterface core, InnerStack inner, int port, LocalSockets.AddressSource addresses, Listener listener,
                        boolean handOutSecrets, LongSupplier clock) throws IOException {
        Selector selector = Selector.open();
        try {
            return new UdpDriver(core, inner, selector, LocalSockets.open(selector, port, addresses, clock.getAsLong()),
                    listener, handOutSecrets, clock);
        } catch (IOException | RuntimeException e) {
            selector.close();
            throw e;
        }
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

    /** The port, as {@code [::]:port} (or {@code 0.0.0.0:port} without IPv6), whatever the sockets behind it. */
    public InetSocketAddress bound() {
        return sockets.bound();
    }

    /** The local addresses with a socket of their own (empty when one wildcard socket serves). */
    public List<java.net.InetAddress> addresses() {
        return sockets.addresses();
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
            else selector.selectNow();
            receiveAll();
            applyWork();
            sockets.maybeRescan(now());
        }
        finishPings(now(), true);
    }

    private void runTasks() {
        Runnable t;
        while ((t = tasks.poll()) != null) t.run();
    }

    private void receiveAll() throws IOException {
        List<DatagramChannel> ready = new ArrayList<>(selector.selectedKeys().size());
        for (SelectionKey k : selector.selectedKeys()) {
            if (k.isValid()) ready.add((DatagramChannel) k.channel());
        }
        selector.selectedKeys().clear();
        for (DatagramChannel ch : ready) receiveAll(ch);
    }

    private void receiveAll(DatagramChannel ch) throws IOException {
        for (int i = 0; i < 1024 && ch.isOpen(); i++) {
            rxBuf.clear();
            InetSocketAddress from;
            try {
                from = (InetSocketAddress) ch.receive(rxBuf);
            } catch (java.nio.channels.ClosedChannelException e) {
                return;
            }
            if (from == null) return;
            from = LocalAddresses.normalise(from);
            long now = now();
            int len = rxBuf.position();
            received++;
            listener.onDatagram(now, sockets.local(ch, from, now), from, rx, 0, len, false);
            List<Action> actions = core.onDatagram(rx, 0, len, from, now);
            if (core.authenticated()) sockets.stick(from, ch, now);
            replyChannel = ch;
            replyTo = from;
            try {
                execute(actions, now);
            } finally {
                replyChannel = null;
                replyTo = null;
            }
        }
    }

    /** Handshake work the workers finished: applied to the core, answered from the socket the initiation came to. */
    private void applyWork() throws IOException {
        if (workers == null) return;
        HandshakeWorkers.Done d;
        while ((d = workers.poll()) != null) {
            long now = now();
            DatagramChannel ch = (DatagramChannel) d.tag();
            InetSocketAddress from = d.work().from();
            List<Action> actions = core.onWorkDone(d.work(), now);
            if (core.authenticated() && ch != null) sockets.stick(from, ch, now);
            replyChannel = ch;
            replyTo = ch == null ? null : from;
            try {
                execute(actions, now);
            } finally {
                replyChannel = null;
                replyTo = null;
            }
        }
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
            } else if (a instanceof Action.Compute c) {
                if (workers == null) {
                    execute(core.onWorkDone(c.work(), now), now); // not reached: offload is off without workers
                } else {
                    workers.submit(c.work(), replyChannel); // a full queue drops it, as wireguard-go does
                }
            } else if (a instanceof Action.Emit e && e.event().kind() != PeerEvent.Kind.SESSION_KEYS) {
                listener.onEvent(e.event());
            }
        }
    }

    private void sendDatagram(InetSocketAddress to, byte[] bytes, long now) throws IOException {
        InetSocketAddress dst = LocalAddresses.normalise(to);
        DatagramChannel ch = replyChannel != null && dst.equals(replyTo) ? replyChannel : sockets.forDestination(dst, now);
        String failed = ch == null ? "no IPv" + (dst.getAddress() instanceof java.net.Inet4Address ? "4" : "6")
                + " address on this system" : send(ch, dst, bytes);
        if (failed != null && ch != null && !sockets.wildcardOnly()) {
            // The sticky source went away (EINVAL on Linux): forget it and send from the kernel's choice,
            // as wireguard-go's Linux bind did (ClearSrc, then retry).
            sockets.unstick(dst);
            sockets.rescanIfOlder(now, LocalSockets.MIN_RESCAN_NANOS);
            DatagramChannel again = sockets.forDestination(dst, now);
            if (again != null && again != ch) {
                ch = again;
                failed = send(ch, dst, bytes);
            }
        }
        if (failed != null) {
            sendFailures++;
            listener.onSendFailed(dst, failed, now);
            return;
        }
        sent++;
        long at = now(); // the moment it left, not the start of the call that made it
        listener.onDatagram(at, sockets.local(ch, dst, at), dst, bytes, 0, bytes.length, true);
    }

    /** Null when sent, else why not. */
    private static String send(DatagramChannel ch, InetSocketAddress dst, byte[] bytes) throws IOException {
        try {
            return ch.send(ByteBuffer.wrap(bytes), dst) == 0 ? "socket buffer full" : null;
        } catch (UnsupportedAddressTypeException e) {
            return "no IPv6 on this system";
        } catch (java.nio.channels.ClosedChannelException e) {
            return "socket closed";
        } catch (IOException e) {
            return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
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
        if (workers != null) workers.close();
        try {
            selector.close();
        } finally {
            sockets.close();
        }
    }
}
