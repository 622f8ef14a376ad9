package dev.wgdiag.probe;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * The server tells the client, in the tunnel, which public endpoint it saw the flow come from: in the
 * data of the immediate echo reply of an {@link Timer#ESTABLISHED} flow (IPv4 inner packets only),
 * after the 8-byte timestamp the request carried.
 *
 * It also offers the server's other endpoints (the mapping and filtering tests, RFC 5780 4.3-4.4):
 * the other UDP port of the address the flow came to, and a second address when it has one.
 *
 * <pre>
 *  IPv4 header (IHL*4) | ICMP type code checksum id seq (8) | data:
 *   0        8      9        10                  26     28       30       31                47
 *   +--------+------+--------+-------------------+------+--------+--------+-----------------+
 *   | sent   | 0xE7 | family | address (16, v4   | port | other  | other  | other address   |
 *   | nanos  | mark | 4 or 6 | in the first 4)   | BE   | port BE| family | (16; 0 = none)  |
 *   +--------+------+--------+-------------------+------+--------+--------+-----------------+
 * </pre>
 */
public final class SeenEndpoint {
    /** ICMP data bytes the client's request carries so the reply has room. */
    public static final int DATA_BYTES = 48;
    /** Bytes up to the end of the seen endpoint (a reply this short carries no offer). */
    static final int SEEN_BYTES = 28;
    static final int OTHER_PORT_AT = 28;
    static final int OTHER_FAMILY_AT = 30;
    static final int OTHER_ADDRESS_AT = 31;

    /**
     * The server's other endpoints: {@code otherPort} on the address the flow came to (0: none), and
     * {@code otherAddress} with that other port (null: the server has one address).
     */
    public record Offer(int otherPort, InetAddress otherAddress) {
        public static final Offer NONE = new Offer(0, null);
    }
    static final int ICMP_HEADER = 8;
    static final int MARK_AT = 8;
    static final int FAMILY_AT = 9;
    static final int ADDRESS_AT = 10;
    static final int PORT_AT = 26;
    static final byte MARK = (byte) 0xE7;

    private SeenEndpoint() {
    }

    /** The echo reply with {@code seen} written into its data and its ICMP checksum recomputed; unchanged when it does not fit. */
    public static byte[] write(byte[] reply, InetSocketAddress seen) {
        return write(reply, seen, Offer.NONE);
    }

    /** As {@link #write(byte[], InetSocketAddress)}, with the server's offer when the request left room for it. */
    public static byte[] write(byte[] reply, InetSocketAddress seen, Offer offer) {
        if (reply.length < 20 || (reply[0] & 0xf0) != 0x40) return reply;
        int ihl = (reply[0] & 0x0f) * 4;
        int data = ihl + ICMP_HEADER;
        if (reply.length < data + SEEN_BYTES) return reply;
        byte[] r = reply.clone();
        byte[] a = seen.getAddress().getAddress();
        r[data + MARK_AT] = MARK;
        r[data + FAMILY_AT] = (byte) (a.length == 4 ? 4 : 6);
        for (int i = 0; i < 16; i++) r[data + ADDRESS_AT + i] = i < a.length ? a[i] : 0;
        r[data + PORT_AT] = (byte) (seen.getPort() >>> 8);
        r[data + PORT_AT + 1] = (byte) seen.getPort();
        if (reply.length >= data + DATA_BYTES) {
            r[data + OTHER_PORT_AT] = (byte) (offer.otherPort() >>> 8);
            r[data + OTHER_PORT_AT + 1] = (byte) offer.otherPort();
            byte[] o = offer.otherAddress() == null ? new byte[0] : offer.otherAddress().getAddress();
            r[data + OTHER_FAMILY_AT] = (byte) (o.length == 4 ? 4 : o.length == 16 ? 6 : 0);
            for (int i = 0; i < 16; i++) r[data + OTHER_ADDRESS_AT + i] = i < o.length ? o[i] : 0;
        }
        r[ihl + 2] = 0;
        r[ihl + 3] = 0;
        int c = checksum(r, ihl, r.length - ihl);
        r[ihl + 2] = (byte) (c >>> 8);
        r[ihl + 3] = (byte) c;
        return r;
    }

    /** The endpoint the server wrote into this (already authenticated and checksum-checked) echo reply, if any. */
    public static Optional<InetSocketAddress> read(byte[] reply) {
        if (reply.length < 20 || (reply[0] & 0xf0) != 0x40) return Optional.empty();
        int data = (reply[0] & 0x0f) * 4 + ICMP_HEADER;
        if (reply.length < data + SEEN_BYTES || reply[data + MARK_AT] != MARK) return Optional.empty();
        int family = reply[data + FAMILY_AT];
        if (family != 4 && family != 6) return Optional.empty();
        byte[] a = java.util.Arrays.copyOfRange(reply, data + ADDRESS_AT, data + ADDRESS_AT + (family == 4 ? 4 : 16));
        int port = (reply[data + PORT_AT] & 0xff) << 8 | (reply[data + PORT_AT + 1] & 0xff);
        try {
            InetAddress addr = InetAddress.getByAddress(a);
            if (family == 4 && !(addr instanceof Inet4Address)) return Optional.empty();
            return Optional.of(new InetSocketAddress(addr, port));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    /** The server's offer in this (already authenticated) echo reply; {@link Offer#NONE} when it made none. */
    public static Offer readOffer(byte[] reply) {
        if (reply.length < 20 || (reply[0] & 0xf0) != 0x40) return Offer.NONE;
        int data = (reply[0] & 0x0f) * 4 + ICMP_HEADER;
        if (reply.length < data + DATA_BYTES || reply[data + MARK_AT] != MARK) return Offer.NONE;
        int port = (reply[data + OTHER_PORT_AT] & 0xff) << 8 | (reply[data + OTHER_PORT_AT + 1] & 0xff);
        int family = reply[data + OTHER_FAMILY_AT];
        InetAddress other = null;
        if (family == 4 || family == 6) {
            try {
                other = InetAddress.getByAddress(java.util.Arrays.copyOfRange(reply, data + OTHER_ADDRESS_AT,
                        data + OTHER_ADDRESS_AT + (family == 4 ? 4 : 16)));
            } catch (UnknownHostException e) {
                other = null;
            }
        }
        return new Offer(port, port == 0 ? null : other);
    }

    /** RFC 1071 Internet checksum. */
    static int checksum(byte[] b, int off, int len) {
        long sum = 0;
        for (int i = 0; i + 1 < len; i += 2) sum += (b[off + i] & 0xff) << 8 | (b[off + i + 1] & 0xff);
        if ((len & 1) == 1) sum += (b[off + len - 1] & 0xff) << 8;
        while ((sum >>> 16) != 0) sum = (sum & 0xffff) + (sum >>> 16);
        return (int) (~sum & 0xffff);
    }
}
