package dev.wgdiag.crypto;

/** An AEAD open failed: wrong key, wrong nonce/counter, wrong associated data, or tampering. */
public final class AeadException extends Exception {
    private static final long serialVersionUID = 1L;

    public AeadException(String message) {
        super(message);
    }
}
