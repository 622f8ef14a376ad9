package dev.wgdiag.wire;


import java.util.EnumMap;
import java.util.Map;

/**
 * Picks WireGuard messages out of UDP datagrams on any port, by type and exact length together and
 * zero reserved bytes; everything else is rejected with a {@link RejectReason}.
 *
 * <p>A datagram whose first byte is not 1-4 is plain "other UDP" and only counted. A datagram that
 * looks like WireGuard (type 1-4) but fails a check is a look-alike, counted by reason. With a port
 * restriction every datagram to or from that port that fails is counted by reason, and datagrams on
 * other ports are ignored.
 *
 * <p>Lengths are the wire lengths (UDP length), so a frame cut by a snaplen is still classified.
 */
public final class WireGuardDecoder implements DatagramHandler {
    private final WgMessageHandler handler;
    private final int port;
    private final WgMessage message = new WgMessage();
    private final long[] rejected = new long[RejectReason.values().length];
    private final long[] accepted = new long[MessageType.values().length];
    private long otherUdp;

    /** Decodes on every port. */
    public WireGuardDecoder(WgMessageHandler handler) {
        this(handler, -1);
    }

    /** @param port only datagrams from or to this port are decoded; -1 for any port */
    public WireGuardDecoder(WgMessageHandler handler, int port) {
        this.handler = handler;
        this.port = port;
    }

    @Override
    public void onDatagram(Datagram d) {
        boolean restricted = port >= 0;
        if (restricted && d.srcPort() != port && d.dstPort() != port) {
            otherUdp++;
            return;
        }
        int length = d.payloadLength();
        if (length < 4 || d.payloadCaptured() < 4) {
            if (restricted) rejected[RejectReason.TOO_SHORT.ordinal()]++;
            else otherUdp++;
            return;
        }
        message.wrap(d.buffer(), d.payloadOffset(), d.payloadCaptured(), length);
        RejectReason reason = validate(message.wireType(), length, message.reservedIsZero());
        if (reason == null) {
            accepted[message.type().ordinal()]++;
            handler.onMessage(d, message);
        } else if (reason == RejectReason.UNKNOWN_TYPE && !restricted) {
            otherUdp++;
        } else {
            rejected[reason.ordinal()]++;
        }
    }

    /**
     * The (type, length) dispatch rule. Returns null when the pair is a WireGuard message.
     * Sizes from the whitepaper section 5.4; transport padding from 5.4.6.
     */
    public static RejectReason validate(int type, int length, boolean reservedZero) {
        RejectReason reason = switch (type) {
            case Protocol.MESSAGE_INITIATION_TYPE ->
                    length == Protocol.MESSAGE_INITIATION_SIZE ? null : RejectReason.WRONG_LENGTH;
            case Protocol.MESSAGE_RESPONSE_TYPE ->
                    length == Protocol.MESSAGE_RESPONSE_SIZE ? null : RejectReason.WRONG_LENGTH;
            case Protocol.MESSAGE_COOKIE_REPLY_TYPE ->
                    length == Protocol.MESSAGE_COOKIE_REPLY_SIZE ? null : RejectReason.WRONG_LENGTH;
            case Protocol.MESSAGE_TRANSPORT_TYPE -> transportLengthValid(length) ? null : RejectReason.TRANSPORT_NOT_PADDED;
            default -> RejectReason.UNKNOWN_TYPE;
        };
        if (reason == null && !reservedZero) {
            return RejectReason.RESERVED_NOT_ZERO;
        }
        return reason;
    }

    /** 32 + 16k, or an MTU-sized plaintext that padding could not round up (see {@link Protocol#MIN_UNPADDED_PLAINTEXT}). */
    static boolean transportLengthValid(int length) {
        int plaintext = length - Protocol.MESSAGE_TRANSPORT_SIZE;
        return plaintext >= 0
                && (plaintext % Protocol.MESSAGE_PADDING_MULTIPLE == 0 || plaintext >= Protocol.MIN_UNPADDED_PLAINTEXT);
    }

    /** Look-alikes rejected, by reason (only reasons with a non-zero count). */
    public Map<RejectReason, Long> rejected() {
        Map<RejectReason, Long> out = new EnumMap<>(RejectReason.class);
        for (RejectReason r : RejectReason.values()) {
            if (rejected[r.ordinal()] > 0) out.put(r, rejected[r.ordinal()]);
        }
        return out;
    }

    /** Messages accepted, by type (keepalives apart from data). */
    public Map<MessageType, Long> accepted() {
        Map<MessageType, Long> out = new EnumMap<>(MessageType.class);
        for (MessageType t : MessageType.values()) {
            out.put(t, accepted[t.ordinal()]);
        }
        return out;
    }

    /** UDP datagrams that are not WireGuard at all (or not on the chosen port). */
    public long otherUdp() {
        return otherUdp;
    }
}
