package dev.wgdiag.crypto;

import dev.wgdiag.wire.Protocol;
import dev.wgdiag.wire.WgMessage;

/** Short names for the message offsets this package needs, and little-endian helpers. */
final class Layout {
    private Layout() {
    }

    // Aliases of the one set of protocol constants, dev.wgdiag.wire.Protocol and WgMessage's offsets.
    static final int TYPE_INITIATION = Protocol.MESSAGE_INITIATION_TYPE;
    static final int TYPE_RESPONSE = Protocol.MESSAGE_RESPONSE_TYPE;
    static final int TYPE_COOKIE_REPLY = Protocol.MESSAGE_COOKIE_REPLY_TYPE;
    static final int TYPE_TRANSPORT = Protocol.MESSAGE_TRANSPORT_TYPE;

    static final int INITIATION_SIZE = Protocol.MESSAGE_INITIATION_SIZE;
    static final int INIT_SENDER = WgMessage.INITIATION_SENDER_OFFSET;
    static final int INIT_EPHEMERAL = WgMessage.INITIATION_EPHEMERAL_OFFSET;
    static final int INIT_STATIC = WgMessage.INITIATION_STATIC_OFFSET;
    static final int INIT_TIMESTAMP = WgMessage.INITIATION_TIMESTAMP_OFFSET;
    static final int INIT_MAC1 = WgMessage.INITIATION_MAC1_OFFSET;
    static final int INIT_MAC2 = WgMessage.INITIATION_MAC2_OFFSET;

    static final int RESPONSE_SIZE = Protocol.MESSAGE_RESPONSE_SIZE;
    static final int RESP_SENDER = WgMessage.RESPONSE_SENDER_OFFSET;
    static final int RESP_RECEIVER = WgMessage.RESPONSE_RECEIVER_OFFSET;
    static final int RESP_EPHEMERAL = WgMessage.RESPONSE_EPHEMERAL_OFFSET;
    static final int RESP_EMPTY = WgMessage.RESPONSE_EMPTY_OFFSET;
    static final int RESP_MAC1 = WgMessage.RESPONSE_MAC1_OFFSET;
    static final int RESP_MAC2 = WgMessage.RESPONSE_MAC2_OFFSET;

    static final int COOKIE_REPLY_SIZE = Protocol.MESSAGE_COOKIE_REPLY_SIZE;
    static final int COOKIE_RECEIVER = WgMessage.COOKIE_RECEIVER_OFFSET;
    static final int COOKIE_NONCE = WgMessage.COOKIE_NONCE_OFFSET;
    static final int COOKIE_ENCRYPTED = WgMessage.COOKIE_ENCRYPTED_OFFSET;

    static final int TRANSPORT_HEADER = Protocol.MESSAGE_TRANSPORT_HEADER_SIZE;
    static final int TRANSPORT_RECEIVER = WgMessage.TRANSPORT_RECEIVER_OFFSET;
    static final int TRANSPORT_COUNTER = WgMessage.TRANSPORT_COUNTER_OFFSET;
}
