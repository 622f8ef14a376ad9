package dev.wgdiag.probe.net;

import dev.wgdiag.crypto.PublicKey;
import dev.wgdiag.peer.Action;
import dev.wgdiag.peer.InnerStack;
import dev.wgdiag.peer.InterfaceSpec;
import dev.wgdiag.peer.PeerEvent;
import dev.wgdiag.peer.PeerSpec;
import dev.wgdiag.peer.WgInterface;
import dev.wgdiag.probe.Behaviours;
import dev.wgdiag.probe.NatBehaviour;
import dev.wgdiag.probe.ProbeCode;
import dev.wgdiag.probe.SeenEndpoint;
import dev.wgdiag.probe.Timer;
import dev.wgdiag.probe.Via;

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
import java.util.Arrays;
import java.util.List;

/**
 * The mapping and filtering tests of {@code wgdiag probe} (RFC 5780 4.3-4.4, with WireGuard sessions in
 * place of STUN): every packet the server sends goes through a session whose handshake came from the
 * mapping it is sent to.
 *
 * <ul>
 *   <li>Mapping: one socket does a handshake with the server's address and port, learns its public
 *   endpoint and the server's other endpoints (the answer's {@link SeenEndpoint.Offer}), then, from the
 *   same socket, a handshake with the same address's other port and one with the other address; the
 *   public endpoints the server saw are compared ({@link NatBehaviour#mapping}).</li>
 *   <li>Filtering: two fresh sockets each do a handshake with the first port alone, and ask (in the
 *   tunnel) for a copy of the answer from the other port, or from the other address and port. The copy
 *   arriving means the NAT let in a packet from an endpoint the socket never sent to
 *   ({@link NatBehaviour#filtering}).</li>
 * </ul>
 * One thread, one {@link Selector}; the cores' timers are not run; a lost handshake is retried every
 * 2 s, three times at most; about 3-8 s in all.
 */
public final class BehaviourProbe {
    static final long RETRY_NANOS = 2_000_000_000L;
    static final int MAX_ATTEMPTS = 3;
    static final long ACK_WAIT_NANOS = 3_000_000_000L;
    /** How long after the same-path answer a copy from another endpoint may still come (one packet, no retries). */
    static final long VIA_WAIT_NANOS = 2_000_000_000L;

    private enum State { HANDSHAKING, ACK_WAIT, VIA_WAIT, DONE }

    private final class Leg {
        final DatagramChannel channel;
        final InetSocketAddress destination;
        final Via via;
        final int number;
        final WgInterface wg;
        State state = State.HANDSHAKING;
        long at;
        int attempts;
        boolean acked;
        boolean viaArrived;
        InetSocketAddress seen;
        SeenEndpoint.Offer offer = SeenEndpoint.Offer.NONE;

        Leg(DatagramChannel channel, InetSocketAddress destination, Via via, int number) {
            this.channel = channel;
            this.destination = destination;
            this.via = via;
            this.number = number;
            PeerSpec p = spec.peers().get(0);
            this.wg = new WgInterface(new InterfaceSpec(spec.privateKey(), List.of(new PeerSpec(p.name(), p.publicKey(),
                    p.presharedKey(), destination, p.allowedIps(), 0))), random);
        }
    }

    private final InterfaceSpec spec;
    private final PublicKey server;
    private final InetSocketAddress endpoint;
    private final InnerStack inner;
    private final InetAddress target;
    private final SecureRandom random = new SecureRandom();
    private final long epochOffset = System.currentTimeMillis() * 1_000_000L - System.nanoTime();
    private final List<Leg> legs = new ArrayList<>();
    private Selector selector;

    /** Same meaning as {@link ProbeClient}'s constructor arguments. */
    public BehaviourProbe(InterfaceSpec spec, PublicKey server, InetSocketAddress endpoint, InnerStack inner, InetAddress target) {
        this.spec = spec;
        this.server = server;
        this.endpoint = endpoint;
        this.inner = inner;
        this.target = target;
    }

    long now() {
        return System.nanoTime() + epochOffset;
    }

    public Behaviours run() throws IOException {
        selector = Selector.open();
        List<DatagramChannel> channels = new ArrayList<>();
        try {
            DatagramChannel m = open(channels);
            Leg primary = start(m, endpoint, Via.SAME);
            Leg otherPortFilter = start(open(channels), endpoint, Via.OTHER_PORT);
            Leg otherAddressFilter = start(open(channels), endpoint, Via.OTHER_ADDRESS_AND_PORT);
            Leg otherPort = null;
            Leg otherAddress = null;
            boolean second = false;
            while (legs.stream().anyMatch(l -> l.state != State.DONE)) {
                step();
                if (!second && primary.state == State.DONE) {
                    second = true;
                    SeenEndpoint.Offer o = primary.offer;
                    if (primary.acked && o.otherPort() != 0) {
                        otherPort = start(m, new InetSocketAddress(endpoint.getAddress(), o.otherPort()), Via.SAME);
                        if (o.otherAddress() != null) otherAddress = start(m, new InetSocketAddress(o.otherAddress(), endpoint.getPort()), Via.SAME);
                    }
                }
            }
            SeenEndpoint.Offer offer = firstOffer();
            boolean secondPort = offer.otherPort() != 0;
            boolean secondAddress = offer.otherAddress() != null;
            NatBehaviour mapping = NatBehaviour.mapping(primary.seen, otherPort == null ? null : otherPort.seen,
                    otherAddress == null ? null : otherAddress.seen, secondPort, secondAddress);
            NatBehaviour filtering = NatBehaviour.filtering(otherPortFilter.acked ? otherPortFilter.viaArrived : null,
                    otherAddressFilter.acked ? otherAddressFilter.viaArrived : null, secondPort, secondAddress);
            return new Behaviours(mapping, filtering, Arrays.asList(primary.seen, otherPort == null ? null : otherPort.seen,
                    otherAddress == null ? null : otherAddress.seen));
        } finally {
            for (DatagramChannel c : channels) c.close();
            selector.close();
        }
    }

    private SeenEndpoint.Offer firstOffer() {
        for (Leg l : legs) if (l.acked && l.offer.otherPort() != 0) return l.offer;
        return SeenEndpoint.Offer.NONE;
    }

    private DatagramChannel open(List<DatagramChannel> channels) throws IOException {
        boolean v6 = endpoint.getAddress() instanceof Inet6Address;
        DatagramChannel ch = DatagramChannel.open(v6 ? java.net.StandardProtocolFamily.INET6 : java.net.StandardProtocolFamily.INET);
        channels.add(ch);
        ch.bind(new InetSocketAddress(InetAddress.getByName(v6 ? "::" : "0.0.0.0"), 0));
        ch.configureBlocking(false);
        ch.register(selector, SelectionKey.OP_READ);
        return ch;
    }

    private Leg start(DatagramChannel ch, InetSocketAddress destination, Via via) throws IOException {
        Leg l = new Leg(ch, destination, via, legs.size());
        legs.add(l);
        handshake(l, now());
        return l;
    }

    private void handshake(Leg l, long now) throws IOException {
        if (l.attempts >= MAX_ATTEMPTS) {
            l.state = State.DONE;
            return;
        }
        l.attempts++;
        l.at = now + RETRY_NANOS;
        execute(l, l.wg.connect(server, now), null, now);
    }

    private void step() throws IOException {
        long now = now();
        long next = Long.MAX_VALUE;
        for (Leg l : legs) {
            if (l.state != State.DONE && l.at <= now) {
                switch (l.state) {
                    case HANDSHAKING -> handshake(l, now);
                    case ACK_WAIT, VIA_WAIT -> l.state = State.DONE;
                    case DONE -> {
                    }
                }
            }
            if (l.state != State.DONE) next = Math.min(next, l.at);
        }
        long wait = next == Long.MAX_VALUE ? 1 : Math.max(1, Math.min(100, (next - now()) / 1_000_000L + 1));
        selector.select(wait);
        ByteBuffer buf = ByteBuffer.allocate(65_535);
        for (SelectionKey k : selector.selectedKeys()) {
            DatagramChannel ch = (DatagramChannel) k.channel();
            InetSocketAddress from;
            while ((from = (InetSocketAddress) ch.receive(buf.clear())) != null) {
                from = ProbeClient.normalise(from);
                Leg l = legFor(ch, from);
                if (l == null || l.state == State.DONE) continue;
                execute(l, l.wg.onDatagram(buf.array(), 0, buf.position(), from, now()), from, now());
            }
        }
        selector.selectedKeys().clear();
    }

    /** The leg a datagram on {@code ch} belongs to: the one that dialled its source, else the socket's first (copies from another endpoint). */
    private Leg legFor(DatagramChannel ch, InetSocketAddress from) {
        Leg first = null;
        for (Leg l : legs) {
            if (l.channel != ch) continue;
            if (l.destination.equals(from)) return l;
            if (first == null) first = l;
        }
        return first;
    }

    private void execute(Leg l, List<Action> actions, InetSocketAddress from, long now) throws IOException {
        boolean answered = false;
        for (Action a : actions) {
            if (a instanceof Action.SendDatagram s) {
                l.channel.send(ByteBuffer.wrap(s.bytes()), s.to());
            } else if (a instanceof Action.Emit e && e.event().kind() == PeerEvent.Kind.HANDSHAKE_ANSWERED && l.state == State.HANDSHAKING) {
                answered = true;
            } else if (a instanceof Action.DeliverInner d) {
                if (!(inner.receive(d.packet()) instanceof InnerStack.EchoReply r)) continue;
                ProbeCode code = ProbeCode.of(r.identifier(), r.sequence());
                if (code.flow() != l.number || code.via() != l.via) continue;
                if (l.destination.equals(from)) {
                    if (l.acked) continue;
                    l.acked = true;
                    l.seen = SeenEndpoint.read(d.packet()).orElse(null);
                    l.offer = SeenEndpoint.readOffer(d.packet());
                    if (l.via == Via.SAME || l.viaArrived) {
                        l.state = State.DONE;
                    } else {
                        l.state = State.VIA_WAIT;
                        l.at = now + VIA_WAIT_NANOS;
                    }
                } else if (l.via != Via.SAME) {
                    l.viaArrived = true;
                    if (l.acked) l.state = State.DONE;
                }
            }
        }
        if (answered) { // after the core's confirming keepalive, sent above
            ProbeCode code = new ProbeCode(Timer.ESTABLISHED, l.number, 0, 0, l.via);
            byte[] request = inner.echoRequest(target, code.identifier(), code.sequence(), now, SeenEndpoint.DATA_BYTES);
            l.state = State.ACK_WAIT;
            l.at = now + ACK_WAIT_NANOS;
            execute(l, l.wg.send(request, now), from, now);
        }
    }
}
