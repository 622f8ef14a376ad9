package dev.wgdiag.peer.net;

import java.net.InetSocketAddress;

/**
 * Raw IP frames (LINKTYPE_RAW, 101) around the UDP datagrams the peer sends and receives, so its own
 * traffic reads like a capture: the same decoder, analysis and pcapng file as {@code wgdiag capture}.
 * The headers are what the kernel would have put on the wire, minus what a socket cannot know (IP
 * identification, options, the real TTL of received datagrams). One reusable buffer: {@link #frame()}
 * is valid until the next {@link #wrap}. Not thread-safe.
 *
 * <pre>
 * IPv4 (RFC 791) + UDP (RFC 768)                      IPv6 (RFC 8200) + UDP
 *  0        4        8                16       31      0        4               16             31
 *  +--------+--------+----------------+--------+       +--------+--------------------------------+
 *  | 4 | 5  |  TOS 0 |  total length           |  0    | 6 | class 0, flow label 0               |  0
 *  +--------+--------+----------------+--------+       +-----------------------+--------+--------+
 *  |  identification |DF| frag. offset 0       |  4    | payload length        | 17     | 64     |  4
 *  +--------+--------+----------------+--------+       +-----------------------+--------+--------+
 *  |  TTL 64| prot 17|  header checksum        |  8    | source address (16 bytes)               |  8
 *  +--------+--------+-------------------------+       +-----------------------------------------+
 *  |  source address                           | 12    | destination address (16 bytes)          | 24
 *  +-------------------------------------------+       +-----------------------------------------+
 *  |  destination address                      | 16    | UDP header, then the datagram           | 40
 *  +-------------------------------------------+       +-----------------------------------------+
 *  |  UDP source port  | UDP destination port  | 20
 *  +-------------------+-----------------------+       UDP header (8 bytes, at 20 or 40):
 *  |  UDP length       | UDP checksum          | 24    source port, destination port, length
 *  +-------------------+-----------------------+       (8 + datagram), checksum over the pseudo-
 *  |  datagram ...                             | 28    header (RFC 768; RFC 8200 section 8.1)
 *  +-------------------------------------------+
 * </pre>
 */
public final class SyntheticFrames {
    /** LINKTYPE_RAW: the frame starts with the IP header (tcpdump.org link-layer header types). */
    public static final int LINKTYPE_RAW = 101;
    static final int V4_HEADER = 20;
    static final int V6_HEADER = 40;
    static final int UDP_HEADER = 8;
    static final int V4_TOTAL_LENGTH = 2;
    static final int V4_IDENTIFICATION = 4;
    static final int V4_FLAGS = 6;
    static final int V4_TTL = 8;
    static final int V4_PROTOCOL = 9;
    static final int V4_CHECKSUM = 10;
    static final int V4_SOURCE = 12;
    static final int V4_DESTINATION = 16;
    static final int V6_PAYLOAD_LENGTH = 4;
    static final int V6_NEXT_HEADER = 6;
    static final int V6_HOP_LIMIT = 7;
    static final int V6_SOURCE = 8;
    static final int V6_DESTINATION = 24;
    static final int UDP_SOURCE_PORT = 0;
    static final int UDP_DESTINATION_PORT = 2;
    static final int UDP_LENGTH = 4;
    static final int UDP_CHECKSUM = 6;
    static final int PROTOCOL_UDP = 17;
    static final int DONT_FRAGMENT = 0x4000;
    static final int TTL = 64;
    /** The largest UDP payload (65,535 - 8 UDP - 20 IPv4); an IPv6 frame of it still fits the buffer. */
    public static final int MAX_DATAGRAM = 65_507;

    private final byte[] buf = new byte[V6_HEADER + UDP_HEADER + MAX_DATAGRAM];
    private int length;
    private int identification;

    /**
     * Builds the frame of one datagram from {@code source} to {@code destination} (both of one family;
     * IPv4-mapped IPv6 addresses count as IPv4).
     *
     * @return the frame's length; the bytes are {@link #frame()}[0, length)
     */
    public int wrap(InetSocketAddress source, InetSocketAddress destination, byte[] payload, int off, int len) {
        if (len > MAX_DATAGRAM) throw new IllegalArgumentException("datagram of " + len + " bytes");
        byte[] src = LocalAddresses.normalise(source.getAddress()).getAddress();
        byte[] dst = LocalAddresses.normalise(destination.getAddress()).getAddress();
        if (src.length != dst.length) throw new IllegalArgumentException("addresses of two families: " + source + " -> " + destination);
        boolean v4 = src.length == 4;
        int ip = v4 ? V4_HEADER : V6_HEADER;
        int udpLength = UDP_HEADER + len;
        if (v4) {
            buf[0] = 0x45;
            buf[1] = 0;
            put16(V4_TOTAL_LENGTH, ip + udpLength);
            put16(V4_IDENTIFICATION, identification++ & 0xffff);
            put16(V4_FLAGS, DONT_FRAGMENT);
            buf[V4_TTL] = TTL;
            buf[V4_PROTOCOL] = PROTOCOL_UDP;
            put16(V4_CHECKSUM, 0);
            System.arraycopy(src, 0, buf, V4_SOURCE, 4);
            System.arraycopy(dst, 0, buf, V4_DESTINATION, 4);
            put16(V4_CHECKSUM, ~sum(0, V4_HEADER, 0) & 0xffff);
        } else {
            buf[0] = 0x60;
            buf[1] = 0;
            buf[2] = 0;
            buf[3] = 0;
            put16(V6_PAYLOAD_LENGTH, udpLength);
            buf[V6_NEXT_HEADER] = PROTOCOL_UDP;
            buf[V6_HOP_LIMIT] = TTL;
            System.arraycopy(src, 0, buf, V6_SOURCE, 16);
            System.arraycopy(dst, 0, buf, V6_DESTINATION, 16);
        }
        put16(ip + UDP_SOURCE_PORT, source.getPort());
        put16(ip + UDP_DESTINATION_PORT, destination.getPort());
        put16(ip + UDP_LENGTH, udpLength);
        put16(ip + UDP_CHECKSUM, 0);
        System.arraycopy(payload, off, buf, ip + UDP_HEADER, len);
        // pseudo-header: source, destination, protocol 17, UDP length (RFC 768; RFC 8200 section 8.1)
        int addressAt = v4 ? V4_SOURCE : V6_SOURCE;
        int pseudo = sum(addressAt, 2 * src.length, 0) + PROTOCOL_UDP + udpLength;
        int checksum = ~sum(ip, udpLength, pseudo) & 0xffff;
        put16(ip + UDP_CHECKSUM, checksum == 0 ? 0xffff : checksum); // 0 means "none": sent as all ones (RFC 768)
        length = ip + udpLength;
        return length;
    }

    /** The frame built by the last {@link #wrap}. */
    public byte[] frame() {
        return buf;
    }

    public int length() {
        return length;
    }

    /** RFC 1071 ones' complement sum of 16-bit big-endian words, folded to 16 bits. */
    private int sum(int off, int len, int initial) {
        long s = initial & 0xffffffffL;
        int end = off + len;
        int i = off;
        for (; i + 1 < end; i += 2) s += ((buf[i] & 0xff) << 8) | (buf[i + 1] & 0xff);
        if (i < end) s += (buf[i] & 0xff) << 8;
        while ((s >>> 16) != 0) s = (s & 0xffff) + (s >>> 16);
        return (int) s;
    }

    private void put16(int off, int v) {
        buf[off] = (byte) (v >>> 8);
        buf[off + 1] = (byte) v;
    }
}
