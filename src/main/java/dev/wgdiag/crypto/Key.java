package dev.wgdiag.crypto;

import java.util.Arrays;
import java.util.Base64;

/**
 * A 32-byte WireGuard key. The three kinds are distinct types so that a secret key cannot be
 * printed by accident: {@link PublicKey#toString()} prints base64, {@link PrivateKey} and
 * {@link PresharedKey} print a placeholder. Equality is constant-time and kind-sensitive.
 *
 * <p>Text form: standard base64 with padding, 44 characters, as {@code wg genkey} prints it
 * (wireguard-tools src/encoding.c: the 44th character must be '=' and the text must be canonical).
 */
public abstract sealed class Key permits PublicKey, PrivateKey, PresharedKey {
    /** Bytes in a Curve25519 key or a preshared key (whitepaper section 5.4: 32-byte keys). */
    public static final int LENGTH = 32;
    /** Characters in the base64 form of a key. */
    public static final int BASE64_LENGTH = 44;

    final byte[] bytes;

    Key(byte[] bytes) {
        if (bytes.length != LENGTH) {
            throw new KeyFormatException("a key has 32 bytes, got " + bytes.length);
        }
        this.bytes = bytes.clone();
    }

    /** Decodes wg's base64 key text; the exception message never quotes the text. */
    static byte[] decodeBase64(String text) {
        if (text == null) {
            throw new KeyFormatException("no key");
        }
        String s = text.strip();
        if (s.length() != BASE64_LENGTH || s.charAt(BASE64_LENGTH - 1) != '=' || s.charAt(BASE64_LENGTH - 2) == '=') {
            throw new KeyFormatException("not a base64 32-byte key");
        }
        byte[] b;
        try {
            b = Base64.getDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            throw new KeyFormatException("not a base64 32-byte key");
        }
        // Reject non-canonical text (stray low bits in the last character), as wg does.
        if (b.length != LENGTH || !Base64.getEncoder().encodeToString(b).equals(s)) {
            throw new KeyFormatException("not a base64 32-byte key");
        }
        return b;
    }

    /** A copy of the 32 key bytes. */
    public final byte[] toBytes() {
        return bytes.clone();
    }

    /** Copies the 32 key bytes to {@code dst[off..off+32)} without allocating. */
    public final void copyTo(byte[] dst, int off) {
        System.arraycopy(bytes, 0, dst, off, LENGTH);
    }

    /** True when {@code buf[off..off+32)} holds this key; constant-time. */
    public final boolean matches(byte[] buf, int off) {
        return ConstantTime.equals(bytes, 0, buf, off, LENGTH);
    }

    /** The base64 text of this key (a secret for private and preshared keys: print only on request). */
    public final String toBase64() {
        return Base64.getEncoder().encodeToString(bytes);
    }

    /** True when all 32 bytes are zero (an absent preshared key, a rejected DH result). */
    public final boolean isZero() {
        return ConstantTime.isZero(bytes, 0, LENGTH);
    }

    @Override
    public final boolean equals(Object o) {
        return o != null && o.getClass() == getClass() && ConstantTime.equals(bytes, ((Key) o).bytes);
    }

    @Override
    public final int hashCode() {
        return Arrays.hashCode(bytes);
    }
}
