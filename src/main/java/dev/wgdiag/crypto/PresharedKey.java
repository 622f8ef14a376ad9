package dev.wgdiag.crypto;

import java.security.SecureRandom;

/** A 32-byte symmetric preshared key; all zeros when a peer has none (whitepaper section 5.4). */
public final class PresharedKey extends Key {
    /** The value WireGuard mixes in when no preshared key is configured. */
    public static final PresharedKey NONE = new PresharedKey(new byte[LENGTH]);

    private PresharedKey(byte[] bytes) {
        super(bytes);
    }

    public static PresharedKey of(byte[] bytes) {
        return new PresharedKey(bytes);
    }

    public static PresharedKey parse(String base64) {
        return new PresharedKey(decodeBase64(base64));
    }

    /** 32 random bytes, as {@code wg genpsk} makes them. */
    public static PresharedKey generate(SecureRandom random) {
        byte[] b = new byte[LENGTH];
        random.nextBytes(b);
        return new PresharedKey(b);
    }

    @Override
    public String toString() {
        return isZero() ? "PresharedKey[none]" : "PresharedKey[hidden]";
    }
}
