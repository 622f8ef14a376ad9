package dev.wgdiag.crypto;

/** A handshake message was rejected; the reason names what failed, never a key. */
public final class HandshakeException extends Exception {
    private static final long serialVersionUID = 1L;

    public HandshakeException(String reason) {
        super(reason);
    }
}
