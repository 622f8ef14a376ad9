package dev.wgdiag.peer;

import dev.wgdiag.testing.Resident;
import dev.wgdiag.config.IpPrefix;
import dev.wgdiag.crypto.PresharedKey;
import dev.wgdiag.crypto.PrivateKey;
import dev.wgdiag.crypto.X25519;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A long run of two reference peers (a phone and its server) on a virtual clock, for issue 10's
 * "long runs": the cores exchange an echo request and reply every virtual second, rekey every
 * REKEY_AFTER_TIME, and once per virtual hour the network goes silent for {@link #SILENCE_SECONDS}
 * (sessions expire after REJECT_AFTER_TIME, keys are zeroed, handshakes retry) and the phone comes
 * back from a new port (a NAT rebinding the server must follow). Nothing is kept per datagram: the
 * run counts events and samples memory, so what grows is the cores' own state.
 *
 * <p>Every {@link #SAMPLE_EVERY_HOURS} virtual hours it forces a collection and records the heap in
 * use after it and the process' resident set (VmRSS from /proc/self/status, Linux). Run alone, in
 * its own JVM, so the figures are the cores' and not a test runner's:
 *
 * <pre>java -Xms64m -Xmx64m -cp CLASSPATH dev.wgdiag.peer.PeerSoak WALL_SECONDS</pre>
 *
 * Prints one {@code sample} line per sample and a closing {@code soak} line (key=value pairs).
 */
public final class PeerSoak {
    static final long S = 1_000_000_000L;
    static final long MS = 1_000_000L;
    /** 2023-11-14T22:13:20Z. */
    static final long T0 = 1_700_000_000L * S;
    static final long TICK = 250 * MS;
    static final int HOUR = 3600;
    /** Longer than REJECT_AFTER_TIME (180 s, whitepaper 6.1): sessions die, keys are zeroed. */
    static final int SILENCE_SECONDS = 200;
    /** Second of each virtual hour at which the silence starts. */
    static final int SILENCE_AT = 1800;
    static final int SAMPLE_EVERY_HOURS = 2;
    static final int MAX_SAMPLES = 1 << 16;

    private final Node phone;
    private final Node server;
    private final ArrayDeque<Object[]> inFlight = new ArrayDeque<>();
    private final Map<PeerEvent.Kind, Long> serverEvents = new EnumMap<>(PeerEvent.Kind.class);
    private final Map<PeerEvent.Kind, Long> phoneEvents = new EnumMap<>(PeerEvent.Kind.class);
    private long now = T0;
    private boolean silent;
    private long pingsSent;
    private long pingsSentInSilence;
    private long repliesReceived;
    private long datagrams;
    private int phonePort = 40000;

    private final class Node {
        final WgInterface wg;
        final InnerStack inner;
        final Map<PeerEvent.Kind, Long> events;
        InetSocketAddress address;

        Node(WgInterface wg, InnerStack inner, InetSocketAddress address, Map<PeerEvent.Kind, Long> events) {
            this.wg = wg;
            this.inner = inner;
            this.address = address;
            this.events = events;
        }

        void handle(List<Action> actions) {
            for (Action a : actions) {
                if (a instanceof Action.SendDatagram d) {
                    if (!silent) inFlight.add(new Object[] {this, d.to(), d.bytes()});
                } else if (a instanceof Action.DeliverInner d) {
                    InnerStack.Outcome o = inner.receive(d.packet());
                    if (o instanceof InnerStack.Answer answer) {
                        handle(wg.send(answer.reply(), now));
                    } else if (o instanceof InnerStack.EchoReply) {
                        repliesReceived++;
                    }
                } else if (a instanceof Action.Emit e) {
                    events.merge(e.event().kind(), 1L, Long::sum);
                }
            }
        }
    }

    PeerSoak(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        PrivateKey phoneKey = key(random);
        PrivateKey serverKey = key(random);
        InetSocketAddress serverAddress = new InetSocketAddress(addr("198.51.100.1"), 51820);
        InetSocketAddress phoneAddress = new InetSocketAddress(addr("192.0.2.10"), phonePort);
        PeerSpec phoneKnowsServer = new PeerSpec("server", serverKey.publicKey(), PresharedKey.NONE, serverAddress,
                List.of(IpPrefix.parse("10.0.0.1/32")), 25);
        PeerSpec serverKnowsPhone = new PeerSpec("phone", phoneKey.publicKey(), PresharedKey.NONE, null,
                List.of(IpPrefix.parse("10.0.0.2/32")), 0);
        phone = new Node(new WgInterface(new InterfaceSpec(phoneKey, List.of(phoneKnowsServer)), random.split()),
                new InnerStack(List.of(addr("10.0.0.2"))), phoneAddress, phoneEvents);
        server = new Node(new WgInterface(new InterfaceSpec(serverKey, List.of(serverKnowsPhone)), random.split()),
                new InnerStack(List.of(addr("10.0.0.1"))), serverAddress, serverEvents);
    }

    private static PrivateKey key(SplittableRandom random) {
        byte[] k = new byte[32];
        random.nextBytes(k);
        X25519.clamp(k);
        return PrivateKey.of(k);
    }

    private static InetAddress addr(String ip) {
        try {
            return InetAddress.getByName(ip);
        } catch (IOException e) {
            throw new IllegalArgumentException(ip, e);
        }
    }

    private void pump() {
        while (!inFlight.isEmpty()) {
            Object[] d = inFlight.poll();
            Node from = (Node) d[0];
            Node to = d[1].equals(server.address) ? server : d[1].equals(phone.address) ? phone : null;
            if (to == null) continue; // the phone's old port: the NAT forgot it
            byte[] bytes = (byte[]) d[2];
            datagrams++;
            to.handle(to.wg.onDatagram(bytes, 0, bytes.length, from.address, now));
        }
    }

    /** One virtual second: a ping from the phone (unless silent), then ticks. */
    private void second(long secondOfRun) {
        int inHour = (int) (secondOfRun % HOUR);
        if (inHour == SILENCE_AT) silent = true;
        if (inHour == SILENCE_AT + SILENCE_SECONDS) {
            silent = false;
            phonePort = phonePort == 65000 ? 40000 : phonePort + 1; // the NAT maps the phone anew
            phone.address = new InetSocketAddress(phone.address.getAddress(), phonePort);
        }
        byte[] ping = phone.inner.echoRequest(addr10001, 0x5eed, (int) (secondOfRun & 0xffff), now, 56);
        pingsSent++;
        if (silent) pingsSentInSilence++;
        phone.handle(phone.wg.send(ping, now));
        pump();
        for (long end = now + S; now < end; ) {
            now += TICK;
            phone.handle(phone.wg.onTick(now));
            server.handle(server.wg.onTick(now));
            pump();
        }
    }

    private final InetAddress addr10001 = addr("10.0.0.1");

    /** Samples in primitive arrays allocated up front, so the harness itself retains nothing as it runs. */
    static final class Samples {
        final double[] wall = new double[MAX_SAMPLES];
        final double[] hours = new double[MAX_SAMPLES];
        final long[] heap = new long[MAX_SAMPLES];
        final long[] rss = new long[MAX_SAMPLES];
        int size;

        void add(double wallSeconds, double virtualHours) {
            for (int i = 0; i < 2; i++) System.gc();
            wall[size] = wallSeconds;
            hours[size] = virtualHours;
            heap[size] = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            rss[size] = Resident.ofSelf();
            size++;
        }

        /** Least-squares slope over samples [from, size) of heap (or RSS) per virtual hour (or per wall minute). */
        double slope(int from, boolean ofHeap, boolean perWallMinute) {
            double[] x = new double[size], y = new double[size];
            for (int i = from; i < size; i++) {
                x[i] = perWallMinute ? wall[i] / 60 : hours[i];
                y[i] = ofHeap ? heap[i] : rss[i];
            }
            return Resident.slope(x, y, from, size);
        }

        long max(long[] values, int from) {
            long m = Long.MIN_VALUE;
            for (int i = from; i < size; i++) m = Math.max(m, values[i]);
            return m;
        }
    }

    /** Runs for {@code wallSeconds} of real time; prints samples and the closing line to stdout. */
    void run(double wallSeconds) {
        long start = System.nanoTime();
        long wallNanos = (long) (wallSeconds * 1e9);
        Samples samples = new Samples();
        phone.handle(phone.wg.start(now));
        server.handle(server.wg.start(now));
        pump();
        long second = 0;
        while (System.nanoTime() - start < wallNanos || second % HOUR != 0) {
            second(second++);
            if (second % (SAMPLE_EVERY_HOURS * HOUR) == 0 && samples.size < MAX_SAMPLES) {
                samples.add((System.nanoTime() - start) / 1e9, second / (double) HOUR);
                int i = samples.size - 1;
                System.out.printf(Locale.ROOT, "sample wall=%.1f virtualHours=%.0f heapAfterGc=%d rss=%d%n",
                        samples.wall[i], samples.hours[i], samples.heap[i], samples.rss[i]);
            }
        }
        double hours = second / (double) HOUR;
        double wall = (System.nanoTime() - start) / 1e9;
        // least squares over the second half of the samples: the first half includes JIT warm-up
        int half = samples.size / 2;
        int last = samples.size - 1;
        System.out.printf(Locale.ROOT,
                "soak wall=%.1f virtualHours=%.1f pingsSent=%d pingsSentInSilence=%d replies=%d datagrams=%d"
                        + " handshakesAnswered=%d handshakesSent=%d endpointChanges=%d givenUp=%d samples=%d"
                        + " heapSlopeBytesPerHour=%.1f heapSlopeBytesPerWallMinute=%.1f rssSlopeBytesPerWallMinute=%.1f"
                        + " heapFirst=%d heapLast=%d heapMax=%d rssFirst=%d rssLast=%d rssMax=%d%n",
                wall, hours, pingsSent, pingsSentInSilence, repliesReceived, datagrams,
                phoneEvents.getOrDefault(PeerEvent.Kind.HANDSHAKE_ANSWERED, 0L),
                phoneEvents.getOrDefault(PeerEvent.Kind.HANDSHAKE_SENT, 0L),
                serverEvents.getOrDefault(PeerEvent.Kind.ENDPOINT_CHANGED, 0L),
                phoneEvents.getOrDefault(PeerEvent.Kind.HANDSHAKE_GIVEN_UP, 0L), samples.size,
                samples.slope(half, true, false), samples.slope(half, true, true), samples.slope(half, false, true),
                samples.heap[half], samples.heap[last], samples.max(samples.heap, half),
                samples.rss[half], samples.rss[last], samples.max(samples.rss, half));
    }

    public static void main(String[] args) {
        new PeerSoak(args.length > 1 ? Long.parseLong(args[1]) : 1).run(Double.parseDouble(args[0]));
    }
}
