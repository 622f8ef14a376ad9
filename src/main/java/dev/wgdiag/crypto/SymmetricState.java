package dev.wgdiag.crypto;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The chaining key C and hash H of Noise_IKpsk2_25519_ChaChaPoly_BLAKE2s (Noise spec section 5.2,
 * whitepaper section 5.4) with the operations WireGuard's handshake is made of. Package-private: the
 * role classes compose these steps, one whitepaper line each.
 */
final class SymmetricState {
    /** Whitepaper section 5.4: Construction. */
    static final byte[] CONSTRUCTION = "Noise_IKpsk2_25519_ChaChaPoly_BLAKE2s".getBytes(StandardCharsets.US_ASCII);
    /** Whitepaper section 5.4: Identifier, WireGuard's Noise prologue. */
    static final byte[] IDENTIFIER = "WireGuard v1 zx2c4 Jason@zx2c4.com".getBytes(StandardCharsets.US_ASCII);

    byte[] ck;
    byte[] h;
    byte[] k;

    /** Ci := Hash(Construction); Hi := Hash(Ci || prologue); Hi := Hash(Hi || Spub_r). */
    SymmetricState(byte[] prologue, byte[] responderStatic, int rsOff) {
        // Ci := Hash(Construction)  (Noise: the 37-byte name is longer than HASHLEN, so h = HASH(name), ck = h)
        ck = Blake2s.hash(CONSTRUCTION);
        // Hi := Hash(Ci || Identifier)  (Noise: MixHash(prologue))
        h = Blake2s.hash(ck, prologue);
        // Hi := Hash(Hi || Spub_r)  (Noise pre-message "<- s")
        mixHash(responderStatic, rsOff, Key.LENGTH);
    }

    SymmetricState(SymmetricState other) {
        ck = other.ck.clone();
        h = other.h.clone();
        k = other.k == null ? null : other.k.clone();
    }

    /** H := Hash(H || data). */
    void mixHash(byte[] data, int off, int len) {
        byte[] part = Arrays.copyOfRange(data, off, off + len);
        h = Blake2s.hash(h, part);
    }

    /** C := KDF1(C, data)  (Noise psk mode: the "e" token also runs MixKey(e.public_key)). */
    void mixChain(byte[] data, int off, int len) {
        byte[] part = Arrays.copyOfRange(data, off, off + len);
        ck = Kdf.kdf1(ck, part);
    }

    /** (C, k) := KDF2(C, dh). */
    void mixKey(byte[] dh) {
        byte[][] t = Kdf.kdf2(ck, dh);
        ck = t[0];
        k = t[1];
    }

    /** (C, tau, k) := KDF3(C, Q); H := Hash(H || tau). */
    void mixPsk(PresharedKey psk) {
        byte[][] t = Kdf.kdf3(ck, psk.bytes);
        ck = t[0];
        mixHash(t[1], 0, Key.LENGTH);
        k = t[2];
    }

    /** out := AEAD(k, 0, in, H); H := Hash(H || out). Returns len + 16. */
    int encryptAndHash(byte[] in, int off, int len, byte[] out, int outOff) {
        int n = ChaChaPoly.seal(k, 0, in, off, len, h, out, outOff);
        mixHash(out, outOff, n);
        return n;
    }

    /** out := AEAD-open(k, 0, in, H); H := Hash(H || in). Returns len - 16. */
    int decryptAndHash(byte[] in, int off, int len, byte[] out, int outOff, String what) throws HandshakeException {
        int n;
        try {
            n = ChaChaPoly.open(k, 0, in, off, len, h, out, outOff);
        } catch (AeadException e) {
            throw new HandshakeException(what + " does not decrypt (" + e.getMessage() + ")");
        }
        mixHash(in, off, len);
        return n;
    }

    /** (T_i->r, T_r->i) := KDF2(C, empty): the initiator's sending key first. */
    byte[][] split() {
        return Kdf.kdf2(ck, new byte[0]);
    }

    static byte[] dh(PrivateKey priv, byte[] pub, int pubOff, String what) throws HandshakeException {
        byte[] out = new byte[Key.LENGTH];
        if (!X25519.sharedSecret(priv, pub, pubOff, out, 0)) {
            throw new HandshakeException(what + ": Diffie-Hellman result is zero (low-order public key)");
        }
        return out;
    }

    void wipe() {
        Arrays.fill(ck, (byte) 0);
        Arrays.fill(h, (byte) 0);
        if (k != null) {
            Arrays.fill(k, (byte) 0);
        }
    }
}
