package dev.wgdiag.crypto;

import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.modes.ChaCha20Poly1305;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * AEAD_CHACHA20_POLY1305 (RFC 8439) with WireGuard's nonce: 4 zero bytes then the 64-bit counter,
 * little-endian (whitepaper section 5.4, AEAD). XAEAD is XChaCha20-Poly1305
 * (draft-irtf-cfrg-xchacha-03 section 2.3): ChaCha20-Poly1305 under HChaCha20(key, nonce[0..16))
 * with nonce 4 zero bytes || nonce[16..24).
 */
public final class ChaChaPoly {
    /** Poly1305 tag bytes. */
    public static final int TAG_LENGTH = 16;
    /** XChaCha20 nonce bytes. */
    public static final int XNONCE_LENGTH = 24;
    private static final byte[] NO_AD = new byte[0];

    private ChaChaPoly() {
    }

    /** Writes the 12-byte RFC 8439 nonce for a WireGuard counter. */
    static void counterNonce(long counter, byte[] nonce) {
        nonce[0] = 0;
        nonce[1] = 0;
        nonce[2] = 0;
        nonce[3] = 0;
        for (int i = 0; i < 8; i++) {
            nonce[4 + i] = (byte) (counter >>> (8 * i));
        }
    }

    /** Encrypts {@code in[off..off+len)} to {@code out[outOff..outOff+len+16)}; returns len+16. */
    public static int seal(byte[] key, long counter, byte[] in, int off, int len, byte[] ad,
            byte[] out, int outOff) {
        byte[] nonce = new byte[12];
        counterNonce(counter, nonce);
        return sealWithNonce(key, nonce, in, off, len, ad, out, outOff);
    }

    /** Seals with a 12-byte RFC 8439 nonce. */
    public static int sealWithNonce(byte[] key, byte[] nonce, byte[] in, int off, int len, byte[] ad,
            byte[] out, int outOff) {
        ChaCha20Poly1305 c = new ChaCha20Poly1305();
        c.init(true, new AEADParameters(new KeyParameter(key), 128, nonce, ad == null ? NO_AD : ad));
        int n = c.processBytes(in, off, len, out, outOff);
        try {
            n += c.doFinal(out, outOff + n);
        } catch (InvalidCipherTextException e) {
            throw new IllegalStateException(e);
        }
        return n;
    }

    /** Convenience: seal to a new array. */
    public static byte[] seal(byte[] key, long counter, byte[] plaintext, byte[] ad) {
        byte[] out = new byte[plaintext.length + TAG_LENGTH];
        seal(key, counter, plaintext, 0, plaintext.length, ad, out, 0);
        return out;
    }

    /**
     * Decrypts {@code in[off..off+len)} (ciphertext and tag) to {@code out[outOff..)}; returns the
     * plaintext length, len-16.
     */
    public static int open(byte[] key, long counter, byte[] in, int off, int len, byte[] ad,
            byte[] out, int outOff) throws AeadException {
        byte[] nonce = new byte[12];
        counterNonce(counter, nonce);
        return openWithNonce(key, nonce, in, off, len, ad, out, outOff);
    }

    /** Opens with a 12-byte RFC 8439 nonce. */
    public static int openWithNonce(byte[] key, byte[] nonce, byte[] in, int off, int len, byte[] ad,
            byte[] out, int outOff) throws AeadException {
        if (len < TAG_LENGTH) {
            throw new AeadException("ciphertext shorter than the 16-byte tag");
        }
        ChaCha20Poly1305 c = new ChaCha20Poly1305();
        c.init(false, new AEADParameters(new KeyParameter(key), 128, nonce, ad == null ? NO_AD : ad));
        int n = c.processBytes(in, off, len, out, outOff);
        try {
            n += c.doFinal(out, outOff + n);
        } catch (InvalidCipherTextException e) {
            throw new AeadException("authentication tag mismatch");
        }
        return n;
    }

    /** Convenience: open to a new array. */
    public static byte[] open(byte[] key, long counter, byte[] ciphertext, byte[] ad) throws AeadException {
        if (ciphertext.length < TAG_LENGTH) {
            throw new AeadException("ciphertext shorter than the 16-byte tag");
        }
        byte[] out = new byte[ciphertext.length - TAG_LENGTH];
        open(key, counter, ciphertext, 0, ciphertext.length, ad, out, 0);
        return out;
    }

    /** XChaCha20-Poly1305 seal; returns ciphertext || tag. */
    public static byte[] xseal(byte[] key, byte[] nonce24, byte[] plaintext, byte[] ad) {
        byte[] sub = HChaCha20.subkey(key, nonce24);
        byte[] out = new byte[plaintext.length + TAG_LENGTH];
        sealWithNonce(sub, xNonceTail(nonce24, 0), plaintext, 0, plaintext.length, ad, out, 0);
        java.util.Arrays.fill(sub, (byte) 0);
        return out;
    }

    /** XChaCha20-Poly1305 open of {@code in[off..off+len)} with the 24-byte nonce at {@code nonce[nonceOff..)}. */
    public static byte[] xopen(byte[] key, byte[] nonce, int nonceOff, byte[] in, int off, int len, byte[] ad)
            throws AeadException {
        if (len < TAG_LENGTH) {
            throw new AeadException("ciphertext shorter than the 16-byte tag");
        }
        byte[] n24 = new byte[XNONCE_LENGTH];
        System.arraycopy(nonce, nonceOff, n24, 0, XNONCE_LENGTH);
        byte[] sub = HChaCha20.subkey(key, n24);
        byte[] out = new byte[len - TAG_LENGTH];
        try {
            openWithNonce(sub, xNonceTail(n24, 0), in, off, len, ad, out, 0);
        } finally {
            java.util.Arrays.fill(sub, (byte) 0);
        }
        return out;
    }

    private static byte[] xNonceTail(byte[] nonce24, int off) {
        byte[] n = new byte[12];
        System.arraycopy(nonce24, off + 16, n, 4, 8);
        return n;
    }
}
