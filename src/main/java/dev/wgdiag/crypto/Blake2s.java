package dev.wgdiag.crypto;

import org.bouncycastle.crypto.digests.Blake2sDigest;

/**
 * BLAKE2s (RFC 7693) as WireGuard uses it: HASH = BLAKE2s-256, MAC = keyed BLAKE2s-128,
 * HMAC = HMAC-BLAKE2s (RFC 2104 over BLAKE2s-256, 64-byte block), whitepaper section 5.4.
 */
public final class Blake2s {
    /** BLAKE2s-256 output bytes. */
    public static final int HASH_LENGTH = 32;
    /** Keyed BLAKE2s-128 output bytes (mac1, mac2). */
    public static final int MAC_LENGTH = 16;
    /** BLAKE2s block bytes, the HMAC block size (RFC 7693 section 2.1). */
    static final int BLOCK_LENGTH = 64;

    private Blake2s() {
    }

    /** HASH(parts[0] || parts[1] || ...). */
    public static byte[] hash(byte[]... parts) {
        Blake2sDigest d = new Blake2sDigest(256);
        for (byte[] p : parts) {
            d.update(p, 0, p.length);
        }
        byte[] out = new byte[HASH_LENGTH];
        d.doFinal(out, 0);
        return out;
    }

    /** MAC(key, data[off..off+len)): keyed BLAKE2s with a 16-byte output. */
    public static byte[] mac(byte[] key, byte[] data, int off, int len) {
        Blake2sDigest d = new Blake2sDigest(key, MAC_LENGTH, null, null);
        d.update(data, off, len);
        byte[] out = new byte[MAC_LENGTH];
        d.doFinal(out, 0);
        return out;
    }

    /** HMAC-BLAKE2s(key, parts[0] || parts[1] || ...). */
    public static byte[] hmac(byte[] key, byte[]... parts) {
        byte[] k = new byte[BLOCK_LENGTH];
        if (key.length > BLOCK_LENGTH) {
            System.arraycopy(hash(key), 0, k, 0, HASH_LENGTH);
        } else {
            System.arraycopy(key, 0, k, 0, key.length);
        }
        byte[] pad = new byte[BLOCK_LENGTH];
        for (int i = 0; i < BLOCK_LENGTH; i++) {
            pad[i] = (byte) (k[i] ^ 0x36);
        }
        Blake2sDigest d = new Blake2sDigest(256);
        d.update(pad, 0, BLOCK_LENGTH);
        for (byte[] p : parts) {
            d.update(p, 0, p.length);
        }
        byte[] inner = new byte[HASH_LENGTH];
        d.doFinal(inner, 0);
        for (int i = 0; i < BLOCK_LENGTH; i++) {
            pad[i] = (byte) (k[i] ^ 0x5c);
        }
        d.reset();
        d.update(pad, 0, BLOCK_LENGTH);
        d.update(inner, 0, HASH_LENGTH);
        byte[] out = new byte[HASH_LENGTH];
        d.doFinal(out, 0);
        java.util.Arrays.fill(k, (byte) 0);
        java.util.Arrays.fill(pad, (byte) 0);
        return out;
    }
}
