package dev.wgdiag.peer;

import dev.wgdiag.crypto.Blake2s;
import dev.wgdiag.crypto.ConstantTime;
import dev.wgdiag.crypto.CookieReply;
import dev.wgdiag.crypto.Mac1;
import dev.wgdiag.crypto.PublicKey;
import dev.wgdiag.wire.Protocol;
import java.net.InetSocketAddress;
import java.util.random.RandomGenerator;
import org.bouncycastle.crypto.digests.Blake2sDigest;

/**
 * The responder's side of cookies (whitepaper 5.4.4 and 5.4.7, wireguard-go {@code device/cookie.go}
 * CookieChecker): checks mac1 of incoming handshake messages against our own public key, checks mac2
 * against the cookie of the message's source, and makes cookie replies. The cookie of a source is
 * MAC(R_m, source IP bytes || source port little-endian), R_m being a random secret renewed every
 * COOKIE_REFRESH_TIME; before the first renewal and once the secret is older than that, no mac2 is valid.
 * Not thread-safe.
 */
final class CookieChecker {
    private final PublicKey self;
    private final Blake2sDigest mac1;
    private final byte[] scratch = new byte[Blake2s.MAC_LENGTH];
    private final byte[] secret = new byte[Blake2s.HASH_LENGTH];
    private final byte[] source = new byte[18];
    private final RandomGenerator random;
    private boolean secretSet;
    private long secretSetAt;

    CookieChecker(PublicKey self, RandomGenerator random) {
        this.self = self;
        this.mac1 = new Blake2sDigest(Mac1.key(self), Blake2s.MAC_LENGTH, null, null);
        this.random = random;
    }

    /** mac1 = MAC(HASH(LABEL_MAC1 || Spub_self), msg[0 : len-32]) over the message as received (cookie.go CheckMAC1). */
    boolean checkMac1(byte[] msg, int off, int len) {
        int smac1 = len - 2 * Blake2s.MAC_LENGTH;
        mac1.reset();
        mac1.update(msg, off, smac1);
        mac1.doFinal(scratch, 0);
        return ConstantTime.equals(scratch, 0, msg, off + smac1, Blake2s.MAC_LENGTH);
    }

    /** mac2 = MAC(cookie(source), msg[0 : len-16]) with a secret younger than COOKIE_REFRESH_TIME (cookie.go CheckMAC2). */
    boolean checkMac2(byte[] msg, int off, int len, InetSocketAddress from, long now) {
        if (!secretSet || now - secretSetAt > Protocol.COOKIE_REFRESH_TIME) {
            return false;
        }
        byte[] cookie = cookie(from);
        int smac2 = len - Blake2s.MAC_LENGTH;
        byte[] mac2 = Blake2s.mac(cookie, msg, off, smac2);
        return ConstantTime.equals(mac2, 0, msg, off + smac2, Blake2s.MAC_LENGTH);
    }

    /**
     * A 64-byte cookie reply to the handshake message {@code msg} from {@code from}, addressed to the
     * message's sender index (cookie.go CreateReply); renews the secret first when it is stale.
     */
    byte[] createReply(byte[] msg, int off, int len, int receiverIndex, InetSocketAddress from, long now) {
        if (!secretSet || now - secretSetAt > Protocol.COOKIE_REFRESH_TIME) {
            random.nextBytes(secret);
            secretSet = true;
            secretSetAt = now;
        }
        byte[] cookie = cookie(from);
        int smac1 = off + len - 2 * Blake2s.MAC_LENGTH;
        byte[] triggerMac1 = java.util.Arrays.copyOfRange(msg, smac1, smac1 + Blake2s.MAC_LENGTH);
        byte[] nonce = new byte[24];
        random.nextBytes(nonce);
        return CookieReply.create(receiverIndex, cookie, self, triggerMac1, nonce);
    }

    /** MAC(secret, IP || port LE): the bytes of wireguard-go's StdNetEndpoint.DstToBytes (netip.AddrPort.MarshalBinary). */
    private byte[] cookie(InetSocketAddress from) {
        byte[] ip = from.getAddress().getAddress();
        System.arraycopy(ip, 0, source, 0, ip.length);
        source[ip.length] = (byte) from.getPort();
        source[ip.length + 1] = (byte) (from.getPort() >>> 8);
        return Blake2s.mac(secret, source, 0, ip.length + 2);
    }
}
