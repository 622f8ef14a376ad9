package dev.wgdiag.lab;

import dev.wgdiag.crypto.HandshakeInitiator;
import dev.wgdiag.crypto.PresharedKey;
import dev.wgdiag.crypto.PrivateKey;
import dev.wgdiag.crypto.PublicKey;
import dev.wgdiag.net.Endpoint;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.security.SecureRandom;

/**
 * A test tool run inside a lab namespace: floods a WireGuard responder with handshake initiations
 * whose mac1 is valid for its public key (from a throwaway static key it does not know), to put it
 * "under load". Prints the rate.
 *
 * <p>It sends in bursts, not a steady stream: wireguard-go counts itself under load while its
 * handshake queue holds at least 128 of its 1024 entries and for 1 s after (device.go
 * {@code IsUnderLoad}, {@code UnderLoadAfterTime}), and drops what arrives while the queue is full
 * (receive.go, the non-blocking send to {@code queue.handshake.c}). A burst of {@link #BURST} every
 * {@link #PERIOD_MILLIS} ms fills the queue for a few milliseconds, so the responder stays under load
 * all the time, yet the queue is empty most of the time and a legitimate initiation with mac2 gets
 * through. A steady flood as fast as one socket sends kept the queue full and made the test's own
 * peer's initiations vanish now and then.
 *
 * <pre>java -cp CLASSPATH dev.wgdiag.lab.InitiationFlood HOST:PORT RESPONDER_PUBLIC_KEY SECONDS</pre>
 */
public final class InitiationFlood {
    static final int BURST = 3000;
    static final long PERIOD_MILLIS = 250;

    private InitiationFlood() {
    }

    public static void main(String[] args) throws Exception {
        Endpoint to = Endpoint.parse(args[0]);
        PublicKey responder = PublicKey.parse(args[1]);
        long nanos = (long) (Double.parseDouble(args[2]) * 1e9);
        SecureRandom random = new SecureRandom();
        byte[] initiation = new HandshakeInitiator(PrivateKey.generate(random), responder, PresharedKey.NONE)
                .createInitiation(random.nextInt());
        long sent = 0;
        try (DatagramChannel ch = DatagramChannel.open()) {
            ch.connect(new InetSocketAddress(java.net.InetAddress.getByName(to.address()), to.port()));
            ByteBuffer buf = ByteBuffer.wrap(initiation);
            long start = System.nanoTime();
            long bursts = 0;
            while (System.nanoTime() - start < nanos) {
                long due = start + bursts * PERIOD_MILLIS * 1_000_000L;
                long wait = due - System.nanoTime();
                if (wait > 0) Thread.sleep(wait / 1_000_000L, (int) (wait % 1_000_000L));
                bursts++;
                for (int i = 0; i < BURST; i++) {
                    buf.clear();
                    try {
                        ch.write(buf);
                        sent++;
                    } catch (java.io.IOException e) {
                        // ECONNREFUSED from an earlier ICMP error: keep going
                    }
                }
            }
            System.out.printf(java.util.Locale.ROOT, "sent %d initiations in %d bursts in %.1f s (%.0f/s)%n", sent, bursts, (System.nanoTime() - start) / 1e9,
                    sent / ((System.nanoTime() - start) / 1e9));
        }
    }
}
