package dev.wgdiag.crypto;

/** A handshake message was rejected; the reason names what failed, never a key. */
public final class HandshakeException extends Exception {
    private static final long serialVersionUID = 1L;

    private final boolean unknownPeer;

    public HandshakeException(String reason) {
        this(reason, false);
    }

    /** @param unknownPeer the initiation decrypted but named a public key that is not a peer */
    public HandshakeException(String reason, boolean unknownPeer) {
        super(reason);
        this.unknownPeer = unknownPeer;
    }

    /** True when an initiation was refused only because its initiator is not a known peer. */
    public boolean unknownPeer() {
        return unknownPeer;
    }
}
