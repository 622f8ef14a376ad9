package dev.wgdiag.crypto;

import dev.wgdiag.time.Timestamp;
import java.util.Optional;
import java.util.function.Function;

/**
 * Noise_IKpsk2_25519_ChaChaPoly_BLAKE2s (Noise spec revision 34, pattern IKpsk2) with any prologue
 * and payloads. WireGuard's handshake is this with prologue = the Identifier string, payload 1 =
 * the TAI64N timestamp and payload 2 = empty; {@link HandshakeInitiator} and
 * {@link HandshakeResponder} frame it in WireGuard messages. Message 1 is laid out
 * e (32) || AEAD(s) (48) || AEAD(payload) (n+16), message 2 is e (32) || AEAD(payload) (n+16),
 * exactly as in WireGuard's initiation (from offset 8) and response (from offset 12).
 *
 * <p>Each instance runs one handshake and is not thread-safe.
 */
public final class NoiseIKpsk2 {
    /** Bytes of message 1 before the payload ciphertext: e, encrypted s. */
    public static final int MESSAGE1_OVERHEAD = Key.LENGTH + Key.LENGTH + ChaChaPoly.TAG_LENGTH + ChaChaPoly.TAG_LENGTH;
    /** Bytes of message 2 besides the payload: e and the payload's tag. */
    public static final int MESSAGE2_OVERHEAD = Key.LENGTH + ChaChaPoly.TAG_LENGTH;

    private NoiseIKpsk2() {
    }

    /** The initiator's side: knows its static key and the responder's public key in advance. */
    public static final class Initiator {
        private SymmetricState st;
        private final PrivateKey localStatic;
        private final byte[] remoteStatic;
        private final PresharedKey psk;
        private PrivateKey ephemeral;

        private final byte[] staticStatic;

        public Initiator(byte[] prologue, PrivateKey localStatic, PublicKey remoteStatic, PresharedKey psk) {
            this(prologue, localStatic, remoteStatic, psk, null);
        }

        /**
         * @param staticStatic DH(Spriv_i, Spub_r) computed once for this peer (as wireguard-go's
         *                     precomputedStaticStatic), or null to compute it here
         */
        public Initiator(byte[] prologue, PrivateKey localStatic, PublicKey remoteStatic, PresharedKey psk, byte[] staticStatic) {
            this.localStatic = localStatic;
            this.remoteStatic = remoteStatic.toBytes();
            this.psk = psk == null ? PresharedKey.NONE : psk;
            this.st = new SymmetricState(prologue, this.remoteStatic, 0);
            this.staticStatic = staticStatic;
        }

        /** Writes message 1 to {@code out[off..)}; returns its length, 96 + payloadLen + 16. */
        public int writeMessage1(PrivateKey e, byte[] payload, int pOff, int pLen, byte[] out, int off)
                throws HandshakeException {
            this.ephemeral = e;
            int at = off;
            // msg.ephemeral := Epub_i
            e.publicKey().copyTo(out, at);
            // Ci := Kdf1(Ci, msg.ephemeral)
            st.mixChain(out, at, Key.LENGTH);
            // Hi := Hash(Hi || msg.ephemeral)
            st.mixHash(out, at, Key.LENGTH);
            at += Key.LENGTH;
            // (Ci, k) := Kdf2(Ci, DH(Epriv_i, Spub_r))
            st.mixKey(SymmetricState.dh(e, remoteStatic, 0, "es"));
            // msg.static := Aead(k, 0, Spub_i, Hi); Hi := Hash(Hi || msg.static)
            byte[] spub = localStatic.publicKey().toBytes();
            at += st.encryptAndHash(spub, 0, Key.LENGTH, out, at);
            // (Ci, k) := Kdf2(Ci, DH(Spriv_i, Spub_r))
            st.mixKey(staticStatic != null ? staticStatic : SymmetricState.dh(localStatic, remoteStatic, 0, "ss"));
            // msg.timestamp := Aead(k, 0, Timestamp(), Hi); Hi := Hash(Hi || msg.timestamp)
            at += st.encryptAndHash(payload, pOff, pLen, out, at);
            return at - off;
        }

        /** Reads message 2 from {@code in[off..off+len)}; writes its payload and returns the payload length. */
        public int readMessage2(byte[] in, int off, int len, byte[] payloadOut, int pOff) throws HandshakeException {
            if (ephemeral == null) {
                throw new HandshakeException("no initiation was written");
            }
            if (len < MESSAGE2_OVERHEAD) {
                throw new HandshakeException("response too short");
            }
            // Work on a copy and keep it only if the response authenticates (as wireguard-go's
            // ConsumeMessageResponse): a forged response must not spoil the handshake in flight.
            SymmetricState committed = st;
            st = new SymmetricState(committed);
            try {
                int n = readMessage2Body(in, off, len, payloadOut, pOff);
                committed.wipe();
                return n;
            } catch (HandshakeException e) {
                st.wipe();
                st = committed;
                throw e;
            }
        }

        private int readMessage2Body(byte[] in, int off, int len, byte[] payloadOut, int pOff) throws HandshakeException {
            int at = off;
            // Cr := Kdf1(Cr, Epub_r)
            st.mixChain(in, at, Key.LENGTH);
            // Hr := Hash(Hr || Epub_r)
            st.mixHash(in, at, Key.LENGTH);
            // Cr := Kdf1(Cr, DH(Epriv_r, Epub_i))  (here: DH(Epriv_i, Epub_r))
            st.mixChain(SymmetricState.dh(ephemeral, in, at, "ee"), 0, Key.LENGTH);
            // Cr := Kdf1(Cr, DH(Epriv_r, Spub_i))  (here: DH(Spriv_i, Epub_r))
            st.mixChain(SymmetricState.dh(localStatic, in, at, "se"), 0, Key.LENGTH);
            at += Key.LENGTH;
            // (Cr, tau, k) := Kdf3(Cr, Q); Hr := Hash(Hr || tau)
            st.mixPsk(psk);
            // msg.empty := Aead(k, 0, empty, Hr); Hr := Hash(Hr || msg.empty)
            return st.decryptAndHash(in, at, len - Key.LENGTH, payloadOut, pOff, "response payload");
        }

        /** The handshake hash H after the last message (Noise GetHandshakeHash). */
        public byte[] handshakeHash() {
            return st.h.clone();
        }

        /** (T_send, T_recv) := Kdf2(C, empty); the initiator sends with the first. */
        public byte[][] split() {
            return splitAndWipe(st);
        }
    }

    /** The responder's side: knows its static key, learns the initiator's from message 1. */
    public static final class Responder {
        private final SymmetricState st;
        private final PrivateKey localStatic;
        private final Function<PublicKey, Optional<PresharedKey>> peers;
        private PublicKey remoteStatic;
        private PresharedKey psk;
        private byte[] remoteEphemeral;

        /**
         * @param peers the allowed initiators: their preshared key ({@link PresharedKey#NONE} when
         *              none), or empty for a public key that is not a peer
         */
        public Responder(byte[] prologue, PrivateKey localStatic, Function<PublicKey, Optional<PresharedKey>> peers) {
            this(prologue, localStatic, peers, null);
        }

        /**
         * @param staticStatic DH(Spriv_r, Spub_i) of a known initiator computed once (wireguard-go's
         *                     precomputedStaticStatic), or null (then, or when it returns null, computed here)
         */
        public Responder(byte[] prologue, PrivateKey localStatic, Function<PublicKey, Optional<PresharedKey>> peers,
                Function<PublicKey, byte[]> staticStatic) {
            this.localStatic = localStatic;
            this.peers = peers;
            this.st = new SymmetricState(prologue, localStatic.publicKey().toBytes(), 0);
            this.staticStatic = staticStatic;
        }

        private final Function<PublicKey, byte[]> staticStatic;

        SymmetricState state() {
            return st;
        }

        /** Reads message 1; writes its payload to {@code payloadOut} and returns the payload length. */
        public int readMessage1(byte[] in, int off, int len, byte[] payloadOut, int pOff) throws HandshakeException {
            if (len < MESSAGE1_OVERHEAD) {
                throw new HandshakeException("initiation too short");
            }
            int at = off;
            remoteEphemeral = java.util.Arrays.copyOfRange(in, at, at + Key.LENGTH);
            // Ci := Kdf1(Ci, msg.ephemeral)
            st.mixChain(in, at, Key.LENGTH);
            // Hi := Hash(Hi || msg.ephemeral)
            st.mixHash(in, at, Key.LENGTH);
            at += Key.LENGTH;
            // (Ci, k) := Kdf2(Ci, DH(Epriv_i, Spub_r))  (here: DH(Spriv_r, Epub_i))
            st.mixKey(SymmetricState.dh(localStatic, remoteEphemeral, 0, "es"));
            // msg.static := Aead(k, 0, Spub_i, Hi); Hi := Hash(Hi || msg.static)
            byte[] spub = new byte[Key.LENGTH];
            st.decryptAndHash(in, at, Key.LENGTH + ChaChaPoly.TAG_LENGTH, spub, 0, "initiator static key");
            at += Key.LENGTH + ChaChaPoly.TAG_LENGTH;
            PublicKey initiator = PublicKey.of(spub);
            Optional<PresharedKey> known = peers.apply(initiator);
            if (known.isEmpty()) {
                throw new HandshakeException("initiator " + initiator.shortForm() + "... is not a known peer", true);
            }
            // (Ci, k) := Kdf2(Ci, DH(Spriv_i, Spub_r))  (here: DH(Spriv_r, Spub_i))
            byte[] ss = staticStatic == null ? null : staticStatic.apply(initiator);
            st.mixKey(ss != null ? ss : SymmetricState.dh(localStatic, spub, 0, "ss"));
            // msg.timestamp := Aead(k, 0, Timestamp(), Hi); Hi := Hash(Hi || msg.timestamp)
            int n = st.decryptAndHash(in, at, len - (at - off), payloadOut, pOff, "initiation payload");
            this.remoteStatic = initiator;
            this.psk = known.get();
            return n;
        }

        /** The initiator's static public key, known after {@link #readMessage1}. */
        public PublicKey remoteStatic() {
            return remoteStatic;
        }

        /** Writes message 2 to {@code out[off..)}; returns its length, 32 + payloadLen + 16. */
        public int writeMessage2(PrivateKey e, byte[] payload, int pOff, int pLen, byte[] out, int off)
                throws HandshakeException {
            if (remoteStatic == null) {
                throw new HandshakeException("no initiation was read");
            }
            int at = off;
            // msg.ephemeral := Epub_r
            e.publicKey().copyTo(out, at);
            // Cr := Kdf1(Cr, Epub_r)
            st.mixChain(out, at, Key.LENGTH);
            // Hr := Hash(Hr || Epub_r)
            st.mixHash(out, at, Key.LENGTH);
            at += Key.LENGTH;
            // Cr := Kdf1(Cr, DH(Epriv_r, Epub_i))
            st.mixChain(SymmetricState.dh(e, remoteEphemeral, 0, "ee"), 0, Key.LENGTH);
            // Cr := Kdf1(Cr, DH(Epriv_r, Spub_i))
            st.mixChain(SymmetricState.dh(e, remoteStatic.bytes, 0, "se"), 0, Key.LENGTH);
            // (Cr, tau, k) := Kdf3(Cr, Q); Hr := Hash(Hr || tau)
            st.mixPsk(psk);
            // msg.empty := Aead(k, 0, empty, Hr); Hr := Hash(Hr || msg.empty)
            at += st.encryptAndHash(payload, pOff, pLen, out, at);
            return at - off;
        }

        public byte[] handshakeHash() {
            return st.h.clone();
        }

        /** (T_recv, T_send) := Kdf2(C, empty); returned as {initiator-to-responder, responder-to-initiator}. */
        public byte[][] split() {
            return splitAndWipe(st);
        }
    }

    /** The transport keys {initiator-to-responder, responder-to-initiator}; the handshake state is wiped. */
    private static byte[][] splitAndWipe(SymmetricState st) {
        byte[][] t = st.split();
        st.wipe();
        return t;
    }
}
