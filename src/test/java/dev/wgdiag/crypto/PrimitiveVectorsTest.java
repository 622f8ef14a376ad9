package dev.wgdiag.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Published test vectors; every expected value is copied from the cited source. */
class PrimitiveVectorsTest {

    @Test
    void blake2sShouldMatchRfc7693AppendixB() {
        // RFC 7693 Appendix B: BLAKE2s-256("abc")
        assertEquals("508c5e8c327c14e2e1a72ba34eeb452f37458b209ed63a294d999b4c86675982",
                Hex.of(Blake2s.hash("abc".getBytes(StandardCharsets.US_ASCII))));
    }

    @Test
    void keyedBlake2sShouldMatchTheBlake2KnownAnswers() {
        // https://blake2.net/blake2s-test.txt (BLAKE2 reference KAT): key = 00..1f, out = 32 bytes
        byte[] key = new byte[32];
        for (int i = 0; i < 32; i++) {
            key[i] = (byte) i;
        }
        org.bouncycastle.crypto.digests.Blake2sDigest d = new org.bouncycastle.crypto.digests.Blake2sDigest(key);
        byte[] out = new byte[32];
        d.doFinal(out, 0);
        assertEquals("48a8997da407876b3d79c0d92325ad3b89cbb754d86ab71aee047ad345fd2c49", Hex.of(out));
        d.update((byte) 0);
        d.doFinal(out, 0);
        assertEquals("40d15fee7c328830166ac3f918650f807e7e01e177258cdc0a39b11f598066f1", Hex.of(out));
    }

    @Test
    void kdfShouldMatchWireguardGoKdfTest() {
        // WireGuard/wireguard-go device/kdf_test.go, TestKDF: {key, input, t0, t1, t2}
        String[][] vectors = {
            {"746573742d6b6579", "746573742d696e707574",
                "6f0e5ad38daba1bea8a0d213688736f19763239305e0f58aba697f9ffc41c633",
                "df1194df20802a4fe594cde27e92991c8cae66c366e8106aaa937a55fa371e8a",
                "fac6e2745a325f5dc5d11a5b165aad08b0ada28e7b4e666b7c077934a4d76c24"},
            {"776972656775617264", "776972656775617264",
                "491d43bbfdaa8750aaf535e334ecbfe5129967cd64635101c566d4caefda96e8",
                "1e71a379baefd8a79aa4662212fcafe19a23e2b609a3db7d6bcba8f560e3d25f",
                "31e1ae48bddfbe5de38f295e5452b1909a1b4e38e183926af3780b0c1e1f0160"},
            {"", "",
                "8387b46bf43eccfcf349552a095d8315c4055beb90208fb1be23b894bc2ed5d0",
                "58a0e5f6faefccf4807bff1f05fa8a9217945762040bcec2f4b4a62bdfe0e86e",
                "0ce6ea98ec548f8e281e93e32db65621c45eb18dc6f0a7ad94178610a2f7338e"},
        };
        for (String[] v : vectors) {
            byte[] key = Hex.bytes(v[0]);
            byte[] input = Hex.bytes(v[1]);
            byte[][] t3 = Kdf.kdf3(key, input);
            assertEquals(v[2], Hex.of(t3[0]));
            assertEquals(v[3], Hex.of(t3[1]));
            assertEquals(v[4], Hex.of(t3[2]));
            byte[][] t2 = Kdf.kdf2(key, input);
            assertEquals(v[2], Hex.of(t2[0]));
            assertEquals(v[3], Hex.of(t2[1]));
            assertEquals(v[2], Hex.of(Kdf.kdf1(key, input)));
        }
    }

    @Test
    void x25519ShouldMatchRfc7748Section52() {
        // RFC 7748 section 5.2, first and second X25519 test vectors
        assertEquals("c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552",
                Hex.of(X25519.scalarMult(
                        Hex.bytes("a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4"),
                        Hex.bytes("e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c"))));
        assertEquals("95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957",
                Hex.of(X25519.scalarMult(
                        Hex.bytes("4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d"),
                        Hex.bytes("e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493"))));
    }

    @Test
    void x25519ShouldMatchRfc7748Section61DiffieHellman() {
        // RFC 7748 section 6.1
        PrivateKey alice = PrivateKey.of(Hex.bytes("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"));
        PrivateKey bob = PrivateKey.of(Hex.bytes("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb"));
        assertEquals("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a", Hex.of(alice.publicKey().toBytes()));
        assertEquals("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f", Hex.of(bob.publicKey().toBytes()));
        byte[] k1 = new byte[32];
        byte[] k2 = new byte[32];
        X25519.sharedSecret(alice, bob.publicKey().toBytes(), 0, k1, 0);
        X25519.sharedSecret(bob, alice.publicKey().toBytes(), 0, k2, 0);
        assertEquals("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742", Hex.of(k1));
        assertEquals("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742", Hex.of(k2));
    }

    private static final String SUNSCREEN =
            "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.";

    @Test
    void chaCha20Poly1305ShouldMatchRfc8439Section282() throws AeadException {
        // RFC 8439 section 2.8.2: key 80..9f, nonce 07000000 40414243 44454647, AAD 50515253c0c1c2c3c4c5c6c7
        byte[] key = Hex.bytes("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f");
        byte[] nonce = Hex.bytes("070000004041424344454647");
        byte[] aad = Hex.bytes("50515253c0c1c2c3c4c5c6c7");
        byte[] pt = SUNSCREEN.getBytes(StandardCharsets.US_ASCII);
        String expected = "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d6"
                + "3dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b36"
                + "92ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc"
                + "3ff4def08e4b7a9de576d26586cec64b6116"
                + "1ae10b594f09e26a7e902ecbd0600691"; // tag
        byte[] out = new byte[pt.length + 16];
        ChaChaPoly.sealWithNonce(key, nonce, pt, 0, pt.length, aad, out, 0);
        assertEquals(expected, Hex.of(out));
        byte[] back = new byte[pt.length];
        ChaChaPoly.openWithNonce(key, nonce, out, 0, out.length, aad, back, 0);
        assertArrayEquals(pt, back);
    }

    @Test
    void chaCha20Poly1305ShouldPutTheCounterLittleEndianAfterFourZeroBytes() throws AeadException {
        // RFC 8439 section 2.8.2 again: its nonce 07000000 4041424344454647 is constant 0x00000007
        // then IV 40..47; with WireGuard's layout the first four bytes are zero, so a message sealed
        // with the counter 0x4746454443424140 under nonce 00000000 || LE(counter) opens with the
        // explicit nonce 00000000 40..47.
        byte[] key = Hex.bytes("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f");
        byte[] pt = SUNSCREEN.getBytes(StandardCharsets.US_ASCII);
        byte[] sealed = ChaChaPoly.seal(key, 0x4746454443424140L, pt, null);
        byte[] back = new byte[pt.length];
        ChaChaPoly.openWithNonce(key, Hex.bytes("000000004041424344454647"), sealed, 0, sealed.length, new byte[0], back, 0);
        assertArrayEquals(pt, back);
    }

    @Test
    void openShouldRejectATamperedTag() {
        byte[] key = new byte[32];
        byte[] sealed = ChaChaPoly.seal(key, 5, new byte[16], null);
        sealed[sealed.length - 1] ^= 1;
        assertThrows(AeadException.class, () -> ChaChaPoly.open(key, 5, sealed, null));
    }

    @Test
    void hChaCha20ShouldMatchXChaChaDraftSection221() {
        // draft-irtf-cfrg-xchacha-03 section 2.2.1
        byte[] key = Hex.bytes("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
        byte[] nonce = Hex.bytes("000000090000004a0000000031415927");
        assertEquals("82413b4227b27bfed30e42508a877d73a0f9e4d58a74a853c12ec41326d3ecdc",
                Hex.of(HChaCha20.subkey(key, nonce)));
    }

    @Test
    void xChaCha20Poly1305ShouldMatchXChaChaDraftAppendixA31() throws AeadException {
        // draft-irtf-cfrg-xchacha-03 appendix A.3.1
        byte[] key = Hex.bytes("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f");
        byte[] nonce = Hex.bytes("404142434445464748494a4b4c4d4e4f5051525354555657");
        byte[] aad = Hex.bytes("50515253c0c1c2c3c4c5c6c7");
        byte[] pt = SUNSCREEN.getBytes(StandardCharsets.US_ASCII);
        String expected = "bd6d179d3e83d43b9576579493c0e939572a1700252bfaccbed2902c21396cbb"
                + "731c7f1b0b4aa6440bf3a82f4eda7e39ae64c6708c54c216cb96b72e1213b452"
                + "2f8c9ba40db5d945b11b69b982c1bb9e3f3fac2bc369488f76b2383565d3fff9"
                + "21f9664c97637da9768812f615c68b13b52e"
                + "c0875924c1c7987947deafd8780acf49"; // tag
        byte[] sealed = ChaChaPoly.xseal(key, nonce, pt, aad);
        assertEquals(expected, Hex.of(sealed));
        assertArrayEquals(pt, ChaChaPoly.xopen(key, nonce, 0, sealed, 0, sealed.length, aad));
    }

    @Test
    void tai64nShouldEncodeTheUnixEpochAsTwoToTheSixtyTwoPlusTen() {
        // https://cr.yp.to/libtai/tai64.html: TAI64 label 2^62 + 10 is 1970-01-01 00:00:00 TAI... as
        // WireGuard uses it (wireguard-go tai64n.go base = 0x400000000000000a); nanoseconds big-endian.
        Tai64n t = Tai64n.of(Instant.ofEpochSecond(0, 0x01020304));
        assertEquals("400000000000000a01020304", Hex.of(t.encode()));
        assertEquals(t, Tai64n.decode(t.encode(), 0));
    }

    @Test
    void tai64nShouldRoundNanosecondsDownToTwoToTheTwentyFour() {
        // wireguard-go tai64n.go: whitenerMask = 0x1000000 - 1; nanos &^ whitenerMask
        Tai64n t = Tai64n.whitened(Instant.ofEpochSecond(1, 0x3ffffff));
        assertEquals(0x3000000, t.nanos());
    }
}
