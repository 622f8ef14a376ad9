package dev.wgdiag.wire;

/** The four WireGuard message kinds plus the keepalive, which is a transport message with no payload. */
public enum MessageType {
    INITIATION(Protocol.MESSAGE_INITIATION_TYPE, "initiation"),
    RESPONSE(Protocol.MESSAGE_RESPONSE_TYPE, "response"),
    COOKIE_REPLY(Protocol.MESSAGE_COOKIE_REPLY_TYPE, "cookie-reply"),
    TRANSPORT(Protocol.MESSAGE_TRANSPORT_TYPE, "data"),
    KEEPALIVE(Protocol.MESSAGE_TRANSPORT_TYPE, "keepalive");

    private final int wireType;
    private final String label;

    MessageType(int wireType, String label) {
        this.wireType = wireType;
        this.label = label;
    }

    /** The type byte on the wire (1-4); a keepalive is 4. */
    public int wireType() {
        return wireType;
    }

    public String label() {
        return label;
    }
}
