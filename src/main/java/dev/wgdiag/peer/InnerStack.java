package dev.wgdiag.peer;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The only thing inside the tunnel {@code wgdiag peer} speaks: ICMP (IPv4) and ICMPv6 echo. It answers
 * echo requests addressed to one of its tunnel addresses ({@code Address} of the config), builds echo
 * requests for {@code --ping} and reads the replies. Every other inner packet is counted and dropped.
 * Shaped after the role of wireguard-go's {@code tun/netstack} (a user-space stack behind the device),
 * without any of its code: no TUN device, no kernel stack.
 *
 * <pre>
 * IPv4 header (RFC 791 section 3.1)               IPv6 header (RFC 8200 section 3)
 *  0       4       8               16              0       4               16
 *  +-------+-------+---------------+---------------+ +-------+-------------------------------+
 *  |ver=4  | IHL   |      TOS      | total length  | |ver=6  | class / flow label            | 0
 *  +-------+-------+---------------+---------------+ +-------+-------+-----------+-----------+
 *  |        identification | flags | frag. offset  | | payload length        |next hdr=58| hop limit| 4
 *  +---------------+---------------+---------------+ +-----------------------+-----------+-----------+
 *  |      TTL      | protocol = 1  | hdr checksum  | |           source address (16)           | 8
 *  +---------------+---------------+---------------+ +-----------------------------------------+
 *  |              source address                   | |         destination address (16)        | 24
 *  +-----------------------------------------------+ +-----------------------------------------+ 40
 *  |            destination address                |
 *  +-----------------------------------------------+ 20 (IHL * 4 with options)
 *
 * ICMP / ICMPv6 echo (RFC 792 "Echo or Echo Reply Message", RFC 4443 sections 4.1 and 4.2)
 *  0               8               16                              32
 *  +---------------+---------------+-------------------------------+
 *  | type 8/0 (v4) |   code = 0    |           checksum            | 0
 *  | 128/129 (v6)  |               |                               |
 *  +---------------+---------------+-------------------------------+
 *  |          identifier           |        sequence number        | 4
 *  +-------------------------------+-------------------------------+
 *  |  data: our requests start with the send time, 8 bytes big-    | 8
 *  |  endian nanoseconds of the driver's clock, then a pattern     |
 *  +---------------------------------------------------------------+
 * </pre>
 * Checksums: the IPv4 header checksum and the ICMP checksum are the 16-bit ones' complement of the
 * ones' complement sum (RFC 1071) over the header and the ICMP message; ICMPv6 adds the pseudo-header
 * of RFC 8200 section 8.1 (source, destination, upper-layer length as 32 bits, 3 zero bytes, next
 * header 58). Not thread-safe: the driver's one thread uses it.
 */
public final class InnerStack {
    // IPv4 (RFC 791)
    static final int V4_VERSION_IHL = 0;
    static final int V4_TOTAL_LENGTH = 2;
    static final int V4_IDENTIFICATION = 4;
    static final int V4_FLAGS_FRAGMENT = 6;
    static final int V4_TTL = 8;
    static final int V4_PROTOCOL = 9;
    static final int V4_CHECKSUM = 10;
    static final int V4_SOURCE = 12;
    static final int V4_DESTINATION = 16;
    static final int V4_HEADER = 20;
    /** More-fragments flag and fragment offset: non-zero means a fragment (RFC 791). */
    static final int V4_MF_AND_OFFSET = 0x3fff;
    static final int V4_DONT_FRAGMENT = 0x4000;
    // IPv6 (RFC 8200)
    static final int V6_PAYLOAD_LENGTH = 4;
    static final int V6_NEXT_HEADER = 6;
    static final int V6_HOP_LIMIT = 7;
    static final int V6_SOURCE = 8;
    static final int V6_DESTINATION = 24;
    static final int V6_HEADER = 40;
    // ICMP / ICMPv6 echo (RFC 792, RFC 4443)
    static final int ICMP_TYPE = 0;
    static final int ICMP_CODE = 1;
    static final int ICMP_CHECKSUM = 2;
    static final int ECHO_IDENTIFIER = 4;
    static final int ECHO_SEQUENCE = 6;
    static final int ECHO_DATA = 8;
    static final int TIMESTAMP_LENGTH = 8;

    static final int PROTOCOL_ICMP = 1;
    static final int PROTOCOL_ICMPV6 = 58;
    static final int ECHO_REQUEST_V4 = 8;
    static final int ECHO_REPLY_V4 = 0;
    static final int ECHO_REQUEST_V6 = 128;
    static final int ECHO_REPLY_V6 = 129;
    /** TTL / hop limit of what we send: Linux's default (net.ipv4.ip_default_ttl, RFC 1700's 64). */
    static final int DEFAULT_TTL = 64;
    /** ping(8)'s default data size: 56 bytes, 64 with the ICMP header. */
    public static final int DEFAULT_DATA_BYTES = 56;
    /** Our requests carry the send time in the first 8 data bytes. */
    public static final int MIN_DATA_BYTES = TIMESTAMP_LENGTH;
    /** Data bytes that still fit an IPv6 inner packet under 65,535 bytes with room for WireGuard's framing. */
    public static final int MAX_DATA_BYTES = 65_000;

    /** Why an inner packet was dropped. */
    public enum Drop {
        /** Neither IPv4 nor IPv6, or shorter than its header says. */
        MALFORMED,
        /** An IPv4 fragment: echo is answered only whole. */
        FRAGMENT,
        /** The destination is none of our tunnel addresses. */
        NOT_OUR_ADDRESS,
        /** Not ICMP echo (TCP, UDP, other ICMP types, IPv6 extension headers). */
        NOT_ECHO,
        /** The IPv4 header checksum or the ICMP / ICMPv6 checksum is wrong. */
        BAD_CHECKSUM
    }

    /** What became of one inner packet. */
    public sealed interface Outcome {
    }

    /** An echo request to us: {@code reply} is the echo reply to send back into the tunnel, to {@code to}. */
    public record Answer(InetAddress to, int identifier, int sequence, byte[] reply) implements Outcome {
    }

    /**
     * An echo reply addressed to us.
     *
     * @param from       the tunnel address that answered
     * @param identifier echo identifier
     * @param sequence   echo sequence number
     * @param ttl        the reply's TTL (IPv4) or hop limit (IPv6)
     * @param icmpBytes  length of the ICMP message (header and data), as ping(8) prints "64 bytes"
     * @param sentNanos  the send time our request carried in its first data bytes, or -1 when too short
     */
    public record EchoReply(InetAddress from, int identifier, int sequence, int ttl, int icmpBytes, long sentNanos)
            implements Outcome {
    }

    /** Counted and dropped. */
    public record Dropped(Drop reason) implements Outcome {
    }

    private final List<InetAddress> addresses;
    private final Map<Drop, Long> drops = new EnumMap<>(Drop.class);
    private long answered;
    private long replies;
    private int nextIpId;

    /** @param addresses our tunnel addresses (IPv4 and/or IPv6), those echo requests are answered on */
    public InnerStack(List<InetAddress> addresses) {
        this.addresses = List.copyOf(addresses);
    }

    public List<InetAddress> addresses() {
        return addresses;
    }

    /** Our tunnel address of {@code target}'s family (the first one listed), to send a request from. */
    public Optional<InetAddress> sourceFor(InetAddress target) {
        boolean v4 = target instanceof Inet4Address;
        for (InetAddress a : addresses) {
            if ((a instanceof Inet4Address) == v4) return Optional.of(a);
        }
        return Optional.empty();
    }

    /** Handles one inner packet the core delivered (authenticated, AllowedIPs-checked). */
    public Outcome receive(byte[] packet) {
        Outcome o = classify(packet, packet.length);
        if (o instanceof Dropped d) {
            drops.merge(d.reason(), 1L, Long::sum);
        } else if (o instanceof Answer) {
            answered++;
        } else {
            replies++;
        }
        return o;
    }

    private Outcome classify(byte[] p, int len) {
        if (len < 1) return new Dropped(Drop.MALFORMED);
        int version = (p[0] & 0xff) >>> 4;
        if (version == 4) return classify4(p, len);
        if (version == 6) return classify6(p, len);
        return new Dropped(Drop.MALFORMED);
    }

    private Outcome classify4(byte[] p, int len) {
        if (len < V4_HEADER) return new Dropped(Drop.MALFORMED);
        int ihl = (p[V4_VERSION_IHL] & 0x0f) * 4;
        int total = u16(p, V4_TOTAL_LENGTH);
        if (ihl < V4_HEADER || total < ihl || total > len) return new Dropped(Drop.MALFORMED);
        if ((u16(p, V4_FLAGS_FRAGMENT) & V4_MF_AND_OFFSET) != 0) return new Dropped(Drop.FRAGMENT);
        if (!isOurs(p, V4_DESTINATION, 4)) return new Dropped(Drop.NOT_OUR_ADDRESS);
        if ((p[V4_PROTOCOL] & 0xff) != PROTOCOL_ICMP || total - ihl < ECHO_DATA) return new Dropped(Drop.NOT_ECHO);
        int type = p[ihl + ICMP_TYPE] & 0xff;
        if ((type != ECHO_REQUEST_V4 && type != ECHO_REPLY_V4) || p[ihl + ICMP_CODE] != 0) return new Dropped(Drop.NOT_ECHO);
        if (Checksum.of(p, 0, ihl, 0) != 0 || Checksum.of(p, ihl, total - ihl, 0) != 0) return new Dropped(Drop.BAD_CHECKSUM);
        int icmpLength = total - ihl;
        InetAddress from = address(p, V4_SOURCE, 4);
        if (type == ECHO_REPLY_V4) {
            return new EchoReply(from, u16(p, ihl + ECHO_IDENTIFIER), u16(p, ihl + ECHO_SEQUENCE), p[V4_TTL] & 0xff,
                    icmpLength, timestamp(p, ihl, icmpLength));
        }
        // The reply: a fresh 20-byte header (request options are not echoed), the ICMP message copied
        // with type 0 and a new checksum (RFC 792: "the source and destination addresses are simply
        // reversed, the type code changed to 0, and the checksum recomputed").
        byte[] r = new byte[V4_HEADER + icmpLength];
        System.arraycopy(p, ihl, r, V4_HEADER, icmpLength);
        r[V4_HEADER + ICMP_TYPE] = ECHO_REPLY_V4;
        ipv4Header(r, icmpLength, p, V4_DESTINATION, p, V4_SOURCE);
        icmpChecksum4(r);
        return new Answer(from, u16(p, ihl + ECHO_IDENTIFIER), u16(p, ihl + ECHO_SEQUENCE), r);
    }

    private Outcome classify6(byte[] p, int len) {
        if (len < V6_HEADER) return new Dropped(Drop.MALFORMED);
        int payload = u16(p, V6_PAYLOAD_LENGTH);
        if (V6_HEADER + payload > len) return new Dropped(Drop.MALFORMED);
        if (!isOurs(p, V6_DESTINATION, 16)) return new Dropped(Drop.NOT_OUR_ADDRESS);
        if ((p[V6_NEXT_HEADER] & 0xff) != PROTOCOL_ICMPV6 || payload < ECHO_DATA) return new Dropped(Drop.NOT_ECHO);
        int type = p[V6_HEADER + ICMP_TYPE] & 0xff;
        if ((type != ECHO_REQUEST_V6 && type != ECHO_REPLY_V6) || p[V6_HEADER + ICMP_CODE] != 0) return new Dropped(Drop.NOT_ECHO);
        if (Checksum.of(p, V6_HEADER, payload, pseudoHeaderSum(p, payload)) != 0) return new Dropped(Drop.BAD_CHECKSUM);
        InetAddress from = address(p, V6_SOURCE, 16);
        if (type == ECHO_REPLY_V6) {
            return new EchoReply(from, u16(p, V6_HEADER + ECHO_IDENTIFIER), u16(p, V6_HEADER + ECHO_SEQUENCE),
                    p[V6_HOP_LIMIT] & 0xff, payload, timestamp(p, V6_HEADER, payload));
        }
        // RFC 4443 section 4.2: the reply carries the request's identifier, sequence and data.
        byte[] r = new byte[V6_HEADER + payload];
        System.arraycopy(p, V6_HEADER, r, V6_HEADER, payload);
        r[V6_HEADER + ICMP_TYPE] = (byte) ECHO_REPLY_V6;
        ipv6Header(r, payload, p, V6_DESTINATION, p, V6_SOURCE);
        icmpChecksum6(r, payload);
        return new Answer(from, u16(p, V6_HEADER + ECHO_IDENTIFIER), u16(p, V6_HEADER + ECHO_SEQUENCE), r);
    }

    /**
     * An echo request from our address of the target's family to {@code target}.
     *
     * @param dataBytes ICMP data bytes after the 8-byte header ({@link #MIN_DATA_BYTES} to {@link #MAX_DATA_BYTES});
     *                  the first 8 carry {@code sentNanos}
     * @throws IllegalArgumentException when we have no tunnel address of the target's family
     */
    public byte[] echoRequest(InetAddress target, int identifier, int sequence, long sentNanos, int dataBytes) {
        if (dataBytes < MIN_DATA_BYTES || dataBytes > MAX_DATA_BYTES) {
            throw new IllegalArgumentException("data bytes must be " + MIN_DATA_BYTES + ".." + MAX_DATA_BYTES);
        }
        InetAddress source = sourceFor(target).orElseThrow(() -> new IllegalArgumentException(
                "no tunnel address of " + target.getHostAddress() + "'s family"));
        boolean v4 = target instanceof Inet4Address;
        int header = v4 ? V4_HEADER : V6_HEADER;
        int icmpLength = ECHO_DATA + dataBytes;
        byte[] r = new byte[header + icmpLength];
        int at = header;
        r[at + ICMP_TYPE] = (byte) (v4 ? ECHO_REQUEST_V4 : ECHO_REQUEST_V6);
        put16(r, at + ECHO_IDENTIFIER, identifier);
        put16(r, at + ECHO_SEQUENCE, sequence);
        for (int i = 0; i < TIMESTAMP_LENGTH; i++) r[at + ECHO_DATA + i] = (byte) (sentNanos >>> (56 - 8 * i));
        // the rest: 0x10, 0x11, ... as ping(8) fills its pattern after the timestamp
        for (int i = TIMESTAMP_LENGTH; i < dataBytes; i++) r[at + ECHO_DATA + i] = (byte) (0x10 + i - TIMESTAMP_LENGTH);
        byte[] src = source.getAddress();
        byte[] dst = target.getAddress();
        if (v4) {
            ipv4Header(r, icmpLength, src, 0, dst, 0);
            icmpChecksum4(r);
        } else {
            ipv6Header(r, icmpLength, src, 0, dst, 0);
            icmpChecksum6(r, icmpLength);
        }
        return r;
    }

    /** UDP (RFC 768): 0 source port, 2 destination port, 4 length, 6 checksum, 8 data. */
    static final int UDP_HEADER = 8;
    static final int PROTOCOL_UDP = 17;
    /** The query name of {@link #dnsQuery}: a reserved example name (RFC 2606). */
    static final String DNS_QUERY_NAME = "example.org";

    /**
     * A DNS query (RFC 1035 section 4.1: 12-byte header with {@code id}, RD set, one question; the question
     * {@value #DNS_QUERY_NAME} type A class IN) in UDP from {@code sourcePort} to port 53 of {@code resolver},
     * from our address of its family. Used by the lab to show DNS through the tunnel (answers are dropped
     * as {@link Drop#NOT_ECHO}, counted only).
     *
     * <pre>
     *  0       2       4       6       8       10      12
     *  +-------+-------+-------+-------+-------+-------+--------------------------+
     *  |  id   | flags |qdcount|ancount|nscount|arcount| qname (labels) qtype qclass |
     *  +-------+-------+-------+-------+-------+-------+--------------------------+
     * </pre>
     */
    public byte[] dnsQuery(InetAddress resolver, int sourcePort, int id) {
        InetAddress source = sourceFor(resolver).orElseThrow(() -> new IllegalArgumentException(
                "no tunnel address of " + resolver.getHostAddress() + "'s family"));
        java.io.ByteArrayOutputStream q = new java.io.ByteArrayOutputStream();
        q.write(id >>> 8);
        q.write(id);
        q.write(0x01); // RD
        q.write(0x00);
        q.write(0);
        q.write(1); // one question
        for (int i = 0; i < 6; i++) q.write(0);
        for (String label : DNS_QUERY_NAME.split("\\.")) {
            q.write(label.length());
            q.writeBytes(label.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
        q.write(0);
        q.write(0);
        q.write(1); // type A
        q.write(0);
        q.write(1); // class IN
        byte[] dns = q.toByteArray();
        boolean v4 = resolver instanceof Inet4Address;
        int header = v4 ? V4_HEADER : V6_HEADER;
        int udpLength = UDP_HEADER + dns.length;
        byte[] r = new byte[header + udpLength];
        put16(r, header, sourcePort);
        put16(r, header + 2, 53);
        put16(r, header + 4, udpLength);
        System.arraycopy(dns, 0, r, header + UDP_HEADER, dns.length);
        byte[] src = source.getAddress();
        byte[] dst = resolver.getAddress();
        int pseudo = Checksum.sum(src, 0, src.length, Checksum.sum(dst, 0, dst.length, 0)) + PROTOCOL_UDP + udpLength;
        if (v4) {
            ipv4Header(r, udpLength, src, 0, dst, 0);
            r[V4_PROTOCOL] = PROTOCOL_UDP;
            put16(r, V4_CHECKSUM, 0);
            put16(r, V4_CHECKSUM, Checksum.of(r, 0, V4_HEADER, 0));
        } else {
            ipv6Header(r, udpLength, src, 0, dst, 0);
            r[V6_NEXT_HEADER] = PROTOCOL_UDP;
        }
        int sum = Checksum.of(r, header, udpLength, pseudo);
        put16(r, header + 6, sum == 0 ? 0xffff : sum); // RFC 768: a computed zero is sent as all ones
        return r;
    }

    /** Echo requests answered so far. */
    public long answered() {
        return answered;
    }

    /** Echo replies to us received so far (whoever's identifier). */
    public long replies() {
        return replies;
    }

    /** Dropped inner packets by reason (only reasons seen). */
    public Map<Drop, Long> drops() {
        return Map.copyOf(drops);
    }

    // ------------------------------------------------------------------ headers and checksums

    private void ipv4Header(byte[] r, int payload, byte[] src, int srcOff, byte[] dst, int dstOff) {
        r[V4_VERSION_IHL] = 0x45;
        put16(r, V4_TOTAL_LENGTH, V4_HEADER + payload);
        put16(r, V4_IDENTIFICATION, nextIpId++ & 0xffff);
        put16(r, V4_FLAGS_FRAGMENT, V4_DONT_FRAGMENT);
        r[V4_TTL] = DEFAULT_TTL;
        r[V4_PROTOCOL] = PROTOCOL_ICMP;
        System.arraycopy(src, srcOff, r, V4_SOURCE, 4);
        System.arraycopy(dst, dstOff, r, V4_DESTINATION, 4);
        put16(r, V4_CHECKSUM, 0);
        put16(r, V4_CHECKSUM, Checksum.of(r, 0, V4_HEADER, 0));
    }

    private static void ipv6Header(byte[] r, int payload, byte[] src, int srcOff, byte[] dst, int dstOff) {
        r[0] = 0x60;
        put16(r, V6_PAYLOAD_LENGTH, payload);
        r[V6_NEXT_HEADER] = PROTOCOL_ICMPV6;
        r[V6_HOP_LIMIT] = DEFAULT_TTL;
        System.arraycopy(src, srcOff, r, V6_SOURCE, 16);
        System.arraycopy(dst, dstOff, r, V6_DESTINATION, 16);
    }

    private static void icmpChecksum4(byte[] r) {
        put16(r, V4_HEADER + ICMP_CHECKSUM, 0);
        put16(r, V4_HEADER + ICMP_CHECKSUM, Checksum.of(r, V4_HEADER, r.length - V4_HEADER, 0));
    }

    private static void icmpChecksum6(byte[] r, int payload) {
        put16(r, V6_HEADER + ICMP_CHECKSUM, 0);
        put16(r, V6_HEADER + ICMP_CHECKSUM, Checksum.of(r, V6_HEADER, payload, pseudoHeaderSum(r, payload)));
    }

    /** RFC 8200 section 8.1: source, destination, upper-layer packet length, next header 58. */
    private static int pseudoHeaderSum(byte[] p, int payload) {
        int sum = Checksum.sum(p, V6_SOURCE, 32, 0);
        sum += payload >>> 16;
        sum += payload & 0xffff;
        sum += PROTOCOL_ICMPV6;
        return sum;
    }

    private boolean isOurs(byte[] p, int off, int length) {
        for (InetAddress a : addresses) {
            byte[] b = a.getAddress();
            if (b.length != length) continue;
            boolean same = true;
            for (int i = 0; i < length && same; i++) same = b[i] == p[off + i];
            if (same) return true;
        }
        return false;
    }

    private static long timestamp(byte[] p, int icmpOffset, int icmpLength) {
        if (icmpLength < ECHO_DATA + TIMESTAMP_LENGTH) return -1;
        long t = 0;
        for (int i = 0; i < TIMESTAMP_LENGTH; i++) t = (t << 8) | (p[icmpOffset + ECHO_DATA + i] & 0xff);
        return t;
    }

    private static InetAddress address(byte[] p, int off, int length) {
        byte[] b = new byte[length];
        System.arraycopy(p, off, b, 0, length);
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // 4 or 16 bytes: cannot happen
        }
    }

    private static int u16(byte[] b, int off) {
        return (b[off] & 0xff) << 8 | (b[off + 1] & 0xff);
    }

    private static void put16(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 8);
        b[off + 1] = (byte) v;
    }

    /** The Internet checksum (RFC 1071): 16-bit ones' complement of the ones' complement sum. */
    static final class Checksum {
        private Checksum() {
        }

        /** The plain 32-bit running sum of big-endian 16-bit words (an odd last byte padded with zero). */
        static int sum(byte[] b, int off, int len, int initial) {
            long s = initial & 0xffffffffL;
            int end = off + len;
            int i = off;
            for (; i + 1 < end; i += 2) s += ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
            if (i < end) s += (b[i] & 0xff) << 8;
            while ((s >>> 16) != 0) s = (s & 0xffff) + (s >>> 16);
            return (int) s;
        }

        /** The checksum over {@code b[off, off+len)} plus {@code initial}; 0 when a stored checksum is right. */
        static int of(byte[] b, int off, int len, int initial) {
            return ~sum(b, off, len, initial) & 0xffff;
        }
    }
}
