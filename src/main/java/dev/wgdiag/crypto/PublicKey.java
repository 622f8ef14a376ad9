package dev.wgdiag.crypto;

/** A Curve25519 public key (a peer's identity). Safe to print. */
public final class PublicKey extends Key {
    private PublicKey(byte[] bytes) {
        super(bytes);
    }

    public static PublicKey of(byte[] bytes) {
        return new PublicKey(bytes);
    }

    /** Reads 32 bytes at {@code off}. */
    public static PublicKey of(byte[] buf, int off) {
        byte[] b = new byte[LENGTH];
        System.arraycopy(buf, off, b, 0, LENGTH);
        return new PublicKey(b);
    }

    /** Parses base64 text as {@code wg pubkey} prints it. */
    public static PublicKey parse(String base64) {
        return new PublicKey(decodeBase64(base64));
    }

    /** The first 8 characters of the base64 form, a short name for a peer without one. */
    public String shortForm() {
        return toBase64().substring(0, 8);
    }

    @Override
    public String toString() {
        return toBase64();
    }
}
