package dev.wgdiag.crypto;

import dev.wgdiag.wire.WgMessage;
import dev.wgdiag.wire.Protocol;
import dev.wgdiag.wire.Endian;

import java.nio.charset.StandardCharsets;

/**
 * Cookie reply (whitepaper section 5.4.7): msg.cookie = XAEAD(HASH(LABEL_COOKIE || Spub_m), nonce,
 * cookie, mac1 of the triggering message), m being the sender of the reply. Only public data is
 * needed to open it.
 *
 * <pre>
 *  0      1      4              8                        32                             64
 *  +------+------+--------------+------------------------+------------------------------+
 *  | 0x03 | 0 0 0| receiver LE  | nonce (24)             | encrypted cookie (16 + 16)   |
 *  +------+------+--------------+------------------------+------------------------------+
 * </pre>
 */
public final class CookieReply {
    /** Whitepaper section 5.4: LABEL_COOKIE. */
    static final byte[] LABEL_COOKIE = "cookie--".getBytes(StandardCharsets.US_ASCII);
    /** Bytes in a cookie. */
    public static final int COOKIE_LENGTH = 16;

    private CookieReply() {
    }

    /** HASH(LABEL_COOKIE || Spub), the cookie-encryption key of the peer owning {@code sender}. */
    public static byte[] key(PublicKey sender) {
        return Blake2s.hash(LABEL_COOKIE, sender.bytes);
    }

    /**
     * Decrypts the cookie in a 64-byte cookie reply.
     *
     * @param cookieSender the static public key of the peer that sent the reply
     * @param triggerMac1  the mac1 of the handshake message that triggered it (16 bytes)
     */
    public static byte[] decrypt(byte[] msg, int off, int len, PublicKey cookieSender, byte[] triggerMac1)
            throws AeadException {
        if (len != Protocol.MESSAGE_COOKIE_REPLY_SIZE || msg[off] != Protocol.MESSAGE_COOKIE_REPLY_TYPE) {
            throw new AeadException("not a 64-byte cookie reply");
        }
        return ChaChaPoly.xopen(key(cookieSender), msg, off + WgMessage.COOKIE_NONCE_OFFSET, msg, off + WgMessage.COOKIE_ENCRYPTED_OFFSET,
                COOKIE_LENGTH + ChaChaPoly.TAG_LENGTH, triggerMac1);
    }

    /** Builds a cookie reply as {@code ownStatic}'s peer would (for the reference peer under load). */
    public static byte[] create(int receiverIndex, byte[] cookie, PublicKey ownStatic, byte[] triggerMac1, byte[] nonce24) {
        byte[] msg = new byte[Protocol.MESSAGE_COOKIE_REPLY_SIZE];
        msg[0] = Protocol.MESSAGE_COOKIE_REPLY_TYPE;
        Endian.putLe32(msg, WgMessage.COOKIE_RECEIVER_OFFSET, receiverIndex);
        System.arraycopy(nonce24, 0, msg, WgMessage.COOKIE_NONCE_OFFSET, ChaChaPoly.XNONCE_LENGTH);
        byte[] sealed = ChaChaPoly.xseal(key(ownStatic), nonce24, cookie, triggerMac1);
        System.arraycopy(sealed, 0, msg, WgMessage.COOKIE_ENCRYPTED_OFFSET, sealed.length);
        return msg;
    }
}
