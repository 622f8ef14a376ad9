package dev.wgdiag.crypto;

import java.security.SecureRandom;

/** A Curve25519 private key. {@link #toString()} never shows it. */
public final class PrivateKey extends Key {
    private volatile PublicKey publicKey;

    private PrivateKey(byte[] bytes) {
        super(bytes);
    }

    /** Wraps 32 bytes as they are (X25519 clamps when it uses them, RFC 7748 section 5). */
    public static PrivateKey of(byte[] bytes) {
        return new PrivateKey(bytes);
    }

    public static PrivateKey parse(String base64) {
        return new PrivateKey(decodeBase64(base64));
    }

    /** A new random key, clamped as {@code wg genkey} stores it (RFC 7748 section 5 decodeScalar25519). */
    public static PrivateKey generate(SecureRandom random) {
        byte[] b = new byte[LENGTH];
        random.nextBytes(b);
        X25519.clamp(b);
        return new PrivateKey(b);
    }

    /** The matching public key, X25519(this, 9). */
    public PublicKey publicKey() {
        PublicKey p = publicKey;
        if (p == null) {
            p = X25519.publicKey(this);
            publicKey = p;
        }
        return p;
    }

    @Override
    public String toString() {
        return "PrivateKey[hidden]";
    }
}
