package dev.wgdiag.bench;

import dev.wgdiag.config.IpPrefix;
import dev.wgdiag.crypto.HandshakeInitiator;
import dev.wgdiag.crypto.Mac1;
import dev.wgdiag.crypto.PresharedKey;
import dev.wgdiag.crypto.PrivateKey;
import dev.wgdiag.crypto.Tai64n;
import dev.wgdiag.peer.Action;
import dev.wgdiag.peer.InterfaceSpec;
import dev.wgdiag.peer.PeerSpec;
import dev.wgdiag.peer.WgInterface;
import dev.wgdiag.peer.net.HandshakeWorkers;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * In-process benchmark of the reference peer's sans-IO core (not a test), one thread, best of RUNS,
 * as wall-clock rates and as rates per second of the thread's own CPU time (the machine is shared:
 * the second figure is what one core does when the thread runs):
 * <ol>
 * <li>responder handshakes/s: valid initiations from 1,024 peers, fed 1 ms apart on the virtual clock
 *     (so the responder is not "under load" and does the full Noise work: 4 X25519, BLAKE2s, AEADs),
 *     inline on one thread, then with the crypto on {@link HandshakeWorkers} (one per CPU, as
 *     {@code wgdiag peer} runs it; rates per second of the whole process's CPU time);</li>
 * <li>cookie replies/s under a flood of valid-mac1 initiations from 65,536 sources at one instant
 *     (under load: mac1 check, a cookie MAC and an XChaCha20-Poly1305 seal each);</li>
 * <li>transport echo round trips/s between two in-process interfaces (a 84-byte ping each way:
 *     seal, open, replay check, AllowedIPs), and bytes allocated per transport packet
 *     (ThreadMXBean.getThreadAllocatedBytes).</li>
 * </ol>
 *
 * <pre>
 *   mvn -B -q -o test-compile
 *   java -XX:+UseSerialGC -cp target/classes:target/test-classes:$(mvn -B -q -o dependency:build-classpath \
 *       -Dmdep.outputFile=/dev/stdout) \
 *       dev.wgdiag.bench.PeerBenchmark [RUNS]
 * </pre>
 */
public final class PeerBenchmark {
    static final long T0 = 1_700_000_000_000_000_000L;
    static final long MS = 1_000_000L;

    private PeerBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long self = Thread.currentThread().getId();
        System.out.printf(Locale.ROOT, "cores: %d, java %s%n", Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));

        // 1. responder handshakes
        SecureRandom sr = new SecureRandom();
        PrivateKey serverKey = PrivateKey.generate(sr);
        int peers = 1024;
        int perRun = 4096;
        List<PrivateKey> clients = new ArrayList<>();
        List<PeerSpec> specs = new ArrayList<>();
        for (int i = 0; i < peers; i++) {
            PrivateKey k = PrivateKey.generate(sr);
            clients.add(k);
            specs.add(new PeerSpec("c" + i, k.publicKey(), PresharedKey.NONE, null,
                    List.of(IpPrefix.parse("10." + (i >> 8) + "." + (i & 255) + ".2/32")), 0));
        }
        int total = perRun * runs;
        byte[][] inits = new byte[total][];
        long[] ts = {T0};
        List<HandshakeInitiator> initiators = new ArrayList<>();
        for (PrivateKey k : clients) {
            initiators.add(new HandshakeInitiator(k, serverKey.publicKey(), PresharedKey.NONE,
                    () -> PrivateKey.generate(sr), () -> Tai64n.whitened(Instant.ofEpochSecond(0, ts[0]))));
        }
        for (int i = 0; i < total; i++) {
            ts[0] = T0 + (long) (i / peers) * 1_000_000_000L;
            inits[i] = initiators.get(i % peers).createInitiation(i + 1);
        }
        WgInterface server = new WgInterface(new InterfaceSpec(serverKey, specs), new SplittableRandom(1));
        InetSocketAddress[] sources = new InetSocketAddress[peers];
        for (int i = 0; i < peers; i++) {
            sources[i] = new InetSocketAddress(InetAddress.getByAddress(new byte[] {(byte) 198, 51, (byte) (100 + (i >> 8)), (byte) i}), 40000);
        }
        double best = Double.MAX_VALUE;
        double bestCpu = Double.MAX_VALUE;
        long now = T0 + 10_000 * MS;
        int responded = 0;
        for (int r = 0; r < runs; r++) {
            long c = mx.getCurrentThreadCpuTime();
            long t = System.nanoTime();
            for (int i = r * perRun; i < (r + 1) * perRun; i++) {
                now += MS;
                for (Action a : server.onDatagram(inits[i], 0, inits[i].length, sources[i % peers], now)) {
                    if (a instanceof Action.SendDatagram d && d.bytes().length == 92) {
                        responded++;
                    }
                }
            }
            best = Math.min(best, (System.nanoTime() - t) / 1e9);
            bestCpu = Math.min(bestCpu, (mx.getCurrentThreadCpuTime() - c) / 1e9);
        }
        if (responded != total) {
            throw new IllegalStateException("responded " + responded + " of " + total);
        }
        System.out.printf(Locale.ROOT, "responder handshakes: %,10.0f /s wall, %,10.0f /s of thread CPU time (best of %d runs of %d)%n",
                perRun / best, perRun / bestCpu, runs, perRun);

        // 1b. the same initiations on a fresh interface whose handshake crypto runs on the driver's workers
        // (one per CPU, as wgdiag peer runs them); CPU time is the whole process's (main + workers + JVM).
        int threads = Runtime.getRuntime().availableProcessors();
        java.lang.management.OperatingSystemMXBean os0 = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean) os0;
        WgInterface parallel = new WgInterface(new InterfaceSpec(serverKey, specs), new SplittableRandom(1));
        parallel.offloadHandshakes(true);
        Thread main = Thread.currentThread();
        double bestPar = Double.MAX_VALUE;
        double bestParCpu = Double.MAX_VALUE;
        long parResponded = 0;
        now = T0 + 10_000 * MS;
        try (HandshakeWorkers workers = new HandshakeWorkers(threads, () -> java.util.concurrent.locks.LockSupport.unpark(main))) {
            for (int r = 0; r < runs; r++) {
                long c = os.getProcessCpuTime();
                long t = System.nanoTime();
                int next = r * perRun;
                int end = (r + 1) * perRun;
                int applied = 0;
                while (applied < perRun) {
                    boolean fed = false;
                    while (next < end && workers.pending() < 256) {
                        fed = true;
                        now += MS;
                        for (Action a : parallel.onDatagram(inits[next], 0, inits[next].length, sources[next % peers], now)) {
                            if (a instanceof Action.Compute w && !workers.submit(w.work(), null)) {
                                throw new IllegalStateException("handshake queue full");
                            }
                        }
                        next++;
                    }
                    HandshakeWorkers.Done d;
                    boolean any = false;
                    while ((d = workers.poll()) != null) {
                        any = true;
                        applied++;
                        for (Action a : parallel.onWorkDone(d.work(), now)) {
                            if (a instanceof Action.SendDatagram sd && sd.bytes().length == 92) {
                                parResponded++;
                            }
                        }
                    }
                    if (!any && !fed) {
                        java.util.concurrent.locks.LockSupport.parkNanos(200_000); // woken by the next finished work
                    }
                }
                bestPar = Math.min(bestPar, (System.nanoTime() - t) / 1e9);
                bestParCpu = Math.min(bestParCpu, (os.getProcessCpuTime() - c) / 1e9);
            }
        }
        if (parResponded != total) {
            throw new IllegalStateException("responded " + parResponded + " of " + total + " with workers");
        }
        System.out.printf(Locale.ROOT, "responder handshakes: %,10.0f /s wall, %,10.0f /s of process CPU time with %d handshake workers "
                + "(best of %d runs of %d)%n", perRun / bestPar, perRun / bestParCpu, threads, runs, perRun);

        // Reference: one X25519 scalar multiplication (BouncyCastle), the unit a handshake is made of
        // (a responder does 3 with the static-static DH precomputed, plus 1 fixed-base for its ephemeral).
        byte[] scalar = serverKey.toBytes();
        byte[] point = clients.get(0).publicKey().toBytes();
        byte[] shared = new byte[32];
        double bestDh = Double.MAX_VALUE;
        for (int r = 0; r < runs; r++) {
            long c = mx.getCurrentThreadCpuTime();
            for (int i = 0; i < 2000; i++) {
                org.bouncycastle.math.ec.rfc7748.X25519.scalarMult(scalar, 0, point, 0, shared, 0);
            }
            bestDh = Math.min(bestDh, (mx.getCurrentThreadCpuTime() - c) / 1e9 / 2000);
        }
        System.out.printf(Locale.ROOT, "X25519 reference:     %,10.1f us of thread CPU time per scalar multiplication; "
                + "a responder handshake costs %.1f of them%n", bestDh * 1e6, bestCpu / perRun / bestDh);

        // 2. cookie replies under an initiation flood
        SplittableRandom rnd = new SplittableRandom(5);
        int flood = 65_536;
        byte[][] forged = new byte[flood][];
        InetSocketAddress[] floodSources = new InetSocketAddress[flood];
        for (int i = 0; i < flood; i++) {
            byte[] m = new byte[148];
            rnd.nextBytes(m);
            m[0] = 1;
            m[1] = 0;
            m[2] = 0;
            m[3] = 0;
            java.util.Arrays.fill(m, 132, 148, (byte) 0);
            Mac1.write(m, 0, 148, serverKey.publicKey());
            forged[i] = m;
            floodSources[i] = new InetSocketAddress(InetAddress.getByAddress(new byte[] {(byte) 203, 0, (byte) (i >> 8), (byte) i}), 1024 + (i & 0xfff));
        }
        WgInterface target = new WgInterface(new InterfaceSpec(serverKey, specs), new SplittableRandom(2));
        long fnow = T0;
        for (int i = 0; i < 200; i++) { // get under load (the first 127 cost a DH each)
            target.onDatagram(forged[i], 0, 148, floodSources[i], fnow);
        }
        best = Double.MAX_VALUE;
        bestCpu = Double.MAX_VALUE;
        long replies = 0;
        for (int r = 0; r < runs; r++) {
            long c = mx.getCurrentThreadCpuTime();
            long t = System.nanoTime();
            for (int i = 0; i < flood; i++) {
                for (Action a : target.onDatagram(forged[i], 0, 148, floodSources[i], fnow)) {
                    if (a instanceof Action.SendDatagram d && d.bytes().length == 64) {
                        replies++;
                    }
                }
            }
            best = Math.min(best, (System.nanoTime() - t) / 1e9);
            bestCpu = Math.min(bestCpu, (mx.getCurrentThreadCpuTime() - c) / 1e9);
        }
        if (replies != (long) flood * runs) {
            throw new IllegalStateException("cookie replies " + replies + " of " + (long) flood * runs);
        }
        System.out.printf(Locale.ROOT, "cookie replies:       %,10.0f /s wall, %,10.0f /s of thread CPU time (best of %d runs of %d)%n",
                flood / best, flood / bestCpu, runs, flood);

        // 3. transport echo round trips and allocation per packet
        PrivateKey aKey = PrivateKey.generate(sr);
        PrivateKey bKey = PrivateKey.generate(sr);
        InetSocketAddress aAddr = new InetSocketAddress(InetAddress.getByName("192.0.2.10"), 40000);
        InetSocketAddress bAddr = new InetSocketAddress(InetAddress.getByName("198.51.100.1"), 51820);
        WgInterface a = new WgInterface(new InterfaceSpec(aKey, List.of(new PeerSpec("b", bKey.publicKey(), PresharedKey.NONE,
                bAddr, List.of(IpPrefix.parse("10.0.0.1/32")), 0))), new SplittableRandom(3));
        WgInterface b = new WgInterface(new InterfaceSpec(bKey, List.of(new PeerSpec("a", aKey.publicKey(), PresharedKey.NONE,
                null, List.of(IpPrefix.parse("10.0.0.2/32")), 0))), new SplittableRandom(4));
        byte[] ping = ping("10.0.0.2", "10.0.0.1");
        byte[] pong = ping("10.0.0.1", "10.0.0.2");
        long tnow = T0;
        echo(a, b, aAddr, bAddr, ping, pong, tnow, bKey.publicKey()); // handshake
        int echoes = 200_000;
        best = Double.MAX_VALUE;
        bestCpu = Double.MAX_VALUE;
        long bestAlloc = Long.MAX_VALUE;
        for (int r = 0; r < runs; r++) {
            long b0 = mx.getThreadAllocatedBytes(self);
            long c = mx.getCurrentThreadCpuTime();
            long t = System.nanoTime();
            for (int i = 0; i < echoes; i++) {
                tnow += 1000; // 1 us of virtual time per echo: the session stays young
                if (!echo(a, b, aAddr, bAddr, ping, pong, tnow, bKey.publicKey())) {
                    throw new IllegalStateException("echo lost");
                }
            }
            best = Math.min(best, (System.nanoTime() - t) / 1e9);
            bestCpu = Math.min(bestCpu, (mx.getCurrentThreadCpuTime() - c) / 1e9);
            bestAlloc = Math.min(bestAlloc, mx.getThreadAllocatedBytes(self) - b0);
        }
        System.out.printf(Locale.ROOT, "transport echo:       %,10.0f round trips/s wall, %,10.0f /s of thread CPU time (best of %d runs of %d; "
                + "2 seal + 2 open per trip)%n", echoes / best, echoes / bestCpu, runs, echoes);
        System.out.printf(Locale.ROOT, "allocation:           %,10.1f bytes per transport packet (sent and received; "
                + "the datagram and the delivered packet are %d + %d bytes of it)%n",
                bestAlloc / (2.0 * echoes), 32 + 96, ping.length);
    }

    /** a sends ping to b; b's delivered packet triggers pong back; true when a got the pong. */
    private static boolean echo(WgInterface a, WgInterface b, InetSocketAddress aAddr, InetSocketAddress bAddr,
            byte[] ping, byte[] pong, long now, dev.wgdiag.crypto.PublicKey fromB) {
        List<Action> pending = a.send(ping, now);
        boolean back = false;
        while (!pending.isEmpty()) {
            List<Action> next = new ArrayList<>(2);
            for (Action act : pending) {
                if (act instanceof Action.SendDatagram d) {
                    boolean toB = d.to().equals(bAddr);
                    WgInterface dst = toB ? b : a;
                    next.addAll(dst.onDatagram(d.bytes(), 0, d.bytes().length, toB ? aAddr : bAddr, now));
                } else if (act instanceof Action.DeliverInner d) {
                    if (d.peer().equals(fromB)) {
                        back = true;
                    } else {
                        next.addAll(b.send(pong, now));
                    }
                }
            }
            pending = next;
        }
        return back;
    }

    private static byte[] ping(String src, String dst) throws Exception {
        byte[] p = new byte[84];
        p[0] = 0x45;
        p[3] = 84;
        p[8] = 64;
        p[9] = 1;
        System.arraycopy(InetAddress.getByName(src).getAddress(), 0, p, 12, 4);
        System.arraycopy(InetAddress.getByName(dst).getAddress(), 0, p, 16, 4);
        p[20] = 8;
        return p;
    }
}
