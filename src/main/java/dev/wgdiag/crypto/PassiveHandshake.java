package dev.wgdiag.crypto;

import dev.wgdiag.wire.WgMessage;
import dev.wgdiag.wire.Protocol;
import dev.wgdiag.wire.Endian;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decryption for a passive observer (the analyzer): name an initiation's initiator from the
 * responder's static private key, and derive a session's transport keys from a Wireshark keylog
 * and an observed initiation + response pair, whichever side the keylog was written on.
 */
public final class PassiveHandshake {
    private PassiveHandshake() {
    }

    /** What an initiation reveals to its responder. */
    public record InitiationContents(PublicKey initiator, PublicKey responder, Tai64n timestamp, int senderIndex) {
    }

    /** A session's two directions; {@link #toString()} hides the keys. */
    public record Session(PublicKey initiator, PublicKey responder, int initiatorIndex, int responderIndex,
            Tai64n timestamp, TransportCipher initiatorToResponder, TransportCipher responderToInitiator) {
        /** The cipher for a transport message whose receiver index is {@code receiverIndex}, or null. */
        public TransportCipher forReceiver(int receiverIndex) {
            if (receiverIndex == responderIndex) {
                return initiatorToResponder;
            }
            return receiverIndex == initiatorIndex ? responderToInitiator : null;
        }

        @Override
        public String toString() {
            return "Session[initiator=" + initiator.shortForm() + ", responder=" + responder.shortForm() + ", indices="
                    + Integer.toUnsignedString(initiatorIndex) + "/" + Integer.toUnsignedString(responderIndex) + ", keys hidden]";
        }
    }

    /** Decrypts an initiation's static key and timestamp with the responder's static private key. */
    public static InitiationContents decryptInitiation(PrivateKey responderStatic, byte[] msg, int off, int len)
            throws HandshakeException {
        checkInitiation(msg, off, len);
        if (!new Mac1.Verifier(responderStatic.publicKey()).verify(msg, off, len)) {
            throw new HandshakeException("initiation mac1 is not for this responder");
        }
        NoiseIKpsk2.Responder noise = new NoiseIKpsk2.Responder(SymmetricState.IDENTIFIER, responderStatic,
                pub -> Optional.of(PresharedKey.NONE));
        byte[] ts = new byte[Tai64n.LENGTH];
        noise.readMessage1(msg, off + WgMessage.INITIATION_EPHEMERAL_OFFSET, WgMessage.INITIATION_MAC1_OFFSET - WgMessage.INITIATION_EPHEMERAL_OFFSET, ts, 0);
        return new InitiationContents(noise.remoteStatic(), responderStatic.publicKey(), decodeTimestamp(ts),
                Endian.le32(msg, off + WgMessage.INITIATION_SENDER_OFFSET));
    }

    /**
     * Transport keys of the session an initiation + response pair set up, from a keylog written by
     * either side (its LOCAL_EPHEMERAL_PRIVATE_KEY must be the one used in this handshake).
     */
    public static Session deriveSession(Keylog keylog, byte[] init, int iOff, int iLen, byte[] resp, int rOff, int rLen)
            throws HandshakeException {
        checkInitiation(init, iOff, iLen);
        if (rLen != Protocol.MESSAGE_RESPONSE_SIZE || resp[rOff] != Protocol.MESSAGE_RESPONSE_TYPE) {
            throw new HandshakeException("not a 92-byte handshake response");
        }
        int initiatorIndex = Endian.le32(init, iOff + WgMessage.INITIATION_SENDER_OFFSET);
        if (Endian.le32(resp, rOff + WgMessage.RESPONSE_RECEIVER_OFFSET) != initiatorIndex) {
            throw new HandshakeException("response does not answer this initiation (receiver index mismatch)");
        }
        int responderIndex = Endian.le32(resp, rOff + WgMessage.RESPONSE_SENDER_OFFSET);
        for (Keylog.Ephemeral e : keylog.ephemerals()) {
            PublicKey epub = e.key().publicKey();
            if (epub.matches(init, iOff + WgMessage.INITIATION_EPHEMERAL_OFFSET)) {
                return asInitiator(keylog, e, init, iOff, resp, rOff, initiatorIndex, responderIndex);
            }
            if (epub.matches(resp, rOff + WgMessage.RESPONSE_EPHEMERAL_OFFSET)) {
                return asResponder(keylog, e, init, iOff, resp, rOff, initiatorIndex, responderIndex);
            }
        }
        throw new HandshakeException("no LOCAL_EPHEMERAL_PRIVATE_KEY in the keylog matches this handshake");
    }

    private static Session asResponder(Keylog keylog, Keylog.Ephemeral e, byte[] init, int iOff, byte[] resp, int rOff,
            int initiatorIndex, int responderIndex) throws HandshakeException {
        PrivateKey spriv = null;
        for (PrivateKey s : keylog.localStatics()) {
            if (new Mac1.Verifier(s.publicKey()).verify(init, iOff, Protocol.MESSAGE_INITIATION_SIZE)) {
                spriv = s;
                break;
            }
        }
        if (spriv == null) {
            throw new HandshakeException("no LOCAL_STATIC_PRIVATE_KEY in the keylog is the responder's (mac1)");
        }
        NoiseIKpsk2.Responder noise = new NoiseIKpsk2.Responder(SymmetricState.IDENTIFIER, spriv, pub -> Optional.of(e.psk()));
        byte[] ts = new byte[Tai64n.LENGTH];
        noise.readMessage1(init, iOff + WgMessage.INITIATION_EPHEMERAL_OFFSET, WgMessage.INITIATION_MAC1_OFFSET - WgMessage.INITIATION_EPHEMERAL_OFFSET, ts, 0);
        byte[] mine = new byte[NoiseIKpsk2.MESSAGE2_OVERHEAD];
        noise.writeMessage2(e.key(), new byte[0], 0, 0, mine, 0);
        if (!ConstantTime.equals(mine, 0, resp, rOff + WgMessage.RESPONSE_EPHEMERAL_OFFSET, mine.length)) {
            throw new HandshakeException("response does not authenticate with the keylog's keys (wrong PRESHARED_KEY?)");
        }
        byte[][] t = noise.split();
        return new Session(noise.remoteStatic(), spriv.publicKey(), initiatorIndex, responderIndex, decodeTimestamp(ts),
                new TransportCipher(t[0]), new TransportCipher(t[1]));
    }

    private static Session asInitiator(Keylog keylog, Keylog.Ephemeral e, byte[] init, int iOff, byte[] resp, int rOff,
            int initiatorIndex, int responderIndex) throws HandshakeException {
        List<PublicKey> candidates = new ArrayList<>(keylog.remoteStatics());
        for (PrivateKey s : keylog.localStatics()) {
            candidates.add(s.publicKey());
        }
        PublicKey responder = null;
        for (PublicKey c : candidates) {
            if (new Mac1.Verifier(c).verify(init, iOff, Protocol.MESSAGE_INITIATION_SIZE)) {
                responder = c;
                break;
            }
        }
        if (responder == null) {
            throw new HandshakeException("no public key in the keylog is the responder's (mac1)");
        }
        byte[] rs = responder.toBytes();
        SymmetricState st = new SymmetricState(SymmetricState.IDENTIFIER, rs, 0);
        int at = iOff + WgMessage.INITIATION_EPHEMERAL_OFFSET;
        // Ci := Kdf1(Ci, msg.ephemeral); Hi := Hash(Hi || msg.ephemeral)
        st.mixChain(init, at, Key.LENGTH);
        st.mixHash(init, at, Key.LENGTH);
        // (Ci, k) := Kdf2(Ci, DH(Epriv_i, Spub_r))
        st.mixKey(SymmetricState.dh(e.key(), rs, 0, "es"));
        // Spub_i := Aead-open(k, 0, msg.static, Hi); Hi := Hash(Hi || msg.static)
        byte[] spub = new byte[Key.LENGTH];
        st.decryptAndHash(init, iOff + WgMessage.INITIATION_STATIC_OFFSET, Key.LENGTH + ChaChaPoly.TAG_LENGTH, spub, 0, "initiator static key");
        PrivateKey spriv = null;
        for (PrivateKey s : keylog.localStatics()) {
            if (s.publicKey().matches(spub, 0)) {
                spriv = s;
                break;
            }
        }
        if (spriv == null) {
            throw new HandshakeException("no LOCAL_STATIC_PRIVATE_KEY in the keylog is the initiator's");
        }
        // (Ci, k) := Kdf2(Ci, DH(Spriv_i, Spub_r))
        st.mixKey(SymmetricState.dh(spriv, rs, 0, "ss"));
        // timestamp := Aead-open(k, 0, msg.timestamp, Hi); Hi := Hash(Hi || msg.timestamp)
        byte[] ts = new byte[Tai64n.LENGTH];
        st.decryptAndHash(init, iOff + WgMessage.INITIATION_TIMESTAMP_OFFSET, Tai64n.LENGTH + ChaChaPoly.TAG_LENGTH, ts, 0, "timestamp");
        int re = rOff + WgMessage.RESPONSE_EPHEMERAL_OFFSET;
        // Cr := Kdf1(Cr, Epub_r); Hr := Hash(Hr || Epub_r)
        st.mixChain(resp, re, Key.LENGTH);
        st.mixHash(resp, re, Key.LENGTH);
        // Cr := Kdf1(Cr, DH(Epriv_r, Epub_i))  (here: DH(Epriv_i, Epub_r))
        st.mixChain(SymmetricState.dh(e.key(), resp, re, "ee"), 0, Key.LENGTH);
        // Cr := Kdf1(Cr, DH(Epriv_r, Spub_i))  (here: DH(Spriv_i, Epub_r))
        st.mixChain(SymmetricState.dh(spriv, resp, re, "se"), 0, Key.LENGTH);
        // (Cr, tau, k) := Kdf3(Cr, Q); Hr := Hash(Hr || tau)
        st.mixPsk(e.psk());
        // empty := Aead-open(k, 0, msg.empty, Hr)
        st.decryptAndHash(resp, rOff + WgMessage.RESPONSE_EMPTY_OFFSET, ChaChaPoly.TAG_LENGTH, new byte[0], 0,
                "response (wrong PRESHARED_KEY?)");
        byte[][] t = st.split();
        st.wipe();
        return new Session(PublicKey.of(spub), responder, initiatorIndex, responderIndex, decodeTimestamp(ts),
                new TransportCipher(t[0]), new TransportCipher(t[1]));
    }

    private static void checkInitiation(byte[] msg, int off, int len) throws HandshakeException {
        if (len != Protocol.MESSAGE_INITIATION_SIZE || msg[off] != Protocol.MESSAGE_INITIATION_TYPE) {
            throw new HandshakeException("not a 148-byte handshake initiation");
        }
    }

    private static Tai64n decodeTimestamp(byte[] ts) throws HandshakeException {
        try {
            return Tai64n.decode(ts, 0);
        } catch (IllegalArgumentException ex) {
            throw new HandshakeException("timestamp: " + ex.getMessage());
        }
    }
}
