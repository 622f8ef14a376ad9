package dev.wgdiag.peer;

import dev.wgdiag.config.IpPrefix;
import dev.wgdiag.crypto.PresharedKey;
import dev.wgdiag.crypto.PrivateKey;
import dev.wgdiag.crypto.PublicKey;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * A simulated network of {@link WgInterface}s on a virtual clock: datagrams go, in order and without
 * delay, to the node bound at their destination; a filter can drop them. Nothing sleeps.
 */
final class SimNet {
    /** 2023-11-14T22:13:20Z, nanoseconds. */
    static final long T0 = 1_700_000_000_000_000_000L;
    static final long MS = 1_000_000L;
    static final long S = 1_000_000_000L;

    record Datagram(InetSocketAddress from, InetSocketAddress to, byte[] bytes, long at) {
    }

    final class Node {
        final String name;
        final PrivateKey key;
        final InetSocketAddress address;
        final List<PeerSpec> peers = new ArrayList<>();
        WgInterface wg;
        InetSocketAddress bound;
        final List<PeerEvent> events = new ArrayList<>();
        final List<byte[]> delivered = new ArrayList<>();
        final List<Datagram> sent = new ArrayList<>();

        Node(String name, PrivateKey key, InetSocketAddress address) {
            this.name = name;
            this.key = key;
            this.address = address;
            this.bound = address;
        }

        PublicKey publicKey() {
            return key.publicKey();
        }

        void build(long seed) {
            wg = new WgInterface(new InterfaceSpec(key, peers), new SplittableRandom(seed));
        }

        void handle(List<Action> actions) {
            for (Action a : actions) {
                if (a instanceof Action.SendDatagram d) {
                    Datagram g = new Datagram(bound, d.to(), d.bytes(), now);
                    sent.add(g);
                    inFlight.add(g);
                } else if (a instanceof Action.DeliverInner d) {
                    delivered.add(d.packet());
                } else if (a instanceof Action.Emit e) {
                    events.add(e.event());
                }
            }
        }

        List<PeerEvent> events(PeerEvent.Kind kind) {
            return events.stream().filter(e -> e.kind() == kind).collect(Collectors.toList());
        }

        List<Datagram> sentOfType(int type) {
            return sent.stream().filter(d -> d.bytes()[0] == type).collect(Collectors.toList());
        }

        void send(byte[] inner) {
            handle(wg.send(inner, now));
            pump();
        }

        PeerStatus status(Node peer) {
            return wg.status().stream().filter(s -> s.publicKey().equals(peer.publicKey())).findFirst().orElseThrow();
        }
    }

    long now = T0;
    final Map<InetSocketAddress, Node> byAddress = new HashMap<>();
    final List<Node> nodes = new ArrayList<>();
    final ArrayDeque<Datagram> inFlight = new ArrayDeque<>();
    final List<Datagram> dropped = new ArrayList<>();
    Predicate<Datagram> drop = d -> false;
    private final SplittableRandom keys = new SplittableRandom(42);

    Node node(String name, String ip, int port) {
        byte[] k = new byte[32];
        keys.nextBytes(k);
        dev.wgdiag.crypto.X25519.clamp(k);
        Node n = new Node(name, PrivateKey.of(k), new InetSocketAddress(addr(ip), port));
        nodes.add(n);
        byAddress.put(n.address, n);
        return n;
    }

    /** Makes {@code a} know {@code b} (with or without b's endpoint) routing {@code allowed} to it. */
    static void knows(Node a, Node b, boolean withEndpoint, int keepalive, PresharedKey psk, String... allowed) {
        List<IpPrefix> prefixes = new ArrayList<>();
        for (String s : allowed) {
            prefixes.add(IpPrefix.parse(s));
        }
        a.peers.add(new PeerSpec(b.name, b.publicKey(), psk, withEndpoint ? b.address : null, prefixes, keepalive));
    }

    /** Moves {@code n} to a new source address (a NAT rebinding): its datagrams now come from there. */
    void rebind(Node n, InetSocketAddress to) {
        byAddress.remove(n.bound);
        n.bound = to;
        byAddress.put(to, n);
    }

    void start() {
        for (Node n : nodes) {
            n.handle(n.wg.start(now));
        }
        pump();
    }

    void pump() {
        int guard = 0;
        while (!inFlight.isEmpty()) {
            if (++guard > 1_000_000) {
                throw new IllegalStateException("datagram storm");
            }
            Datagram d = inFlight.poll();
            Node to = byAddress.get(d.to());
            if (to == null || drop.test(d)) {
                dropped.add(d);
                continue;
            }
            to.handle(to.wg.onDatagram(d.bytes(), 0, d.bytes().length, d.from(), now));
        }
    }

    /** Advances the clock by {@code duration} in ticks of {@code tick}, ticking every node and delivering. */
    void advance(long duration, long tick) {
        long end = now + duration;
        while (now < end) {
            now = Math.min(end, now + tick);
            for (Node n : nodes) {
                n.handle(n.wg.onTick(now));
            }
            pump();
        }
    }

    void advance(long duration) {
        advance(duration, 10 * MS);
    }

    static InetAddress addr(String ip) {
        try {
            return InetAddress.getByName(ip);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** An IPv4 ICMP echo request {@code src -> dst} with {@code payload} bytes of data (checksums not needed here). */
    static byte[] ping4(String src, String dst, int seq, int payload) {
        byte[] p = new byte[20 + 8 + payload];
        p[0] = 0x45;
        p[2] = (byte) (p.length >> 8);
        p[3] = (byte) p.length;
        p[8] = 64;
        p[9] = 1;
        System.arraycopy(addr(src).getAddress(), 0, p, 12, 4);
        System.arraycopy(addr(dst).getAddress(), 0, p, 16, 4);
        p[20] = 8;
        p[26] = (byte) (seq >> 8);
        p[27] = (byte) seq;
        for (int i = 0; i < payload; i++) {
            p[28 + i] = (byte) i;
        }
        return p;
    }

    /** An IPv6 packet (next header 59, no next header) {@code src -> dst} with {@code payload} bytes. */
    static byte[] ipv6(String src, String dst, int payload) {
        byte[] p = new byte[40 + payload];
        p[0] = 0x60;
        p[4] = (byte) (payload >> 8);
        p[5] = (byte) payload;
        p[6] = 59;
        p[7] = 64;
        System.arraycopy(addr(src).getAddress(), 0, p, 8, 16);
        System.arraycopy(addr(dst).getAddress(), 0, p, 24, 16);
        return p;
    }
}
