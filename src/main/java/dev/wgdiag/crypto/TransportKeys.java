package dev.wgdiag.crypto;

/**
 * The outcome of a handshake for one side: its sending and receiving ciphers and the two session
 * indices (whitepaper section 5.4.5: T_send, T_recv; I_m, I_m'). {@link #toString()} hides the keys.
 */
public final class TransportKeys {
    private final TransportCipher sending;
    private final TransportCipher receiving;
    private final int localIndex;
    private final int remoteIndex;
    private final boolean initiator;
    private final PublicKey remoteStatic;

    TransportKeys(byte[] sendKey, byte[] receiveKey, int localIndex, int remoteIndex, boolean initiator,
            PublicKey remoteStatic) {
        this.sending = new TransportCipher(sendKey);
        this.receiving = new TransportCipher(receiveKey);
        this.localIndex = localIndex;
        this.remoteIndex = remoteIndex;
        this.initiator = initiator;
        this.remoteStatic = remoteStatic;
        java.util.Arrays.fill(sendKey, (byte) 0);
        java.util.Arrays.fill(receiveKey, (byte) 0);
    }

    public TransportCipher sending() {
        return sending;
    }

    public TransportCipher receiving() {
        return receiving;
    }

    /** The index this side chose; incoming transport messages carry it as receiver. */
    public int localIndex() {
        return localIndex;
    }

    /** The index the other side chose; outgoing transport messages carry it as receiver. */
    public int remoteIndex() {
        return remoteIndex;
    }

    public boolean isInitiator() {
        return initiator;
    }

    public PublicKey remoteStatic() {
        return remoteStatic;
    }

    @Override
    public String toString() {
        return "TransportKeys[" + (initiator ? "initiator" : "responder") + ", local=" + Integer.toUnsignedString(localIndex)
                + ", remote=" + Integer.toUnsignedString(remoteIndex) + ", peer=" + remoteStatic.shortForm() + ", keys hidden]";
    }
}
