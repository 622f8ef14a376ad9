package dev.wgdiag.crypto;

import dev.wgdiag.wire.Endian;

/**
 * HChaCha20 (draft-irtf-cfrg-xchacha-03 section 2.2): the ChaCha20 block function's 20 rounds over
 * (constants, key, 16-byte nonce) without the final addition; the subkey is state words 0..3 and
 * 12..15, little-endian.
 */
public final class HChaCha20 {
    private HChaCha20() {
    }

    /** Subkey from a 32-byte key and the first 16 bytes of {@code nonce}. */
    public static byte[] subkey(byte[] key, byte[] nonce) {
        int[] s = new int[16];
        // "expand 32-byte k" (RFC 8439 section 2.3)
        s[0] = 0x61707865;
        s[1] = 0x3320646e;
        s[2] = 0x79622d32;
        s[3] = 0x6b206574;
        for (int i = 0; i < 8; i++) {
            s[4 + i] = Endian.le32(key, 4 * i);
        }
        for (int i = 0; i < 4; i++) {
            s[12 + i] = Endian.le32(nonce, 4 * i);
        }
        for (int round = 0; round < 10; round++) {
            quarter(s, 0, 4, 8, 12);
            quarter(s, 1, 5, 9, 13);
            quarter(s, 2, 6, 10, 14);
            quarter(s, 3, 7, 11, 15);
            quarter(s, 0, 5, 10, 15);
            quarter(s, 1, 6, 11, 12);
            quarter(s, 2, 7, 8, 13);
            quarter(s, 3, 4, 9, 14);
        }
        byte[] out = new byte[32];
        for (int i = 0; i < 4; i++) {
            Endian.putLe32(out, 4 * i, s[i]);
            Endian.putLe32(out, 16 + 4 * i, s[12 + i]);
        }
        java.util.Arrays.fill(s, 0);
        return out;
    }

    private static void quarter(int[] s, int a, int b, int c, int d) {
        s[a] += s[b];
        s[d] = Integer.rotateLeft(s[d] ^ s[a], 16);
        s[c] += s[d];
        s[b] = Integer.rotateLeft(s[b] ^ s[c], 12);
        s[a] += s[b];
        s[d] = Integer.rotateLeft(s[d] ^ s[a], 8);
        s[c] += s[d];
        s[b] = Integer.rotateLeft(s[b] ^ s[c], 7);
    }
}
