package dev.wgdiag.pcap;

import static dev.wgdiag.wire.Endian.be16;
import static dev.wgdiag.wire.Endian.be32;
import static dev.wgdiag.wire.Endian.be64;
import static dev.wgdiag.wire.Endian.le32;

import dev.wgdiag.wire.Datagram;
import dev.wgdiag.wire.DatagramHandler;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Decodes one captured frame down to UDP and hands the datagram to the handler. The format readers
 * set the per-frame fields ({@link #time}, {@link #timeDigits}, {@link #frameNumber},
 * {@link #interfaceId}) and call {@link #decode}. No allocation per frame.
 *
 * <pre>
 * Ethernet (LINKTYPE_ETHERNET 1)         Linux cooked v1 (113)          Linux cooked v2 (276)
 *  0      6      12   14                  0    2    4    6      14  16   0    2    4       8  10 11 12  20
 * +------+------+----+---------           +----+----+----+------+---+    +----+----+-------+--+--+--+---+
 * | dst  | src  |type| [802.1Q tag 4]...  |pkt |hw  |alen| addr |pro|    |pro |rsv | ifidx |hw|pk|al|adr|
 * +------+------+----+---------           +----+----+----+------+---+    +----+----+-------+--+--+--+---+
 * BSD NULL (0): 4-byte address family in the capturing host's byte order; LOOP (108): network order.
 * Raw IP (101, and DLT 12/14): IP version in the first nibble; 228 IPv4 only, 229 IPv6 only.
 * </pre>
 * Link-type numbers: tcpdump.org linktypes.html; NULL/LOOP families: AF_INET 2, AF_INET6 24
 * (NetBSD/OpenBSD), 28 (FreeBSD), 30 (Darwin), as listed there.
 */
final class PacketDecoder {
    static final int LINKTYPE_NULL = 0;
    static final int LINKTYPE_ETHERNET = 1;
    static final int DLT_RAW_12 = 12;
    static final int DLT_RAW_14 = 14;
    static final int LINKTYPE_RAW = 101;
    static final int LINKTYPE_LOOP = 108;
    static final int LINKTYPE_LINUX_SLL = 113;
    static final int LINKTYPE_IPV4 = 228;
    static final int LINKTYPE_IPV6 = 229;
    static final int LINKTYPE_LINUX_SLL2 = 276;

    static final int ETHERTYPE_IPV4 = 0x0800;
    static final int ETHERTYPE_IPV6 = 0x86dd;
    static final int ETHERTYPE_VLAN = 0x8100;   // IEEE 802.1Q
    static final int ETHERTYPE_QINQ = 0x88a8;   // IEEE 802.1ad
    static final int ETHERTYPE_QINQ_OLD = 0x9100;

    static final int IPPROTO_HOPOPTS = 0;
    static final int IPPROTO_ICMP = 1;
    static final int IPPROTO_ICMPV6 = 58;
    static final int IPPROTO_UDP = 17;
    static final int IPPROTO_ROUTING = 43;
    static final int IPPROTO_FRAGMENT = 44;
    static final int IPPROTO_AH = 51;
    static final int IPPROTO_DSTOPTS = 60;

    private static final int UDP_HEADER = 8;

    // skip reasons (indices into skipped[])
    static final int SKIP_NOT_IP = 0;
    static final int SKIP_NOT_UDP = 1;
    static final int SKIP_CUT = 2;
    static final int SKIP_MALFORMED = 3;
    static final int SKIP_BAD_FRAGMENT = 4;
    static final int SKIP_NOT_PACKET = 5;
    private static final String[] SKIP_NAMES = {
            "not IP", "not UDP", "headers cut by snaplen", "malformed IP or UDP header",
            "IP fragment beyond 64 KiB", "not a packet (pcapng custom or journal block)"};

    private final Datagram d = new Datagram();
    private final DatagramHandler handler;
    private final IcmpHandler icmpHandler;
    private final IcmpError icmp = new IcmpError();
    private final FragmentTable fragments;
    private final long[] skipped = new long[SKIP_NAMES.length];
    private final Map<Integer, Long> unsupportedLinkTypes = new LinkedHashMap<>();
    long datagrams;
    /** Datagrams reassembled from overlapping fragments that disagreed (delivered with the first bytes). */
    long conflicting;

    // per-frame context, set by the format reader
    long time;
    int timeDigits;
    long frameNumber;
    int interfaceId;

    PacketDecoder(DatagramHandler handler, CaptureOptions options) {
        this.handler = handler;
        this.icmpHandler = options.icmpHandler();
        this.fragments = new FragmentTable(options.maxPendingReassemblies(), options.reassemblyTimeoutNanos());
    }

    static boolean supported(int linkType) {
        switch (linkType) {
            case LINKTYPE_NULL, LINKTYPE_ETHERNET, DLT_RAW_12, DLT_RAW_14, LINKTYPE_RAW, LINKTYPE_LOOP,
                    LINKTYPE_LINUX_SLL, LINKTYPE_IPV4, LINKTYPE_IPV6, LINKTYPE_LINUX_SLL2:
                return true;
            default:
                return false;
        }
    }

    /** Counts a frame of a link type this reader does not decode. */
    void unsupported(int linkType) {
        unsupportedLinkTypes.merge(linkType, 1L, Long::sum);
    }

    /** Counts a record that has a frame number but is no packet. */
    void notPacket() {
        skipped[SKIP_NOT_PACKET]++;
    }

    /** Decodes the frame b[off, off+len) of the given link type. */
    void decode(int linkType, byte[] b, int off, int len) {
        int end = off + len;
        int p;
        int type;
        switch (linkType) {
            case LINKTYPE_ETHERNET:
                if (len < 14) {
                    skipped[SKIP_CUT]++;
                    return;
                }
                type = be16(b, off + 12);
                p = off + 14;
                break;
            case LINKTYPE_RAW, DLT_RAW_12, DLT_RAW_14:
                if (len < 1) {
                    skipped[SKIP_CUT]++;
                    return;
                }
                int v = (b[off] & 0xff) >>> 4;
                if (v == 4) {
                    ipv4(b, off, end);
                } else if (v == 6) {
                    ipv6(b, off, end);
                } else {
                    skipped[SKIP_NOT_IP]++;
                }
                return;
            case LINKTYPE_IPV4:
                ipv4(b, off, end);
                return;
            case LINKTYPE_IPV6:
                ipv6(b, off, end);
                return;
            case LINKTYPE_LINUX_SLL:
                if (len < 16) {
                    skipped[SKIP_CUT]++;
                    return;
                }
                type = be16(b, off + 14);
                p = off + 16;
                break;
            case LINKTYPE_LINUX_SLL2:
                if (len < 20) {
                    skipped[SKIP_CUT]++;
                    return;
                }
                type = be16(b, off);
                p = off + 20;
                break;
            case LINKTYPE_NULL, LINKTYPE_LOOP: {
                if (len < 4) {
                    skipped[SKIP_CUT]++;
                    return;
                }
                int family;
                if (linkType == LINKTYPE_LOOP) {
                    family = be32(b, off);
                } else {
                    // host byte order of the capturing machine: whichever order gives a small number
                    family = le32(b, off);
                    if ((family & 0xffff0000) != 0) family = Integer.reverseBytes(family);
                }
                if (family == 2) {
                    ipv4(b, off + 4, end);
                } else if (family == 24 || family == 28 || family == 30) {
                    ipv6(b, off + 4, end);
                } else {
                    skipped[SKIP_NOT_IP]++;
                }
                return;
            }
            default:
                unsupported(linkType);
                return;
        }
        // Ethernet-style type field, possibly behind VLAN tags
        while (type == ETHERTYPE_VLAN || type == ETHERTYPE_QINQ || type == ETHERTYPE_QINQ_OLD) {
            if (end - p < 4) {
                skipped[SKIP_CUT]++;
                return;
            }
            type = be16(b, p + 2);
            p += 4;
        }
        if (type == ETHERTYPE_IPV4) {
            ipv4(b, p, end);
        } else if (type == ETHERTYPE_IPV6) {
            ipv6(b, p, end);
        } else {
            skipped[SKIP_NOT_IP]++;
        }
    }

    /**
     * IPv4 (RFC 791).
     * <pre>
     *  0       4       8              16  19                   31
     * +-------+-------+---------------+---+--------------------+
     * |version|  IHL  |     TOS       |      total length      |
     * |      identification           |flg|  fragment offset   |
     * |     TTL       |   protocol    |    header checksum     |
     * |                      source address                    |   12
     * |                   destination address                  |   16
     * |                 options (IHL*4 - 20 bytes)             |
     * </pre>
     */
    private void ipv4(byte[] b, int p, int end) {
        if (end - p < 20) {
            skipped[SKIP_CUT]++;
            return;
        }
        int vihl = b[p] & 0xff;
        int hl = (vihl & 0x0f) << 2;
        int total = be16(b, p + 2);
        if ((vihl >>> 4) != 4 || hl < 20 || total < hl) {
            skipped[SKIP_MALFORMED]++;
            return;
        }
        if ((b[p + 9] & 0xff) != IPPROTO_UDP) {
            if ((b[p + 9] & 0xff) == IPPROTO_ICMP && icmpHandler != null && (be16(b, p + 6) & 0x1fff) == 0
                    && icmp4(b, p + hl, Math.min(end, p + total), be32(b, p + 12) & 0xffffffffL)) {
                return;
            }
            skipped[SKIP_NOT_UDP]++;
            return;
        }
        if (end - p < hl) {
            skipped[SKIP_CUT]++;
            return;
        }
        long src = be32(b, p + 12) & 0xffffffffL;
        long dst = be32(b, p + 16) & 0xffffffffL;
        int capEnd = Math.min(end, p + total);
        int frag = be16(b, p + 6);
        int start = p + hl;
        int wireLen = total - hl;
        if ((frag & 0x3fff) != 0) {                  // MF set or offset non-zero
            fragment(4, 0, src, 0, dst, be16(b, p + 4), (frag & 0x1fff) << 3, (frag & 0x2000) != 0,
                    b, start, wireLen, capEnd - start);
            return;
        }
        udp(4, 0, src, 0, dst, b, start, capEnd, wireLen, false);
    }

    /**
     * IPv6 (RFC 8200): 40-byte header, then a chain of extension headers.
     * <pre>
     *  0        4          12                     31
     * +--------+-----------+-----------------------+
     * |version | class     |      flow label       |
     * |    payload length  | next hdr | hop limit  |    4
     * |        source address (16 bytes)           |    8
     * |      destination address (16 bytes)        |   24
     * </pre>
     */
    private void ipv6(byte[] b, int p, int end) {
        if (end - p < 40) {
            skipped[SKIP_CUT]++;
            return;
        }
        if (((b[p] & 0xff) >>> 4) != 6) {
            skipped[SKIP_MALFORMED]++;
            return;
        }
        int plen = be16(b, p + 4);
        int nh = b[p + 6] & 0xff;
        long srcHi = be64(b, p + 8);
        long srcLo = be64(b, p + 16);
        long dstHi = be64(b, p + 24);
        long dstLo = be64(b, p + 32);
        int payloadStart = p + 40;
        int wireEnd = plen == 0 ? end : payloadStart + plen;   // 0: jumbogram, length in hop-by-hop option
        int q = payloadStart;
        while (true) {
            switch (nh) {
                case IPPROTO_UDP: {
                    int capEnd = Math.min(end, wireEnd);
                    udp(6, srcHi, srcLo, dstHi, dstLo, b, q, capEnd, wireEnd - q, false);
                    return;
                }
                case IPPROTO_HOPOPTS, IPPROTO_ROUTING, IPPROTO_DSTOPTS, IPPROTO_AH: {
                    if (end - q < 8) {
                        skipped[SKIP_CUT]++;
                        return;
                    }
                    int hlen = nh == IPPROTO_AH ? ((b[q + 1] & 0xff) + 2) << 2 : ((b[q + 1] & 0xff) + 1) << 3;
                    if (nh == IPPROTO_HOPOPTS && plen == 0) {
                        int jumbo = jumboLength(b, q, Math.min(end, q + hlen));
                        if (jumbo > 0) wireEnd = payloadStart + jumbo;
                    }
                    nh = b[q] & 0xff;
                    q += hlen;
                    if (q > wireEnd) {
                        skipped[SKIP_MALFORMED]++;
                        return;
                    }
                    break;
                }
                case IPPROTO_FRAGMENT: {
                    // next header(1) reserved(1) offset:13|res:2|M:1 (2) identification(4)
                    if (end - q < 8) {
                        skipped[SKIP_CUT]++;
                        return;
                    }
                    int next = b[q] & 0xff;
                    int fo = be16(b, q + 2);
                    int id = be32(b, q + 4);
                    q += 8;
                    if (next != IPPROTO_UDP) {
                        // Only UDP directly after the fragment header is reassembled (the usual layout).
                        skipped[SKIP_NOT_UDP]++;
                        return;
                    }
                    int capEnd = Math.min(end, wireEnd);
                    fragment(6, srcHi, srcLo, dstHi, dstLo, id, fo & 0xfff8, (fo & 1) != 0,
                            b, q, wireEnd - q, capEnd - q);
                    return;
                }
                default:
                    if (nh == IPPROTO_ICMPV6 && icmpHandler != null && icmp6(b, q, Math.min(end, wireEnd), srcHi, srcLo)) {
                        return;
                    }
                    skipped[SKIP_NOT_UDP]++;          // other ICMPv6, TCP, ESP, no next header (59), ...
                    return;
            }
        }
    }

    /**
     * An ICMP error quoting UDP (RFC 792: type, code, checksum, 4 bytes, then the quoted IP header and
     * at least 8 bytes of its payload; RFC 1191 section 4: the next-hop MTU in bytes 6-7 of type 3
     * code 4). Returns false when it is not one (then it counts as "not UDP").
     */
    private boolean icmp4(byte[] b, int q, int end, long reporter) {
        if (end - q < 8 + 20 + 8) return false;
        int type = b[q] & 0xff;
        int code = b[q + 1] & 0xff;
        if (type != 3 && type != 11) return false;
        int ip = q + 8;
        int hl = (b[ip] & 0x0f) << 2;
        if ((b[ip] & 0xff) >>> 4 != 4 || (b[ip + 9] & 0xff) != IPPROTO_UDP || hl < 20 || end - ip < hl + 8) return false;
        IcmpError e = icmp;
        e.kind = type == 11 ? IcmpError.TIME_EXCEEDED
                : code == 4 ? IcmpError.PACKET_TOO_BIG : code == 3 ? IcmpError.PORT_UNREACHABLE : IcmpError.UNREACHABLE;
        e.mtu = e.kind == IcmpError.PACKET_TOO_BIG ? be16(b, q + 6) : 0;
        deliverIcmp(4, type, code, 0, reporter, 0, be32(b, ip + 12) & 0xffffffffL, 0, be32(b, ip + 16) & 0xffffffffL,
                be16(b, ip + hl), be16(b, ip + hl + 2), be16(b, ip + 2));
        return true;
    }

    /**
     * An ICMPv6 error quoting UDP (RFC 4443: type 1 unreachable, code 4 port; type 2 packet too big
     * with the MTU in bytes 4-7; type 3 time exceeded; the invoking packet from byte 8). Only UDP
     * right after the quoted IPv6 header is read.
     */
    private boolean icmp6(byte[] b, int q, int end, long reporterHi, long reporterLo) {
        if (end - q < 8 + 40 + 8) return false;
        int type = b[q] & 0xff;
        int code = b[q + 1] & 0xff;
        if (type < 1 || type > 3) return false;
        int ip = q + 8;
        if ((b[ip] & 0xff) >>> 4 != 6 || (b[ip + 6] & 0xff) != IPPROTO_UDP) return false;
        IcmpError e = icmp;
        e.kind = type == 2 ? IcmpError.PACKET_TOO_BIG : type == 3 ? IcmpError.TIME_EXCEEDED
                : code == 4 ? IcmpError.PORT_UNREACHABLE : IcmpError.UNREACHABLE;
        e.mtu = type == 2 ? be32(b, q + 4) : 0;
        deliverIcmp(6, type, code, reporterHi, reporterLo, be64(b, ip + 8), be64(b, ip + 16), be64(b, ip + 24),
                be64(b, ip + 32), be16(b, ip + 40), be16(b, ip + 42), 40 + be16(b, ip + 4));
        return true;
    }

    private void deliverIcmp(int version, int type, int code, long reporterHi, long reporterLo, long srcHi, long srcLo,
                             long dstHi, long dstLo, int srcPort, int dstPort, int quotedLength) {
        IcmpError e = icmp;
        e.timeNanos = time;
        e.timeDigits = timeDigits;
        e.frameNumber = frameNumber;
        e.ipVersion = version;
        e.type = type;
        e.code = code;
        e.reporterHi = reporterHi;
        e.reporterLo = reporterLo;
        e.srcHi = srcHi;
        e.srcLo = srcLo;
        e.dstHi = dstHi;
        e.dstLo = dstLo;
        e.srcPort = srcPort;
        e.dstPort = dstPort;
        e.quotedLength = quotedLength;
        icmpHandler.onIcmpError(e);
    }

    /** Jumbo Payload option (RFC 2675: type 0xC2, length 4) in a hop-by-hop header, or -1. */
    private static int jumboLength(byte[] b, int q, int end) {
        int o = q + 2;
        while (o + 2 <= end) {
            int t = b[o] & 0xff;
            if (t == 0) {                             // Pad1
                o++;
                continue;
            }
            int l = b[o + 1] & 0xff;
            if (t == 0xc2 && l == 4 && o + 6 <= end) {
                return be32(b, o + 2);
            }
            o += 2 + l;
        }
        return -1;
    }

    private void fragment(int version, long srcHi, long srcLo, long dstHi, long dstLo, int id, int offset,
                          boolean more, byte[] b, int start, int wireLen, int capLen) {
        boolean cutFirst = offset == 0 && capLen < wireLen;
        if (cutFirst) {
            // A first fragment cut by the snaplen cannot be reassembled byte for byte; what is knowable
            // (UDP header, start of the payload) is delivered now, at this frame, as tshark does for IPv4.
            udp(version, srcHi, srcLo, dstHi, dstLo, b, start, start + Math.max(capLen, 0), wireLen, false);
        }
        FragmentTable.Entry e = fragments.add(version, srcHi, srcLo, dstHi, dstLo, id, time, offset, more,
                b, start, wireLen, capLen, cutFirst);
        if (e == null) {
            if (wireLen < 0 || wireLen > FragmentTable.MAX_PAYLOAD - offset) skipped[SKIP_BAD_FRAGMENT]++;
            return;
        }
        if (e.conflicting) conflicting++;
        if (e.delivered) {                          // its first fragment was delivered already
            fragments.release(e);
            return;
        }
        try {
            udp(version, srcHi, srcLo, dstHi, dstLo, e.data, 0, e.capturedPrefix, e.total, true);
        } finally {
            fragments.release(e);
        }
    }

    /**
     * UDP (RFC 768): source port, destination port, length, checksum, each 16 bits, then the payload.
     *
     * @param u       offset of the UDP header
     * @param capEnd  end of the captured bytes of this IP payload
     * @param ipLen   IP payload length on the wire (for UDP length 0, RFC 2675 jumbograms)
     */
    private void udp(int version, long srcHi, long srcLo, long dstHi, long dstLo, byte[] b, int u, int capEnd,
                     int ipLen, boolean reassembled) {
        if (capEnd - u < UDP_HEADER) {
            skipped[SKIP_CUT]++;
            return;
        }
        int ulen = be16(b, u + 4);
        int payloadLength = (ulen == 0 ? ipLen : ulen) - UDP_HEADER;
        if (payloadLength < 0) {
            skipped[SKIP_MALFORMED]++;
            return;
        }
        Datagram g = d.fill(time, timeDigits, frameNumber, interfaceId, version, srcHi, srcLo, be16(b, u),
                dstHi, dstLo, be16(b, u + 2), b, u + UDP_HEADER, Math.min(capEnd - u - UDP_HEADER, payloadLength),
                payloadLength, reassembled);
        datagrams++;
        handler.onDatagram(g);
    }

    void setLinkType(int linkType) {
        d.linkType(linkType);
    }

    /**
     * One line per kind of data dropped that could have held WireGuard (fragments lost to the
     * reassembly bounds, malformed or cut headers, unsupported link types) and per conflicting
     * reassembly, each prefixed with {@code name}. Frames that are simply not UDP are no news.
     */
    java.util.List<String> dropWarnings(String name) {
        java.util.List<String> w = new java.util.ArrayList<>();
        long pending = fragments.pendingFrames();
        if (pending > 0) {
            w.add(name + ": " + pending + " IP fragments never completed their datagram; those datagrams are not analysed");
        }
        if (fragments.droppedTimeoutFrames() > 0) {
            w.add(name + ": " + fragments.droppedTimeoutFrames() + " IP fragments dropped: their datagram was not complete within "
                    + fragments.timeoutSeconds() + " s of capture time");
        }
        if (fragments.droppedFullFrames() > 0) {
            w.add(name + ": " + fragments.droppedFullFrames() + " IP fragments dropped: more than " + fragments.capacity()
                    + " datagrams awaited fragments at once (the oldest is given up)");
        }
        if (skipped[SKIP_BAD_FRAGMENT] > 0) {
            w.add(name + ": " + skipped[SKIP_BAD_FRAGMENT] + " IP fragments reaching beyond 64 KiB dropped");
        }
        if (conflicting > 0) {
            w.add(name + ": " + conflicting + " datagrams reassembled from overlapping IP fragments that disagree; the bytes "
                    + "that came first are used (as tshark does), a receiver would have dropped them (RFC 5722)");
        }
        if (skipped[SKIP_MALFORMED] > 0) {
            w.add(name + ": " + skipped[SKIP_MALFORMED] + " frames with a malformed IP or UDP header skipped");
        }
        if (skipped[SKIP_CUT] > 0) {
            w.add(name + ": " + skipped[SKIP_CUT] + " frames too short for their link, IP or UDP header skipped");
        }
        unsupportedLinkTypes.forEach((lt, n) ->
                w.add(name + ": " + n + " frames of link type " + lt + " skipped (not a link type wgdiag decodes)"));
        return w;
    }

    /** Skip counts by reason, for CaptureStats (fragments still pending are counted here, once, at the end). */
    Map<String, Long> skipped() {
        Map<String, Long> m = new LinkedHashMap<>();
        for (int i = 0; i < skipped.length; i++) {
            if (skipped[i] > 0) m.put(SKIP_NAMES[i], skipped[i]);
        }
        unsupportedLinkTypes.forEach((lt, n) -> m.put("unsupported link type " + lt, n));
        if (fragments.droppedTimeoutFrames() > 0) {
            m.put("IP fragments timed out before reassembly", fragments.droppedTimeoutFrames());
        }
        if (fragments.droppedFullFrames() > 0) {
            m.put("IP fragments dropped (too many pending reassemblies)", fragments.droppedFullFrames());
        }
        long pending = fragments.pendingFrames();
        if (pending > 0) {
            m.put("IP fragments never completed", pending);
        }
        return m;
    }
}
