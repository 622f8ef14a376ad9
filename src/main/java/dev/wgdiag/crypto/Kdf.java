package dev.wgdiag.crypto;

/**
 * The whitepaper's KDFn (section 5.4, HKDF of RFC 5869 with HMAC-BLAKE2s):
 * tau0 = HMAC(key, input); tau1 = HMAC(tau0, 0x1); taui = HMAC(tau0, tau(i-1) || i).
 */
public final class Kdf {
    private static final byte[] EMPTY = new byte[0];

    private Kdf() {
    }

    /** KDF1(key, input) = tau1. */
    public static byte[] kdf1(byte[] key, byte[] input) {
        return kdf(1, key, input)[0];
    }

    /** KDF2(key, input) = (tau1, tau2). */
    public static byte[][] kdf2(byte[] key, byte[] input) {
        return kdf(2, key, input);
    }

    /** KDF3(key, input) = (tau1, tau2, tau3). */
    public static byte[][] kdf3(byte[] key, byte[] input) {
        return kdf(3, key, input);
    }

    private static byte[][] kdf(int n, byte[] key, byte[] input) {
        byte[] prk = Blake2s.hmac(key, input == null ? EMPTY : input);
        byte[][] out = new byte[n][];
        byte[] prev = EMPTY;
        for (int i = 0; i < n; i++) {
            prev = Blake2s.hmac(prk, prev, new byte[] {(byte) (i + 1)});
            out[i] = prev;
        }
        java.util.Arrays.fill(prk, (byte) 0);
        return out;
    }
}
