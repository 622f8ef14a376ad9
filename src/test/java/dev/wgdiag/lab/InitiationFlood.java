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
 * whose mac1 is valid for its public key (from a throwaway static key it does not know), as fast as
 * one socket sends, to put it "under load" (wireguard-go: 128 queued handshakes). Prints the rate.
 *
 * <pre>java -cp CLASSPATH dev.wgdiag.lab.InitiationFlood HOST:PORT RESPONDER_PUBLIC_KEY SECONDS</pre>
 */
public final class InitiationFlood {
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
            while (System.nanoTime() - start < nanos) {
                for (int i = 0; i < 256; i++) {
                    buf.clear();
                    try {
                        ch.write(buf);
                        sent++;
                    } catch (java.io.IOException e) {
                        // ECONNREFUSED from an earlier ICMP error: keep going
                    }
                }
            }
            System.out.printf("sent %d initiations in %.1f s (%.0f/s)%n", sent, (System.nanoTime() - start) / 1e9,
                    sent / ((System.nanoTime() - start) / 1e9));
        }
    }
}
