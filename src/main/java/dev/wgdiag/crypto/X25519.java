package dev.wgdiag.crypto;

/** Curve25519 Diffie-Hellman (RFC 7748) on BouncyCastle's constant-time implementation. */
public final class X25519 {
    private X25519() {
    }

    /** Clamps a scalar in place: RFC 7748 section 5, as wg genkey does (curve25519_clamp_secret). */
    public static void clamp(byte[] k) {
        k[0] &= (byte) 248;
        k[31] &= 127;
        k[31] |= 64;
    }

    public static PublicKey publicKey(PrivateKey priv) {
        byte[] out = new byte[Key.LENGTH];
        org.bouncycastle.math.ec.rfc7748.X25519.scalarMultBase(priv.bytes, 0, out, 0);
        return PublicKey.of(out);
    }

    /**
     * DH(priv, pub) into {@code out[off..off+32)}. Returns false when the result is all zeros
     * (a low-order public key); WireGuard rejects such a handshake (wireguard-go noise-protocol.go).
     */
    public static boolean sharedSecret(PrivateKey priv, byte[] pub, int pubOff, byte[] out, int off) {
        org.bouncycastle.math.ec.rfc7748.X25519.scalarMult(priv.bytes, 0, pub, pubOff, out, off);
        return !ConstantTime.isZero(out, off, Key.LENGTH);
    }

    /** Raw X25519(scalar, u) of RFC 7748 section 5, for test vectors. */
    public static byte[] scalarMult(byte[] scalar, byte[] u) {
        byte[] out = new byte[32];
        org.bouncycastle.math.ec.rfc7748.X25519.scalarMult(scalar, 0, u, 0, out, 0);
        return out;
    }
}
