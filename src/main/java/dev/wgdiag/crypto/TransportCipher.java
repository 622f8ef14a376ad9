package dev.wgdiag.crypto;

import dev.wgdiag.wire.WgMessage;
import dev.wgdiag.wire.Protocol;
import dev.wgdiag.wire.Endian;

import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.modes.ChaCha20Poly1305;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;

/**
 * One direction of a session: ChaCha20-Poly1305 under a transport key, nonce = the message counter,
 * no associated data (whitepaper section 5.4.6). Replay checks belong to the caller. The
 * offset-based {@link #seal(long, byte[], int, int, byte[], int)} and
 * {@link #open(long, byte[], int, int, byte[], int)} reuse one AEAD engine per instance (only the nonce
 * changes per message), so an instance is not thread-safe.
 */
public final class TransportCipher {
    private static final byte[] NO_AD = new byte[0];
    private final byte[] key;
    private final byte[] nonce = new byte[12];
    private ChaCha20Poly1305 sealer;
    private ChaCha20Poly1305 opener;

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
        if (len < ChaChaPoly.TAG_LENGTH) {
            throw new AeadException("ciphertext shorter than the 16-byte tag");
        }
        ChaChaPoly.counterNonce(counter, nonce);
        if (opener == null) {
            opener = new ChaCha20Poly1305();
            opener.init(false, new ParametersWithIV(new KeyParameter(key), nonce));
        } else {
            opener.init(false, new ParametersWithIV(null, nonce)); // same key, next nonce
        }
        int n = opener.processBytes(in, off, len, out, outOff);
        try {
            return n + opener.doFinal(out, outOff + n);
        } catch (InvalidCipherTextException e) {
            throw new AeadException("authentication tag mismatch");
        }
    }

    /** Encrypts {@code in[off..off+len)} (already padded to 16) to {@code out[outOff..)}; returns len + 16. */
    public int seal(long counter, byte[] in, int off, int len, byte[] out, int outOff) {
        ChaChaPoly.counterNonce(counter, nonce);
        try {
            if (sealer == null) {
                sealer = new ChaCha20Poly1305();
                sealer.init(true, new ParametersWithIV(new KeyParameter(key), nonce));
            } else {
                sealer.init(true, new ParametersWithIV(null, nonce)); // same key, next nonce
            }
        } catch (IllegalArgumentException sameNonceAsLastTime) {
            // BouncyCastle refuses to seal twice in a row under one nonce; a caller resending a counter gets a fresh engine.
            return ChaChaPoly.seal(key, counter, in, off, len, NO_AD, out, outOff);
        }
        int n = sealer.processBytes(in, off, len, out, outOff);
        try {
            return n + sealer.doFinal(out, outOff + n);
        } catch (InvalidCipherTextException e) {
            throw new IllegalStateException(e);
        }
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
        if (len < Protocol.MESSAGE_TRANSPORT_HEADER_SIZE + ChaChaPoly.TAG_LENGTH || msg[off] != Protocol.MESSAGE_TRANSPORT_TYPE) {
            throw new AeadException("not a transport message");
        }
        long counter = Endian.le64(msg, off + WgMessage.TRANSPORT_COUNTER_OFFSET);
        byte[] out = new byte[len - Protocol.MESSAGE_TRANSPORT_HEADER_SIZE - ChaChaPoly.TAG_LENGTH];
        open(counter, msg, off + Protocol.MESSAGE_TRANSPORT_HEADER_SIZE, len - Protocol.MESSAGE_TRANSPORT_HEADER_SIZE, out, 0);
        return out;
    }

    /** Builds a type-4 transport message to {@code receiverIndex}, padding the packet to 16 bytes. */
    public byte[] sealMessage(int receiverIndex, long counter, byte[] packet) {
        int padded = (packet.length + 15) & ~15;
        byte[] plain = java.util.Arrays.copyOf(packet, padded);
        byte[] msg = new byte[Protocol.MESSAGE_TRANSPORT_HEADER_SIZE + padded + ChaChaPoly.TAG_LENGTH];
        msg[0] = Protocol.MESSAGE_TRANSPORT_TYPE;
        Endian.putLe32(msg, WgMessage.TRANSPORT_RECEIVER_OFFSET, receiverIndex);
        for (int i = 0; i < 8; i++) {
            msg[WgMessage.TRANSPORT_COUNTER_OFFSET + i] = (byte) (counter >>> (8 * i));
        }
        seal(counter, plain, 0, padded, msg, Protocol.MESSAGE_TRANSPORT_HEADER_SIZE);
        return msg;
    }

    /** Zeroes the key (wireguard-go drops a keypair; here its key bytes are overwritten too). Later use fails authentication. */
    public void wipe() {
        java.util.Arrays.fill(key, (byte) 0);
        // Overwrite the engines' copies of the key too.
        ChaChaPoly.counterNonce(-1, nonce);
        if (sealer != null) {
            sealer.init(false, new ParametersWithIV(new KeyParameter(key), nonce));
            sealer = null;
        }
        if (opener != null) {
            opener.init(false, new ParametersWithIV(new KeyParameter(key), nonce));
            opener = null;
        }
    }

    @Override
    public String toString() {
        return "TransportCipher[key hidden]";
    }
}
