package dev.wgdiag.wire;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Flyweight over one WireGuard message in a byte array. All integers are little-endian
 * (whitepaper 5.4). {@link #wrap} does not validate: {@link WireGuardDecoder} decides what is a
 * message. A field is readable only when the capture holds it ({@link #captured()} bytes); for a
 * frame cut by a snaplen, {@code hasX()} says which fields are present.
 *
 * <pre>
 * Initiation (type 1, 148 bytes)            Response (type 2, 92 bytes)
 *  0      1      2      3      4             0      1      2      3      4
 *  +------+------+------+------+             +------+------+------+------+
 *  | type |     reserved       |  0          | type |     reserved       |  0
 *  +------+------+------+------+             +------+------+------+------+
 *  |          sender           |  4          |          sender           |  4
 *  +---------------------------+             +---------------------------+
 *  |     ephemeral (32)        |  8          |         receiver          |  8
 *  +---------------------------+             +---------------------------+
 *  | encrypted static (32+16)  | 40          |     ephemeral (32)        | 12
 *  +---------------------------+             +---------------------------+
 *  | encrypted timestamp(12+16)| 88          | encrypted nothing (0+16)  | 44
 *  +---------------------------+             +---------------------------+
 *  |        mac1 (16)          | 116         |        mac1 (16)          | 60
 *  +---------------------------+             +---------------------------+
 *  |        mac2 (16)          | 132         |        mac2 (16)          | 76
 *  +---------------------------+             +---------------------------+
 *
 * Cookie reply (type 3, 64 bytes)           Transport (type 4, 32 + 16k bytes; 32 = keepalive)
 *  +------+------+------+------+             +------+------+------+------+
 *  | type |     reserved       |  0          | type |     reserved       |  0
 *  +------+------+------+------+             +------+------+------+------+
 *  |         receiver          |  4          |         receiver          |  4
 *  +---------------------------+             +---------------------------+
 *  |        nonce (24)         |  8          |       counter (8)         |  8
 *  +---------------------------+             +---------------------------+
 *  | encrypted cookie (16+16)  | 32          | encrypted packet (n+16)   | 16
 *  +---------------------------+             +---------------------------+
 * </pre>
 */
public final class WgMessage {
    public static final int TYPE_OFFSET = 0;
    public static final int RESERVED_OFFSET = 1;
    public static final int RESERVED_LENGTH = 3;

    public static final int INITIATION_SENDER_OFFSET = 4;
    public static final int INITIATION_EPHEMERAL_OFFSET = 8;
    public static final int INITIATION_STATIC_OFFSET = 40;
    public static final int INITIATION_TIMESTAMP_OFFSET = 88;
    public static final int INITIATION_MAC1_OFFSET = 116;
    public static final int INITIATION_MAC2_OFFSET = 132;

    public static final int RESPONSE_SENDER_OFFSET = 4;
    public static final int RESPONSE_RECEIVER_OFFSET = 8;
    public static final int RESPONSE_EPHEMERAL_OFFSET = 12;
    public static final int RESPONSE_EMPTY_OFFSET = 44;
    public static final int RESPONSE_MAC1_OFFSET = 60;
    public static final int RESPONSE_MAC2_OFFSET = 76;

    public static final int COOKIE_RECEIVER_OFFSET = 4;
    public static final int COOKIE_NONCE_OFFSET = 8;
    public static final int COOKIE_NONCE_LENGTH = 24;
    public static final int COOKIE_ENCRYPTED_OFFSET = 32;

    public static final int TRANSPORT_RECEIVER_OFFSET = 4;
    public static final int TRANSPORT_COUNTER_OFFSET = 8;

    public static final int KEY_LENGTH = 32;
    public static final int MAC_LENGTH = 16;

    private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private byte[] buf;
    private int offset;
    private int captured;
    private int length;

    /**
     * @param buf      the bytes
     * @param offset   where the message starts
     * @param captured bytes of the message present in {@code buf}
     * @param length   the message length on the wire (the UDP payload length)
     */
    public WgMessage wrap(byte[] buf, int offset, int captured, int length) {
        this.buf = buf;
        this.offset = offset;
        this.captured = Math.min(captured, length);
        this.length = length;
        return this;
    }

    public byte[] buffer() {
        return buf;
    }

    public int offset() {
        return offset;
    }

    /** Bytes of the message present in the buffer. */
    public int captured() {
        return captured;
    }

    /** Length on the wire. */
    public int length() {
        return length;
    }

    public int wireType() {
        return buf[offset + TYPE_OFFSET] & 0xff;
    }

    public boolean reservedIsZero() {
        for (int i = RESERVED_OFFSET; i < RESERVED_OFFSET + RESERVED_LENGTH; i++) {
            if (buf[offset + i] != 0) return false;
        }
        return true;
    }

    public MessageType type() {
        return switch (wireType()) {
            case Protocol.MESSAGE_INITIATION_TYPE -> MessageType.INITIATION;
            case Protocol.MESSAGE_RESPONSE_TYPE -> MessageType.RESPONSE;
            case Protocol.MESSAGE_COOKIE_REPLY_TYPE -> MessageType.COOKIE_REPLY;
            case Protocol.MESSAGE_TRANSPORT_TYPE ->
                    length == Protocol.MESSAGE_KEEPALIVE_SIZE ? MessageType.KEEPALIVE : MessageType.TRANSPORT;
            default -> throw new IllegalStateException("not a WireGuard message type: " + wireType());
        };
    }

    public boolean isKeepalive() {
        return wireType() == Protocol.MESSAGE_TRANSPORT_TYPE && length == Protocol.MESSAGE_KEEPALIVE_SIZE;
    }

    private boolean present(int fieldOffset, int fieldLength) {
        return fieldOffset + fieldLength <= captured;
    }

    /** Initiation and response carry a sender index. */
    public boolean hasSender() {
        int t = wireType();
        return (t == Protocol.MESSAGE_INITIATION_TYPE || t == Protocol.MESSAGE_RESPONSE_TYPE) && present(4, 4);
    }

    /** Sender index, unsigned 32-bit, as a long. */
    public long sender() {
        return intAt(4) & 0xffffffffL;
    }

    /** Response, cookie reply and transport carry a receiver index. */
    public boolean hasReceiver() {
        int t = wireType();
        int off = receiverOffset(t);
        return off > 0 && present(off, 4);
    }

    public long receiver() {
        return intAt(receiverOffset(wireType())) & 0xffffffffL;
    }

    private static int receiverOffset(int type) {
        return switch (type) {
            case Protocol.MESSAGE_RESPONSE_TYPE -> RESPONSE_RECEIVER_OFFSET;
            case Protocol.MESSAGE_COOKIE_REPLY_TYPE -> COOKIE_RECEIVER_OFFSET;
            case Protocol.MESSAGE_TRANSPORT_TYPE -> TRANSPORT_RECEIVER_OFFSET;
            default -> -1;
        };
    }

    public boolean hasCounter() {
        return wireType() == Protocol.MESSAGE_TRANSPORT_TYPE && present(TRANSPORT_COUNTER_OFFSET, 8);
    }

    /** Transport counter (nonce), unsigned 64-bit held in a long: compare with Long.compareUnsigned. */
    public long counter() {
        return (long) LONG_LE.get(buf, offset + TRANSPORT_COUNTER_OFFSET);
    }

    /** Offset of the unencrypted ephemeral key within the message, or -1. */
    public int ephemeralOffset() {
        return switch (wireType()) {
            case Protocol.MESSAGE_INITIATION_TYPE -> INITIATION_EPHEMERAL_OFFSET;
            case Protocol.MESSAGE_RESPONSE_TYPE -> RESPONSE_EPHEMERAL_OFFSET;
            default -> -1;
        };
    }

    public boolean hasEphemeral() {
        int off = ephemeralOffset();
        return off > 0 && present(off, KEY_LENGTH);
    }

    /** Offset of mac1 within the message (initiation and response), or -1. mac2 follows it. */
    public int mac1Offset() {
        return switch (wireType()) {
            case Protocol.MESSAGE_INITIATION_TYPE -> INITIATION_MAC1_OFFSET;
            case Protocol.MESSAGE_RESPONSE_TYPE -> RESPONSE_MAC1_OFFSET;
            default -> -1;
        };
    }

    public boolean hasMac1() {
        int off = mac1Offset();
        return off > 0 && present(off, MAC_LENGTH);
    }

    public boolean hasMac2() {
        int off = mac1Offset();
        return off > 0 && present(off + MAC_LENGTH, MAC_LENGTH);
    }

    /** True when mac2 is not all zero: the sender holds a cookie, so the responder was under load (whitepaper 5.4.4). */
    public boolean mac2Set() {
        int start = offset + mac1Offset() + MAC_LENGTH;
        for (int i = 0; i < MAC_LENGTH; i++) {
            if (buf[start + i] != 0) return true;
        }
        return false;
    }

    public boolean hasCookieNonce() {
        return wireType() == Protocol.MESSAGE_COOKIE_REPLY_TYPE && present(COOKIE_NONCE_OFFSET, COOKIE_NONCE_LENGTH);
    }

    /** Copies a field out (for fields the caller keeps: keys, macs, the cookie nonce). */
    public byte[] copy(int fieldOffset, int fieldLength) {
        if (!present(fieldOffset, fieldLength)) {
            throw new IllegalStateException("field at " + fieldOffset + " not captured");
        }
        byte[] out = new byte[fieldLength];
        System.arraycopy(buf, offset + fieldOffset, out, 0, fieldLength);
        return out;
    }

    private int intAt(int fieldOffset) {
        return (int) INT_LE.get(buf, offset + fieldOffset);
    }
}
