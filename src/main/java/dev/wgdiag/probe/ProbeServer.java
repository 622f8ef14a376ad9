package dev.wgdiag.probe;

import dev.wgdiag.peer.Action;
import dev.wgdiag.peer.InnerStack;
import dev.wgdiag.peer.InterfaceSpec;
import dev.wgdiag.peer.PeerEvent;
import dev.wgdiag.peer.WgInterface;
import dev.wgdiag.wire.Protocol;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * The sans-IO core of {@code wgdiag probe serve}: one WireGuard responder ({@link WgInterface}, the
 * reference peer's core) per client UDP source address, because every probe flow is its own socket,
 * mapping and session, and one WgInterface keeps one endpoint per peer.
 *
 * <p>Not a reflector: a datagram from an address without a flow is considered only when it is a
 * handshake initiation; the flow's core then authenticates it (mac1, a static key from the config,
 * AEAD, TAI64N). If the core does not respond, the flow is forgotten at once and nothing is sent. An
 * initiation's ephemeral key (bytes 8-40, whitepaper 5.4.2) that was already answered is ignored, so
 * a recorded initiation replayed from a forged source gets nothing either (each flow's own core only
 * knows the timestamps it saw). Echo replies go only through an authenticated session, to the
 * address its handshake came from. Timers are not run (no {@code onTick}): a passive keepalive would
 * refresh the mapping being measured.
 */
public final class ProbeServer {
    /** Flows kept at once; the least recently active is dropped beyond this (memory grows with flows, never with packets). */
    public static final int MAX_FLOWS = 512;
    /** Ephemeral keys of answered initiations remembered against replay. */
    static final int MAX_EPHEMERALS = 65_536;
    /** A flow with nothing scheduled is forgotten after this much silence. */
    static final long FLOW_IDLE_NANOS = 3_600_000_000_000L;

    /** A datagram to send from the local endpoint {@code local} (a wildcard address: the system picks the source). */
    public record Send(InetSocketAddress local, InetSocketAddress to, byte[] bytes) {
        public int localPort() {
            return local.getPort();
        }
    }

    /** What the server did, for the log. */
    public record Event(long nanos, Kind kind, InetSocketAddress local, InetSocketAddress client, String peer, ProbeCode code) {
        public enum Kind { HANDSHAKE, SCHEDULED, ANSWERED, REFRESH_SENT, DELIVERY_SENT, VIA_SENT }

        public int localPort() {
            return local.getPort();
        }
    }

    private record Key(InetSocketAddress local, InetSocketAddress from) {
    }

    private static final class Flow {
        final WgInterface wg;
        String peer;
        long lastNanos;
        long dueNanos = Long.MAX_VALUE;
        long nextTickNanos = Long.MAX_VALUE;
        long tickEveryNanos;
        byte[] reply;
        ProbeCode code;

        Flow(WgInterface wg) {
            this.wg = wg;
        }
    }

    private final Supplier<WgInterface> cores;
    private final Map<Key, Flow> flows = new LinkedHashMap<>(16, 0.75f, true);
    private final Set<ByteBuffer> ephemerals = new HashSet<>();
    private final ArrayList<ByteBuffer> ephemeralOrder = new ArrayList<>();
    private final List<Event> events = new ArrayList<>();

    private final List<InetSocketAddress> locals;

    /** A server that knows none of its endpoints: it offers no other endpoint and sends no copies from one. */
    public ProbeServer(InterfaceSpec spec, RandomGenerator random) {
        this(spec, random, List.of());
    }

    /**
     * @param locals every local endpoint the driver listens on (wildcard addresses for "any"; a specific
     *               address is a second server address), for the mapping and filtering tests
     */
    public ProbeServer(InterfaceSpec spec, RandomGenerator random, List<InetSocketAddress> locals) {
        this.cores = () -> new WgInterface(spec, random);
        this.locals = List.copyOf(locals);
    }

    /** The same address's other port (RFC 5780 4.3-4.4 "alternate port"), or null. */
    InetSocketAddress otherPort(InetSocketAddress local) {
        for (InetSocketAddress l : locals) {
            if (l.getAddress().equals(local.getAddress()) && l.getPort() != local.getPort()) return l;
        }
        return null;
    }

    /**
     * A specific second address of the client's family on the other port ("alternate address and
     * port"), or null. Only for flows that came to the primary address (a wildcard endpoint).
     */
    InetSocketAddress otherAddressAndPort(InetSocketAddress local, InetSocketAddress client) {
        if (!local.getAddress().isAnyLocalAddress()) return null;
        InetSocketAddress port = otherPort(local);
        for (InetSocketAddress l : locals) {
            InetAddress a = l.getAddress();
            if (a.isAnyLocalAddress() || a.getClass() != client.getAddress().getClass()) continue;
            if (port == null || l.getPort() == port.getPort()) return l;
        }
        return null;
    }

    SeenEndpoint.Offer offer(InetSocketAddress local, InetSocketAddress client) {
        InetSocketAddress port = otherPort(local);
        InetSocketAddress addr = otherAddressAndPort(local, client);
        return new SeenEndpoint.Offer(port == null ? 0 : port.getPort(), port == null || addr == null ? null : addr.getAddress());
    }

    /** Events since the last call, oldest first. */
    public List<Event> takeEvents() {
        List<Event> e = List.copyOf(events);
        events.clear();
        return e;
    }

    public int flows() {
        return flows.size();
    }

    /** One datagram that arrived on the wildcard address's {@code localPort} from {@code from}. */
    public List<Send> onDatagram(int localPort, byte[] buf, int off, int len, InetSocketAddress from, long now) {
        return onDatagram(new InetSocketAddress(localPort), buf, off, len, from, now);
    }

    /** One datagram that arrived on the local endpoint {@code local} from {@code from}. */
    public List<Send> onDatagram(InetSocketAddress local, byte[] buf, int off, int len, InetSocketAddress from, long now) {
        InetSocketAddress localPort = local;
        Key key = new Key(local, from);
        Flow f = flows.get(key);
        List<Send> out = new ArrayList<>();
        if (f == null) {
            if (len != Protocol.MESSAGE_INITIATION_SIZE || (buf[off] & 0xff) != Protocol.MESSAGE_INITIATION_TYPE) return out;
            ByteBuffer eph = ByteBuffer.wrap(java.util.Arrays.copyOfRange(buf, off + 8, off + 40));
            if (ephemerals.contains(eph)) return out;
            f = new Flow(cores.get());
            List<Action> actions = f.wg.onDatagram(buf, off, len, from, now);
            boolean responded = false;
            for (Action a : actions) {
                if (a instanceof Action.Emit e && e.event().kind() == PeerEvent.Kind.HANDSHAKE_RESPONDED) responded = true;
            }
            if (!responded) return out; // not authenticated (or a cookie reply under load, left unsent): forget it
            remember(eph);
            if (flows.size() >= MAX_FLOWS) {
                Iterator<Key> it = flows.keySet().iterator();
                it.next();
                it.remove();
            }
            flows.put(key, f);
            f.lastNanos = now;
            f.peer = f.wg.status().stream().filter(s -> s.endpoint() != null).map(s -> s.name()).findFirst().orElse("?");
            events.add(new Event(now, Event.Kind.HANDSHAKE, localPort, from, f.peer, null));
            execute(localPort, f, actions, out, now, from);
            return out;
        }
        f.lastNanos = now;
        execute(localPort, f, f.wg.onDatagram(buf, off, len, from, now), out, now, from);
        return out;
    }

    /** Sends what is due at {@code now}; call at least every 100 ms. */
    public List<Send> onTick(long now) {
        List<Send> out = new ArrayList<>();
        for (Iterator<Map.Entry<Key, Flow>> it = flows.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Key, Flow> e = it.next();
            Flow f = e.getValue();
            if (f.nextTickNanos <= now && f.nextTickNanos < f.dueNanos) {
                // inbound-refresh test: server-to-client traffic only, inside the idle time
                f.nextTickNanos += f.tickEveryNanos;
                events.add(new Event(now, Event.Kind.REFRESH_SENT, e.getKey().local(), e.getKey().from(), f.peer, f.code));
                executeSends(e.getKey().local(), f.wg.send(f.reply, now), out);
            }
            if (f.dueNanos <= now) {
                f.nextTickNanos = Long.MAX_VALUE;
                f.dueNanos = Long.MAX_VALUE;
                byte[] reply = f.reply;
                f.reply = null;
                events.add(new Event(now, Event.Kind.DELIVERY_SENT, e.getKey().local(), e.getKey().from(), f.peer, f.code));
                f.lastNanos = now;
                executeSends(e.getKey().local(), f.wg.send(reply, now), out);
            } else if (f.dueNanos == Long.MAX_VALUE && now - f.lastNanos > FLOW_IDLE_NANOS) {
                it.remove();
            }
        }
        return out;
    }

    private void execute(InetSocketAddress localPort, Flow f, List<Action> actions, List<Send> out, long now, InetSocketAddress from) {
        for (Action a : actions) {
            if (a instanceof Action.SendDatagram s) {
                out.add(new Send(localPort, s.to(), s.bytes()));
            } else if (a instanceof Action.DeliverInner d) {
                byte[] packet = d.packet();
                InetAddress dst = destination(packet);
                if (dst == null) continue;
                if (!(new InnerStack(List.of(dst)).receive(packet) instanceof InnerStack.Answer answer)) continue;
                ProbeCode code = ProbeCode.of(answer.identifier(), answer.sequence());
                f.code = code;
                f.reply = answer.reply();
                if (code.timer() == Timer.ESTABLISHED) {
                    events.add(new Event(now, Event.Kind.ANSWERED, localPort, from, f.peer, code));
                    executeSends(localPort, f.wg.send(SeenEndpoint.write(answer.reply(), from, offer(localPort, from)), now), out);
                    // the filtering tests: a copy from another endpoint, to the address this flow's handshake came from
                    InetSocketAddress via = switch (code.via()) {
                        case SAME -> null;
                        case OTHER_PORT -> otherPort(localPort);
                        case OTHER_ADDRESS_AND_PORT -> otherAddressAndPort(localPort, from);
                    };
                    if (via != null) {
                        events.add(new Event(now, Event.Kind.VIA_SENT, via, from, f.peer, code));
                        executeSends(via, f.wg.send(SeenEndpoint.write(answer.reply(), from, offer(localPort, from)), now), out);
                    }
                }
                if (code.idleSeconds() == 0) { // the immediate answer only (the mapping and filtering tests)
                    f.reply = null;
                    continue;
                }
                f.dueNanos = now + Math.round(code.idleSeconds() * 1e9);
                if (code.refreshes() > 0) {
                    f.tickEveryNanos = Math.round(code.idleSeconds() * 1e9 / (code.refreshes() + 1));
                    f.nextTickNanos = now + f.tickEveryNanos;
                }
                events.add(new Event(now, Event.Kind.SCHEDULED, localPort, from, f.peer, code));
            }
        }
    }

    private static void executeSends(InetSocketAddress localPort, List<Action> actions, List<Send> out) {
        for (Action a : actions) {
            if (a instanceof Action.SendDatagram s) out.add(new Send(localPort, s.to(), s.bytes()));
        }
    }

    private void remember(ByteBuffer eph) {
        ephemerals.add(eph);
        ephemeralOrder.add(eph);
        if (ephemeralOrder.size() > MAX_EPHEMERALS) {
            ephemerals.remove(ephemeralOrder.remove(0));
        }
    }

    /** The inner packet's destination address (IPv4 bytes 16-20, IPv6 bytes 24-40), or null. */
    static InetAddress destination(byte[] p) {
        try {
            int version = p.length > 0 ? (p[0] & 0xff) >>> 4 : 0;
            if (version == 4 && p.length >= 20) return InetAddress.getByAddress(java.util.Arrays.copyOfRange(p, 16, 20));
            if (version == 6 && p.length >= 40) return InetAddress.getByAddress(java.util.Arrays.copyOfRange(p, 24, 40));
        } catch (UnknownHostException e) {
            return null;
        }
        return null;
    }
}
