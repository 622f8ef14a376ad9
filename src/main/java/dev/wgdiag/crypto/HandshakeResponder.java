package dev.wgdiag.crypto;

import dev.wgdiag.wire.WgMessage;
import dev.wgdiag.wire.Protocol;
import dev.wgdiag.wire.Endian;

import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * WireGuard's responder (whitepaper section 5.4.3): checks and decrypts a 148-byte initiation,
 * naming its initiator and timestamp, then builds the 92-byte response and transport keys. The
 * responder itself keeps no per-handshake state; it lives in {@link Initiation}. Replay
 * (timestamp must grow), mac2 under load and rate limits are the caller's business.
 */
public final class HandshakeResponder {
    private final PrivateKey localStatic;
    private final Function<PublicKey, Optional<PresharedKey>> peers;
    private final Supplier<PrivateKey> ephemerals;
    private final Mac1.Verifier initiationMac1;
    /** DH(Spriv_r, Spub_i) per known initiator (only peers the lookup accepted reach it), as wireguard-go precomputes. */
    private final java.util.Map<PublicKey, byte[]> staticStatic = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * @param peers allowed initiators: their preshared key ({@link PresharedKey#NONE} if none), or
     *              empty for an unknown public key
     */
    public HandshakeResponder(PrivateKey localStatic, Function<PublicKey, Optional<PresharedKey>> peers,
            Supplier<PrivateKey> ephemerals) {
        this.localStatic = localStatic;
        this.peers = peers;
        this.ephemerals = ephemerals;
        this.initiationMac1 = new Mac1.Verifier(localStatic.publicKey());
    }

    public HandshakeResponder(PrivateKey localStatic, Function<PublicKey, Optional<PresharedKey>> peers) {
        this(localStatic, peers, HandshakeInitiator.randomEphemerals());
    }

    private byte[] staticStatic(PublicKey initiator) {
        byte[] ss = staticStatic.get(initiator);
        if (ss == null) {
            ss = HandshakeInitiator.staticStatic(localStatic, initiator);
            if (ss != null) {
                staticStatic.put(initiator, ss);
            }
        }
        return ss;
    }

    /** A consumed initiation: who sent it, when, and the state to answer it with. */
    public static final class Initiation {
        private final NoiseIKpsk2.Responder noise;
        private final PublicKey initiator;
        private final Tai64n timestamp;
        private final int senderIndex;
        private boolean answered;

        Initiation(NoiseIKpsk2.Responder noise, PublicKey initiator, Tai64n timestamp, int senderIndex) {
            this.noise = noise;
            this.initiator = initiator;
            this.timestamp = timestamp;
            this.senderIndex = senderIndex;
        }

        /** The initiator's static public key (Spub_i). */
        public PublicKey initiator() {
            return initiator;
        }

        /** The decrypted TAI64N timestamp. */
        public Tai64n timestamp() {
            return timestamp;
        }

        /** The initiator's sender index I_i. */
        public int senderIndex() {
            return senderIndex;
        }
    }

    /** Response bytes and this side's transport keys. */
    public record Response(byte[] message, TransportKeys keys) {
    }

    public Initiation consumeInitiation(byte[] msg, int off, int len) throws HandshakeException {
        if (len != Protocol.MESSAGE_INITIATION_SIZE || msg[off] != Protocol.MESSAGE_INITIATION_TYPE) {
            throw new HandshakeException("not a 148-byte handshake initiation");
        }
        if (!initiationMac1.verify(msg, off, len)) {
            throw new HandshakeException("initiation mac1 is not for this responder");
        }
        return consume(msg, off, len);
    }

    /** Consumes an initiation whose size, type and mac1 were checked; shares no mutable state. */
    private Initiation consume(byte[] msg, int off, int len) throws HandshakeException {
        NoiseIKpsk2.Responder noise = new NoiseIKpsk2.Responder(SymmetricState.IDENTIFIER, localStatic, peers, this::staticStatic);
        byte[] ts = new byte[Tai64n.LENGTH];
        int n = noise.readMessage1(msg, off + WgMessage.INITIATION_EPHEMERAL_OFFSET,
                WgMessage.INITIATION_MAC1_OFFSET - WgMessage.INITIATION_EPHEMERAL_OFFSET, ts, 0);
        if (n != Tai64n.LENGTH) {
            throw new HandshakeException("initiation timestamp is not 12 bytes");
        }
        Tai64n timestamp;
        try {
            timestamp = Tai64n.decode(ts, 0);
        } catch (IllegalArgumentException e) {
            throw new HandshakeException("initiation timestamp: " + e.getMessage());
        }
        return new Initiation(noise, noise.remoteStatic(), timestamp, Endian.le32(msg, off + WgMessage.INITIATION_SENDER_OFFSET));
    }

    /** Answers a consumed initiation with sender index I_r; {@code cookie} null gives a zero mac2. */
    public Response createResponse(Initiation init, int senderIndex, byte[] cookie) throws HandshakeException {
        return answer(init, ephemerals.get()).finish(senderIndex, cookie);
    }

    /**
     * All the public-key work of answering an initiation in one call that shares no mutable state, so
     * several threads may call it at once (wireguard-go's handshake workers, device.go
     * RoutineHandshake, one per CPU): the initiation is consumed (es; ss is precomputed) and the
     * response's Noise part written with {@code ephemeral} (its public key, ee, se, psk, split). The
     * caller has checked the initiation's size, type and mac1 ({@link Mac1.Verifier} is not
     * thread-safe); the response's sender index and MACs, which the Noise transcript does not cover, are
     * written by {@link Prepared#finish} once the caller's state (replay, index table) accepts it.
     *
     * @throws HandshakeException the initiation does not decrypt, names no peer ({@link
     *                            HandshakeException#unknownPeer()}) or a low-order key
     */
    public Prepared prepare(byte[] msg, int off, int len, PrivateKey ephemeral) throws HandshakeException {
        if (len != Protocol.MESSAGE_INITIATION_SIZE || msg[off] != Protocol.MESSAGE_INITIATION_TYPE) {
            throw new HandshakeException("not a 148-byte handshake initiation");
        }
        return answer(consume(msg, off, len), ephemeral);
    }

    private Prepared answer(Initiation init, PrivateKey ephemeral) throws HandshakeException {
        if (init.answered) {
            throw new HandshakeException("initiation already answered");
        }
        init.answered = true;
        byte[] msg = new byte[Protocol.MESSAGE_RESPONSE_SIZE];
        // msg.message_type := 2; msg.reserved_zero := { 0, 0, 0 }
        msg[0] = Protocol.MESSAGE_RESPONSE_TYPE;
        // msg.receiver_index := little_endian(I_i)
        Endian.putLe32(msg, WgMessage.RESPONSE_RECEIVER_OFFSET, init.senderIndex);
        init.noise.writeMessage2(ephemeral, new byte[0], 0, 0, msg, WgMessage.RESPONSE_EPHEMERAL_OFFSET);
        return new Prepared(init, msg, init.noise.split());
    }

    /** An initiation consumed and its response computed, waiting for a sender index and MACs. */
    public static final class Prepared {
        private final Initiation init;
        private final byte[] message;
        private final byte[][] keys;
        private boolean finished;

        private Prepared(Initiation init, byte[] message, byte[][] keys) {
            this.init = init;
            this.message = message;
            this.keys = keys;
        }

        /** The initiator's static public key (Spub_i). */
        public PublicKey initiator() {
            return init.initiator;
        }

        /** The initiation's decrypted TAI64N timestamp. */
        public Tai64n timestamp() {
            return init.timestamp;
        }

        /** The response with sender index I_r, mac1 and ({@code cookie} non-null) mac2, and this side's keys. Once. */
        public Response finish(int senderIndex, byte[] cookie) {
            if (finished) {
                throw new IllegalStateException("response already finished");
            }
            finished = true;
            // msg.sender_index := little_endian(I_r)
            Endian.putLe32(message, WgMessage.RESPONSE_SENDER_OFFSET, senderIndex);
            // msg.mac1 := Mac(Hash(Label-Mac1 || Spub_i), msg[0:offsetof(msg.mac1)])
            Mac1.write(message, 0, message.length, init.initiator);
            if (cookie != null) {
                Mac2.write(message, 0, message.length, cookie);
            }
            // responder: (T_recv, T_send) := Kdf2(Cr, empty)
            return new Response(message, new TransportKeys(keys[1], keys[0], senderIndex, init.senderIndex, false, init.initiator));
        }
    }
}
