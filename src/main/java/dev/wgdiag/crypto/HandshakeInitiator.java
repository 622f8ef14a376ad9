package dev.wgdiag.crypto;

import dev.wgdiag.wire.WgMessage;
import dev.wgdiag.wire.Protocol;
import dev.wgdiag.wire.Endian;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.function.Supplier;

/**
 * WireGuard's initiator (whitepaper section 5.4.2): builds a 148-byte handshake initiation and turns
 * the matching 92-byte response into transport keys. One instance per peer; each
 * {@link #createInitiation} starts a new handshake and forgets the previous one. Not thread-safe.
 *
 * <pre>
 * initiation:  0 type=1 | 1 reserved(3) | 4 sender LE | 8 ephemeral(32) | 40 static(32+16)
 *              | 88 timestamp(12+16) | 116 mac1(16) | 132 mac2(16)          = 148
 * response:    0 type=2 | 1 reserved(3) | 4 sender LE | 8 receiver LE | 12 ephemeral(32)
 *              | 44 empty(0+16) | 60 mac1(16) | 76 mac2(16)                  = 92
 * </pre>
 */
public final class HandshakeInitiator {
    private final PrivateKey localStatic;
    private final PublicKey remoteStatic;
    private final PresharedKey psk;
    private final Supplier<PrivateKey> ephemerals;
    private final Supplier<Tai64n> timestamps;
    private final Mac1.Verifier responseMac1;
    private NoiseIKpsk2.Initiator noise;
    /** DH(Spriv_i, Spub_r), computed at the first initiation (wireguard-go precomputedStaticStatic). */
    private byte[] staticStatic;
    private int senderIndex;

    /**
     * @param ephemerals a fresh ephemeral private key per handshake
     * @param timestamps the TAI64N timestamp to send, greater than any sent before to this peer
     */
    public HandshakeInitiator(PrivateKey localStatic, PublicKey remoteStatic, PresharedKey psk,
            Supplier<PrivateKey> ephemerals, Supplier<Tai64n> timestamps) {
        this.localStatic = localStatic;
        this.remoteStatic = remoteStatic;
        this.psk = psk == null ? PresharedKey.NONE : psk;
        this.ephemerals = ephemerals;
        this.timestamps = timestamps;
        this.responseMac1 = new Mac1.Verifier(localStatic.publicKey());
    }

    /** With random ephemerals and the system clock (timestamps rounded down to 2^24 ns as wireguard-go does). */
    public HandshakeInitiator(PrivateKey localStatic, PublicKey remoteStatic, PresharedKey psk) {
        this(localStatic, remoteStatic, psk, randomEphemerals(), () -> Tai64n.now(Clock.systemUTC()));
    }

    /** DH(priv, pub), or null for a low-order result (the handshake then fails where it is used, with its reason). */
    static byte[] staticStatic(PrivateKey priv, PublicKey pub) {
        byte[] out = new byte[Key.LENGTH];
        return X25519.sharedSecret(priv, pub.bytes, 0, out, 0) ? out : null;
    }

    static Supplier<PrivateKey> randomEphemerals() {
        SecureRandom random = new SecureRandom();
        return () -> PrivateKey.generate(random);
    }

    public byte[] createInitiation(int senderIndex) throws HandshakeException {
        return createInitiation(senderIndex, null);
    }

    /** A new initiation with mac1 for the responder and mac2 from {@code cookie} (null: zero mac2). */
    public byte[] createInitiation(int senderIndex, byte[] cookie) throws HandshakeException {
        byte[] msg = new byte[Protocol.MESSAGE_INITIATION_SIZE];
        // msg.message_type := 1; msg.reserved_zero := { 0, 0, 0 }
        msg[0] = Protocol.MESSAGE_INITIATION_TYPE;
        // msg.sender_index := little_endian(I_i)
        Endian.putLe32(msg, WgMessage.INITIATION_SENDER_OFFSET, senderIndex);
        if (staticStatic == null) {
            staticStatic = staticStatic(localStatic, remoteStatic);
        }
        noise = new NoiseIKpsk2.Initiator(SymmetricState.IDENTIFIER, localStatic, remoteStatic, psk, staticStatic);
        this.senderIndex = senderIndex;
        byte[] ts = timestamps.get().encode();
        noise.writeMessage1(ephemerals.get(), ts, 0, Tai64n.LENGTH, msg, WgMessage.INITIATION_EPHEMERAL_OFFSET);
        // msg.mac1 := Mac(Hash(Label-Mac1 || Spub_r), msg[0:offsetof(msg.mac1)])
        Mac1.write(msg, 0, msg.length, remoteStatic);
        // msg.mac2 := Mac(cookie, msg[0:offsetof(msg.mac2)]) if a recent cookie, else zeros
        if (cookie != null) {
            Mac2.write(msg, 0, msg.length, cookie);
        }
        return msg;
    }

    /** Consumes the response to the last initiation; the keys send with the first KDF2 output. */
    public TransportKeys consumeResponse(byte[] msg, int off, int len) throws HandshakeException {
        if (noise == null) {
            throw new HandshakeException("no initiation is pending");
        }
        if (len != Protocol.MESSAGE_RESPONSE_SIZE || msg[off] != Protocol.MESSAGE_RESPONSE_TYPE) {
            throw new HandshakeException("not a 92-byte handshake response");
        }
        if (Endian.le32(msg, off + WgMessage.RESPONSE_RECEIVER_OFFSET) != senderIndex) {
            throw new HandshakeException("response is for another initiation (receiver index mismatch)");
        }
        if (!responseMac1.verify(msg, off, len)) {
            throw new HandshakeException("response mac1 is not for this peer");
        }
        byte[] empty = new byte[0];
        noise.readMessage2(msg, off + WgMessage.RESPONSE_EPHEMERAL_OFFSET, Key.LENGTH + ChaChaPoly.TAG_LENGTH, empty, 0);
        byte[][] t = noise.split();
        noise = null;
        return new TransportKeys(t[0], t[1], senderIndex, Endian.le32(msg, off + WgMessage.RESPONSE_SENDER_OFFSET), true, remoteStatic);
    }
}
