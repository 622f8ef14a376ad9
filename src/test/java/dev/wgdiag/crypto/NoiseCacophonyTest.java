package dev.wgdiag.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The cacophony vector for Noise_IKpsk2_25519_ChaChaPoly_BLAKE2s, copied from
 * mcginty/snow tests/vectors/cacophony.txt (commit aabed3159deec0a0dfe3d5601c43322d84700c94).
 * It uses its own prologue ("John Galt"); WireGuard's handshake is the same with its Identifier
 * as prologue, so this validates the Noise math of both roles and the transport ciphers.
 */
class NoiseCacophonyTest {
    static final byte[] PROLOGUE = Hex.bytes("4a6f686e2047616c74");
    static final PresharedKey PSK = PresharedKey.of(Hex.bytes("54686973206973206d7920417573747269616e20706572737065637469766521"));
    static final PrivateKey INIT_STATIC = PrivateKey.of(Hex.bytes("e61ef9919cde45dd5f82166404bd08e38bceb5dfdfded0a34c8df7ed542214d1"));
    static final PrivateKey INIT_EPHEMERAL = PrivateKey.of(Hex.bytes("893e28b9dc6ca8d611ab664754b8ceb7bac5117349a4439a6b0569da977c464a"));
    static final PublicKey INIT_REMOTE_STATIC = PublicKey.of(Hex.bytes("31e0303fd6418d2f8c0e78b91f22e8caed0fbe48656dcf4767e4834f701b8f62"));
    static final PrivateKey RESP_STATIC = PrivateKey.of(Hex.bytes("4a3acbfdb163dec651dfa3194dece676d437029c62a408b4c5ea9114246e4893"));
    static final PrivateKey RESP_EPHEMERAL = PrivateKey.of(Hex.bytes("bbdb4cdbd309f1a1f2e1456967fe288cadd6f712d65dc7b7793d5e63da6b375b"));
    static final String HANDSHAKE_HASH = "f5191b875290abcd41347ac3622d9679688a7e980229cb937ef748336cfde0e5";
    static final String[][] MESSAGES = {
        {"4c756477696720766f6e204d69736573",
            "ca35def5ae56cec33dc2036731ab14896bc4c75dbb07a61f879f8e3afa4c7944001e21de9f98ddd8e2ad57527207feb56253c9c94a9e496782ecfcb2a75fbcaf1b52948cc48daefe660c62119ab5000980c84831215f2441eba616548e832985464cf17e51ee93109008399a21f7e13f"},
        {"4d757272617920526f746862617264",
            "95ebc60d2b1fa672c1f46a8aa265ef51bfe38e7ccb39ec5be34069f144808843cb765f2caef0751b8f007572dab0322217755c0632f365717edbf34d33e87a"},
        {"462e20412e20486179656b", "8153ca9833bc3c1b91a7e66e5f4d4f5b59bf9e64c2f20d15f0bba7"},
        {"4361726c204d656e676572", "07af0c9c86e1b4e80f36b04ff7688d51141af3debd0332f0a705ef"},
        {"4a65616e2d426170746973746520536179", "6ab1467c0448cc78394494abaaf23afce0e234315d6e2624dcbfa8a21c1c4d073d"},
        {"457567656e2042f6686d20766f6e2042617765726b", "dfc346c0d2296ae6cf1acf6f12b8456a1dba228cf8d8b774aacf1c47fc53aa80ebc7a4c292"},
    };

    @Test
    void shouldReproduceTheCacophonyIKpsk2Handshake() throws Exception {
        NoiseIKpsk2.Initiator ini = new NoiseIKpsk2.Initiator(PROLOGUE, INIT_STATIC, INIT_REMOTE_STATIC, PSK);
        NoiseIKpsk2.Responder res = new NoiseIKpsk2.Responder(PROLOGUE, RESP_STATIC,
                pub -> pub.equals(INIT_STATIC.publicKey()) ? Optional.of(PSK) : Optional.empty());

        byte[] p0 = Hex.bytes(MESSAGES[0][0]);
        byte[] m0 = new byte[256];
        int n0 = ini.writeMessage1(INIT_EPHEMERAL, p0, 0, p0.length, m0, 0);
        assertEquals(MESSAGES[0][1], Hex.of(java.util.Arrays.copyOf(m0, n0)));
        byte[] got0 = new byte[256];
        int g0 = res.readMessage1(Hex.bytes(MESSAGES[0][1]), 0, n0, got0, 0);
        assertEquals(MESSAGES[0][0], Hex.of(java.util.Arrays.copyOf(got0, g0)));
        assertEquals(INIT_STATIC.publicKey(), res.remoteStatic());

        byte[] p1 = Hex.bytes(MESSAGES[1][0]);
        byte[] m1 = new byte[256];
        int n1 = res.writeMessage2(RESP_EPHEMERAL, p1, 0, p1.length, m1, 0);
        assertEquals(MESSAGES[1][1], Hex.of(java.util.Arrays.copyOf(m1, n1)));
        byte[] got1 = new byte[256];
        int g1 = ini.readMessage2(Hex.bytes(MESSAGES[1][1]), 0, n1, got1, 0);
        assertEquals(MESSAGES[1][0], Hex.of(java.util.Arrays.copyOf(got1, g1)));

        assertEquals(HANDSHAKE_HASH, Hex.of(ini.handshakeHash()));
        assertEquals(HANDSHAKE_HASH, Hex.of(res.handshakeHash()));

        byte[][] ik = ini.split();
        byte[][] rk = res.split();
        TransportCipher iToR = new TransportCipher(ik[0]);
        TransportCipher rToI = new TransportCipher(rk[1]);
        TransportCipher rFromI = new TransportCipher(rk[0]);
        TransportCipher iFromR = new TransportCipher(ik[1]);
        // After the handshake the initiator sends messages 2 and 4, the responder 3 and 5, counters from 0.
        for (int i = 2; i < MESSAGES.length; i++) {
            long counter = (i - 2) / 2;
            byte[] payload = Hex.bytes(MESSAGES[i][0]);
            boolean fromInitiator = i % 2 == 0;
            byte[] sealed = (fromInitiator ? iToR : rToI).seal(counter, payload);
            assertEquals(MESSAGES[i][1], Hex.of(sealed));
            assertArrayEquals(payload, (fromInitiator ? rFromI : iFromR).open(counter, Hex.bytes(MESSAGES[i][1])));
        }
    }

    @Test
    void responderPublicKeyInTheVectorShouldBeX25519OfItsPrivateKey() {
        assertEquals(INIT_REMOTE_STATIC, RESP_STATIC.publicKey());
    }
}
