package dev.wgdiag.probe.net;

import dev.wgdiag.crypto.PublicKey;
import dev.wgdiag.peer.Action;
import dev.wgdiag.peer.InnerStack;
import dev.wgdiag.peer.InterfaceSpec;
import dev.wgdiag.peer.PeerEvent;
import dev.wgdiag.peer.WgInterface;
import dev.wgdiag.probe.Bracket;
import dev.wgdiag.probe.Observation;
import dev.wgdiag.probe.ProbeCode;
import dev.wgdiag.probe.Schedule;
import dev.wgdiag.probe.Timer;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The client side of {@code wgdiag probe}: runs the {@link Schedule}'s rounds, each a set of WireGuard
 * sessions in parallel, every one on its own UDP socket (so its own NAT mapping) with its own
 * {@link WgInterface} (the reference peer's core). One thread, one {@link Selector}. The cores'
 * timers are never run: a passive keepalive would refresh the very mapping being timed; a lost
 * handshake is retried by hand every 5 s (REKEY_TIMEOUT), three times at most.
 */
public final class ProbeClient {
    /** Extra wait after the idle time for the server's packet: its send, the network, scheduling. */
    public static final long GRACE_NANOS = 2_000_000_000L;
    static final long RETRY_NANOS = 5_000_000_000L;
    static final int MAX_ATTEMPTS = 3;
    /** Between two flows' first initiations: gentle on the network (at most 20 new sessions a second). */
    static final long STAGGER_NANOS = 50_000_000L;
    static final long ACK_WAIT_NANOS = 5_000_000_000L;

    /** Progress as it happens, on the probe's thread. */
    public interface Listener {
        void roundStarted(int round, Map<Timer, List<Double>> idleTimes);

        void flowReady(Timer timer, double idleSeconds, int localPort);

        void observed(Observation o, Bracket bracket);

        void flowFailed(Timer timer, double idleSeconds, String reason);

        /** The inbound-refresh test: idle {@code idleSeconds} with server-only packets every {@code everySeconds}. */
        void inboundRefresh(double idleSeconds, double everySeconds, Boolean survived);
    }

    private enum State { WAITING, HANDSHAKING, STREAM_WAIT, ACK_WAIT, IDLE, DONE }

    private final class Flow {
        final Timer timer;
        final double idle;
        final int number;
        int refreshes;
        final DatagramChannel channel;
        final WgInterface wg;
        State state = State.WAITING;
        long at;        // when the current state's deadline falls
        int attempts;
        long idleStart;
        InetSocketAddress seen;

        Flow(Timer timer, double idle, int number, long startAt) throws IOException {
            this.timer = timer;
            this.idle = idle;
            this.number = number;
            this.channel = DatagramChannel.open(family);
            channel.bind(new InetSocketAddress(wildcard, 0));
            channel.configureBlocking(false);
            channel.register(selector, SelectionKey.OP_READ, this);
            this.wg = new WgInterface(spec, random);
            this.at = startAt;
            this.port = ((InetSocketAddress) channel.getLocalAddress()).getPort();
        }

        final int port;

        int localPort() {
            return port;
        }
    }

    private final InterfaceSpec spec;
    private final PublicKey server;
    private final InetSocketAddress endpoint;
    private final InnerStack inner;
    private final InetAddress target;
    private final Schedule schedule;
    private final Listener listener;
    private final SecureRandom random = new SecureRandom();
    private final java.net.ProtocolFamily family;
    private final InetAddress wildcard;
    private final long epochOffset = System.currentTimeMillis() * 1_000_000L - System.nanoTime();
    private Selector selector;
    private final List<Observation> observations = new ArrayList<>();
    private Boolean inboundRefresh;
    private int refreshes;
    private long searchEndedNanos;

    /** System.nanoTime() when the rounds ended (both lifetimes bracketed as far as they go), before the inbound-refresh test. */
    public long searchEndedNanos() {
        return searchEndedNanos;
    }

    /** Whether server-only traffic kept an established mapping past its lifetime; null when not tested. */
    public Boolean inboundRefresh() {
        return inboundRefresh;
    }

    /**
     * @param spec     the client's interface (its one [Peer] is the probe server, with its Endpoint)
     * @param target   a tunnel address the server's AllowedIPs route to the client's (inner echo requests go there)
     * @param inner    the client's tunnel addresses
     */
    public ProbeClient(InterfaceSpec spec, PublicKey server, InetSocketAddress endpoint, InnerStack inner, InetAddress target,
                       Schedule schedule, Listener listener) {
        this.spec = spec;
        this.server = server;
        this.endpoint = endpoint;
        this.inner = inner;
        this.target = target;
        this.schedule = schedule;
        this.listener = listener;
        boolean v6 = endpoint.getAddress() instanceof Inet6Address;
        this.family = v6 ? java.net.StandardProtocolFamily.INET6 : java.net.StandardProtocolFamily.INET;
        try {
            this.wildcard = InetAddress.getByName(v6 ? "::" : "0.0.0.0");
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    long now() {
        return System.nanoTime() + epochOffset;
    }

    /** Runs every round; returns every observation, in the order they were made. */
    public List<Observation> run() throws IOException {
        selector = Selector.open();
        try {
            for (int round = 1; ; round++) {
                Map<Timer, List<Double>> plan = new EnumMap<>(Timer.class);
                for (Timer t : Timer.values()) {
                    List<Double> r = schedule.round(round, Bracket.of(observations, t));
                    if (!r.isEmpty()) plan.put(t, r);
                }
                if (plan.isEmpty()) {
                    searchEndedNanos = System.nanoTime();
                    refreshRound();
                    break;
                }
                listener.roundStarted(round, plan);
                runRound(plan);
            }
            return List.copyOf(observations);
        } finally {
            selector.close();
        }
    }

    /**
     * Inbound refresh (RFC 4787 REQ-6: inbound refresh MAY): one established flow idle for 1.25 times
     * the established bracket's upper end (at least 5 s more), during which the server alone sends a
     * packet at least every half of its lower end (at most {@link ProbeCode#MAX_REFRESHES}). Delivered
     * at the end: inbound traffic kept the mapping.
     */
    private void refreshRound() throws IOException {
        Bracket est = Bracket.of(observations, Timer.ESTABLISHED);
        if (est.lower() == null || est.upper() == null) {
            listener.inboundRefresh(0, 0, null);
            return;
        }
        // past the upper end by a quarter (at least 5 s): without the server's packets the mapping would surely be gone
        double idle = Math.min(ProbeCode.MAX_IDLE_SECONDS, Math.round(Math.max(est.upper() + 5, 1.25 * est.upper()) * 10) / 10.0);
        refreshes = (int) Math.min(ProbeCode.MAX_REFRESHES, Math.ceil(idle / (est.lower() / 2)) - 1);
        double every = idle / (refreshes + 1);
        runRound(Map.of(Timer.ESTABLISHED, List.of(idle)));
        listener.inboundRefresh(idle, every, inboundRefresh);
    }

    private void runRound(Map<Timer, List<Double>> plan) throws IOException {
        List<Flow> flows = new ArrayList<>();
        long start = now();
        int n = 0;
        for (Map.Entry<Timer, List<Double>> e : plan.entrySet()) {
            for (double idle : e.getValue()) {
                Flow flow = new Flow(e.getKey(), idle, n, start + n * STAGGER_NANOS);
                flow.refreshes = refreshes;
                flows.add(flow);
                n++;
            }
        }
        ByteBuffer buf = ByteBuffer.allocate(65_535);
        Map<Timer, Double> diedAt = new EnumMap<>(Timer.class);
        while (flows.stream().anyMatch(f -> f.state != State.DONE)) {
            long now = now();
            long next = Long.MAX_VALUE;
            for (Flow f : flows) {
                if (f.state == State.DONE) continue;
                Double died = diedAt.get(f.timer);
                if (died != null && f.idle > died && f.state != State.DONE) {
                    close(f);
                    listener.flowFailed(f.timer, f.idle, "cancelled: a shorter idle time already died");
                    continue;
                }
                if (f.at <= now) timeout(f, now, diedAt);
                if (f.state != State.DONE) next = Math.min(next, f.at);
            }
            long wait = next == Long.MAX_VALUE ? 100 : Math.max(1, Math.min(100, (next - now()) / 1_000_000L + 1));
            selector.select(wait);
            for (SelectionKey k : selector.selectedKeys()) {
                Flow f = (Flow) k.attachment();
                if (!k.isValid() || f.state == State.DONE) continue;
                DatagramChannel ch = (DatagramChannel) k.channel();
                InetSocketAddress from;
                while (f.state != State.DONE && (from = (InetSocketAddress) ch.receive(buf.clear())) != null) {
                    from = normalise(from);
                    received(f, buf.array(), buf.position(), from, now(), diedAt);
                }
            }
            selector.selectedKeys().clear();
        }
    }

    private void timeout(Flow f, long now, Map<Timer, Double> diedAt) throws IOException {
        switch (f.state) {
            case WAITING, HANDSHAKING -> {
                if (f.attempts >= MAX_ATTEMPTS) {
                    close(f);
                    listener.flowFailed(f.timer, f.idle, "no handshake response after " + MAX_ATTEMPTS + " initiations");
                    return;
                }
                f.attempts++;
                f.state = State.HANDSHAKING;
                f.at = now + RETRY_NANOS;
                execute(f, f.wg.connect(server, now), now, diedAt);
            }
            case STREAM_WAIT -> {
                sendRequest(f, now, diedAt);
                f.state = State.ACK_WAIT;
                f.at = now + ACK_WAIT_NANOS;
            }
            case ACK_WAIT -> {
                close(f);
                listener.flowFailed(f.timer, f.idle, "the server did not answer the in-tunnel request");
            }
            case IDLE -> {
                close(f);
                observe(new Observation(f.timer, f.idle, false, f.localPort(), f.seen), diedAt);
            }
            case DONE -> {
            }
        }
    }

    private void received(Flow f, byte[] data, int len, InetSocketAddress from, long now, Map<Timer, Double> diedAt) throws IOException {
        execute(f, f.wg.onDatagram(data, 0, len, from, now), now, diedAt);
    }

    private void execute(Flow f, List<Action> actions, long now, Map<Timer, Double> diedAt) throws IOException {
        for (Action a : actions) {
            // the flow ended on an earlier action of this list (its delivery): its socket is closed. Near
            // REJECT_AFTER_TIME (180 s) the delivery comes on a new session the server started, and the
            // core answers more after it (seen at 178 s: a ClosedChannelException ended the probe)
            if (f.state == State.DONE) return;
            if (a instanceof Action.SendDatagram s) {
                f.channel.send(ByteBuffer.wrap(s.bytes()), s.to());
            } else if (a instanceof Action.Emit e && e.event().kind() == PeerEvent.Kind.HANDSHAKE_ANSWERED
                    && f.state == State.HANDSHAKING) {
                listener.flowReady(f.timer, f.idle, f.localPort());
                if (f.timer == Timer.ONE_WAY) {
                    // after the core's confirming keepalive (it comes first in this list's sends)
                    f.state = State.IDLE;
                    f.at = Long.MAX_VALUE;
                    pendingRequest = f;
                } else {
                    f.state = State.STREAM_WAIT;
                    f.at = now + Timer.STREAM_DELAY_NANOS;
                }
            } else if (a instanceof Action.DeliverInner d) {
                if (!(inner.receive(d.packet()) instanceof InnerStack.EchoReply r)) continue;
                ProbeCode code = ProbeCode.of(r.identifier(), r.sequence());
                if (code.flow() != f.number || code.timer() != f.timer) continue;
                if (f.state == State.ACK_WAIT) {
                    f.seen = dev.wgdiag.probe.SeenEndpoint.read(d.packet()).orElse(null);
                    f.state = State.IDLE;
                    f.idleStart = now;
                    f.at = now + Math.round(f.idle * 1e9) + GRACE_NANOS;
                } else if (f.state == State.IDLE) {
                    long tick = f.refreshes == 0 ? 0 : Math.round(f.idle * 1e9 / (f.refreshes + 1));
                    if (f.refreshes > 0 && now < f.idleStart + Math.round(f.idle * 1e9) - tick / 2) continue; // a refresh
                    close(f);
                    observe(new Observation(f.timer, f.idle, true, f.localPort(), f.seen), diedAt);
                }
            }
        }
        if (pendingRequest == f) {
            pendingRequest = null;
            sendRequest(f, now, diedAt);
            f.idleStart = now;
            f.at = now + Math.round(f.idle * 1e9) + GRACE_NANOS;
        }
    }

    private Flow pendingRequest;

    private void sendRequest(Flow f, long now, Map<Timer, Double> diedAt) throws IOException {
        ProbeCode code = new ProbeCode(f.timer, f.number, f.idle, f.refreshes);
        byte[] request = inner.echoRequest(target, code.identifier(), code.sequence(), now, dev.wgdiag.probe.SeenEndpoint.DATA_BYTES);
        execute(f, f.wg.send(request, now), now, diedAt);
    }

    private void observe(Observation o, Map<Timer, Double> diedAt) {
        if (refreshes > 0) {
            inboundRefresh = o.lived();
            return;
        }
        observations.add(o);
        if (!o.lived()) diedAt.merge(o.timer(), o.idleSeconds(), Math::min);
        listener.observed(o, Bracket.of(observations, o.timer()));
    }

    private void close(Flow f) throws IOException {
        f.state = State.DONE;
        f.channel.close();
    }

    static InetSocketAddress normalise(InetSocketAddress a) {
        byte[] b = a.getAddress().getAddress();
        if (b.length == 16) {
            boolean mapped = true;
            for (int i = 0; i < 10; i++) mapped &= b[i] == 0;
            mapped &= b[10] == (byte) 0xff && b[11] == (byte) 0xff;
            if (mapped) {
                try {
                    return new InetSocketAddress(InetAddress.getByAddress(java.util.Arrays.copyOfRange(b, 12, 16)), a.getPort());
                } catch (java.net.UnknownHostException e) {
                    return a;
                }
            }
        }
        return a;
    }
}
