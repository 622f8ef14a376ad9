package dev.wgdiag.crypto;

/**
 * Handshake message offsets this package needs (whitepaper section 5.4.2-5.4.7; the reference notes'
 * message table). They mirror dev.wgdiag.wire.Protocol, which owns the protocol constants; kept here
 * so that crypto does not depend on the wire package.
 */
final class Layout {
    private Layout() {
    }

    static final int TYPE_INITIATION = 1;
    static final int TYPE_RESPONSE = 2;
    static final int TYPE_COOKIE_REPLY = 3;
    static final int TYPE_TRANSPORT = 4;

    static final int INITIATION_SIZE = 148;
    static final int INIT_SENDER = 4;
    static final int INIT_EPHEMERAL = 8;
    static final int INIT_STATIC = 40;
    static final int INIT_TIMESTAMP = 88;
    static final int INIT_MAC1 = 116;
    static final int INIT_MAC2 = 132;

    static final int RESPONSE_SIZE = 92;
    static final int RESP_SENDER = 4;
    static final int RESP_RECEIVER = 8;
    static final int RESP_EPHEMERAL = 12;
    static final int RESP_EMPTY = 44;
    static final int RESP_MAC1 = 60;
    static final int RESP_MAC2 = 76;

    static final int COOKIE_REPLY_SIZE = 64;
    static final int COOKIE_RECEIVER = 4;
    static final int COOKIE_NONCE = 8;
    static final int COOKIE_ENCRYPTED = 32;

    static final int TRANSPORT_HEADER = 16;
    static final int TRANSPORT_RECEIVER = 4;
    static final int TRANSPORT_COUNTER = 8;

    static int le32(byte[] b, int off) {
        return (b[off] & 0xff) | (b[off + 1] & 0xff) << 8 | (b[off + 2] & 0xff) << 16 | (b[off + 3] & 0xff) << 24;
    }

    static void putLe32(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >>> 8);
        b[off + 2] = (byte) (v >>> 16);
        b[off + 3] = (byte) (v >>> 24);
    }

    static long le64(byte[] b, int off) {
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = (v << 8) | (b[off + i] & 0xff);
        }
        return v;
    }
}
