package dev.wgdiag.crypto;

/**
 * One direction of a session: ChaCha20-Poly1305 under a transport key, nonce = the message counter,
 * no associated data (whitepaper section 5.4.6). Replay checks belong to the caller.
 */
public final class TransportCipher {
    private static final byte[] NO_AD = new byte[0];
    private final byte[] key;

    public TransportCipher(byte[] key) {
        if (key.length != Key.LENGTH) {
            throw new IllegalArgumentException("a transport key has 32 bytes");
        }
        this.key = key.clone();
    }

    /** Decrypts {@code ciphertext} (packet || tag) sent with {@code counter}; returns the padded inner packet. */
    public byte[] open(long counter, byte[] ciphertext) throws AeadException {
        return ChaChaPoly.open(key, counter, ciphertext, NO_AD);
    }

    /** Decrypts {@code in[off..off+len)} to {@code out[outOff..)}; returns len - 16. */
    public int open(long counter, byte[] in, int off, int len, byte[] out, int outOff) throws AeadException {
        return ChaChaPoly.open(key, counter, in, off, len, NO_AD, out, outOff);
    }

    /** Encrypts {@code in[off..off+len)} (already padded to 16) to {@code out[outOff..)}; returns len + 16. */
    public int seal(long counter, byte[] in, int off, int len, byte[] out, int outOff) {
        return ChaChaPoly.seal(key, counter, in, off, len, NO_AD, out, outOff);
    }

    public byte[] seal(long counter, byte[] plaintext) {
        return ChaChaPoly.seal(key, counter, plaintext, NO_AD);
    }

    /**
     * Opens a whole type-4 transport message (header, counter, ciphertext) at {@code msg[off..off+len)}.
     *
     * <pre>
     *  0      1      4              8                      16
     *  +------+------+--------------+----------------------+---------------------------+
     *  | 0x04 | 0 0 0| receiver LE  | counter LE (8)       | encrypted packet + tag    |
     *  +------+------+--------------+----------------------+---------------------------+
     * </pre>
     */
    public byte[] openMessage(byte[] msg, int off, int len) throws AeadException {
        if (len < Layout.TRANSPORT_HEADER + ChaChaPoly.TAG_LENGTH || msg[off] != Layout.TYPE_TRANSPORT) {
            throw new AeadException("not a transport message");
        }
        long counter = Layout.le64(msg, off + Layout.TRANSPORT_COUNTER);
        byte[] out = new byte[len - Layout.TRANSPORT_HEADER - ChaChaPoly.TAG_LENGTH];
        open(counter, msg, off + Layout.TRANSPORT_HEADER, len - Layout.TRANSPORT_HEADER, out, 0);
        return out;
    }

    /** Builds a type-4 transport message to {@code receiverIndex}, padding the packet to 16 bytes. */
    public byte[] sealMessage(int receiverIndex, long counter, byte[] packet) {
        int padded = (packet.length + 15) & ~15;
        byte[] plain = java.util.Arrays.copyOf(packet, padded);
        byte[] msg = new byte[Layout.TRANSPORT_HEADER + padded + ChaChaPoly.TAG_LENGTH];
        msg[0] = Layout.TYPE_TRANSPORT;
        Layout.putLe32(msg, Layout.TRANSPORT_RECEIVER, receiverIndex);
        for (int i = 0; i < 8; i++) {
            msg[Layout.TRANSPORT_COUNTER + i] = (byte) (counter >>> (8 * i));
        }
        seal(counter, plain, 0, padded, msg, Layout.TRANSPORT_HEADER);
        return msg;
    }

    /** Zeroes the key (wireguard-go drops a keypair; here its key bytes are overwritten too). Later use fails authentication. */
    public void wipe() {
        java.util.Arrays.fill(key, (byte) 0);
    }

    @Override
    public String toString() {
        return "TransportCipher[key hidden]";
    }
}
