package dev.wgdiag.crypto;

import java.nio.charset.StandardCharsets;
import org.bouncycastle.crypto.digests.Blake2sDigest;

/**
 * mac1 of handshake messages (whitepaper section 5.4.4): mac1 = MAC(HASH(LABEL_MAC1 || Spub_m'),
 * msg[0 : len-32]) where m' is the receiver. An initiation's mac1 names its responder, a response's
 * names its initiator, so a passive observer holding only public keys can attribute handshakes.
 * Like Wireshark's dissector (packet-wireguard.c), verification treats reserved bytes 1..3 as zero.
 */
public final class Mac1 {
    /** Whitepaper section 5.4: LABEL_MAC1. */
    static final byte[] LABEL_MAC1 = "mac1----".getBytes(StandardCharsets.US_ASCII);
    /** mac1 and mac2 take the last 32 bytes of a handshake message. */
    static final int MACS_LENGTH = 2 * Blake2s.MAC_LENGTH;
    private static final byte[] ZERO3 = new byte[3];

    private Mac1() {
    }

    /** HASH(LABEL_MAC1 || receiverStatic). */
    public static byte[] key(PublicKey receiverStatic) {
        return Blake2s.hash(LABEL_MAC1, receiverStatic.bytes);
    }

    /** True when the message's mac1 was made for {@code candidate} (its receiver). Allocates; see {@link Verifier}. */
    public static boolean verify(byte[] msg, int off, int len, PublicKey candidate) {
        return new Verifier(candidate).verify(msg, off, len);
    }

    /** Computes mac1 for {@code receiver} and writes it at {@code off + len - 32}; mac2 is left as is. */
    public static void write(byte[] msg, int off, int len, PublicKey receiver) {
        byte[] mac = Blake2s.mac(key(receiver), msg, off, len - MACS_LENGTH);
        System.arraycopy(mac, 0, msg, off + len - MACS_LENGTH, Blake2s.MAC_LENGTH);
    }

    /** The mac1 bytes of a handshake message (the AD of a cookie reply it triggers). */
    public static byte[] of(byte[] msg, int off, int len) {
        int at = off + len - MACS_LENGTH;
        return java.util.Arrays.copyOfRange(msg, at, at + Blake2s.MAC_LENGTH);
    }

    /**
     * Checks mac1 for one candidate receiver without allocating per message: one per known public
     * key on the analyzer's hot path. Not thread-safe.
     */
    public static final class Verifier {
        private final PublicKey candidate;
        private final Blake2sDigest digest;
        private final byte[] scratch = new byte[Blake2s.MAC_LENGTH];

        public Verifier(PublicKey candidate) {
            this.candidate = candidate;
            this.digest = new Blake2sDigest(key(candidate), Blake2s.MAC_LENGTH, null, null);
        }

        public PublicKey candidate() {
            return candidate;
        }

        /** True when {@code msg[off..off+len)} (an initiation or response) carries a mac1 for the candidate. */
        public boolean verify(byte[] msg, int off, int len) {
            if (len < MACS_LENGTH + 4) {
                return false;
            }
            int macAt = off + len - MACS_LENGTH;
            // Reserved bytes as zero (Wireshark packet-wireguard.c), as every WireGuard sender writes them.
            digest.reset();
            digest.update(msg[off]);
            digest.update(ZERO3, 0, 3);
            digest.update(msg, off + 4, len - MACS_LENGTH - 4);
            digest.doFinal(scratch, 0);
            if (ConstantTime.equals(scratch, 0, msg, macAt, Blake2s.MAC_LENGTH)) {
                return true;
            }
            if (msg[off + 1] == 0 && msg[off + 2] == 0 && msg[off + 3] == 0) {
                return false;
            }
            // Reserved bytes as sent, for a sender that put something there before computing mac1.
            digest.reset();
            digest.update(msg, off, len - MACS_LENGTH);
            digest.doFinal(scratch, 0);
            return ConstantTime.equals(scratch, 0, msg, macAt, Blake2s.MAC_LENGTH);
        }
    }
}
