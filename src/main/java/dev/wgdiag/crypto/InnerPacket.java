package dev.wgdiag.crypto;

import dev.wgdiag.net.IpAddresses;

/**
 * What a decrypted transport packet is, without its payload: IP version, protocol, inner addresses,
 * ports, ICMP echo identifier and sequence. Fields that do not apply are -1.
 *
 * <pre>
 * IPv4 (RFC 791): 0 ver|ihl, 2 total length BE, 9 protocol, 12 source, 16 destination, 4*ihl payload
 * IPv6 (RFC 8200): 0 ver, 4 payload length BE, 6 next header, 8 source, 24 destination, 40 payload
 * ICMP echo (RFC 792 / RFC 4443): 0 type, 1 code, 4 identifier BE, 6 sequence BE
 * TCP/UDP: 0 source port BE, 2 destination port BE
 * </pre>
 */
public record InnerPacket(int ipVersion, int protocol, String source, String destination, int length,
        int icmpType, int icmpCode, int echoIdentifier, int echoSequence, int sourcePort, int destinationPort) {

    public static final int PROTO_ICMP = 1;
    public static final int PROTO_TCP = 6;
    public static final int PROTO_UDP = 17;
    public static final int PROTO_ICMPV6 = 58;

    /** A keepalive: an empty transport payload. */
    public static final InnerPacket EMPTY = new InnerPacket(0, -1, null, null, 0, -1, -1, -1, -1, -1, -1);

    /** Classifies {@code buf[off..off+len)} (zero padding after the IP packet is allowed); null if not IP. */
    public static InnerPacket classify(byte[] buf, int off, int len) {
        if (len == 0) {
            return EMPTY;
        }
        int version = (buf[off] & 0xff) >>> 4;
        if (version == 4 && len >= 20) {
            int ihl = (buf[off] & 0x0f) * 4;
            int total = u16(buf, off + 2);
            int proto = buf[off + 9] & 0xff;
            String src = IpAddresses.format(4, 0, u32(buf, off + 12));
            String dst = IpAddresses.format(4, 0, u32(buf, off + 16));
            boolean firstFragment = (u16(buf, off + 6) & 0x1fff) == 0;
            return transport(4, proto, src, dst, total, buf, off + ihl, firstFragment ? Math.min(len, total) - ihl : 0,
                    PROTO_ICMP, 8, 0);
        }
        if (version == 6 && len >= 40) {
            int total = 40 + u16(buf, off + 4);
            int next = buf[off + 6] & 0xff;
            String src = IpAddresses.format(6, u64(buf, off + 8), u64(buf, off + 16));
            String dst = IpAddresses.format(6, u64(buf, off + 24), u64(buf, off + 32));
            return transport(6, next, src, dst, total, buf, off + 40, Math.min(len, total) - 40, PROTO_ICMPV6, 128, 129);
        }
        return null;
    }

    private static InnerPacket transport(int v, int proto, String src, String dst, int total, byte[] b, int at, int avail,
            int icmpProto, int echoRequest, int echoReply) {
        if (proto == icmpProto && avail >= 8) {
            int type = b[at] & 0xff;
            int code = b[at + 1] & 0xff;
            boolean echo = type == echoRequest || type == echoReply;
            return new InnerPacket(v, proto, src, dst, total, type, code, echo ? u16(b, at + 4) : -1,
                    echo ? u16(b, at + 6) : -1, -1, -1);
        }
        if ((proto == PROTO_TCP || proto == PROTO_UDP) && avail >= 4) {
            return new InnerPacket(v, proto, src, dst, total, -1, -1, -1, -1, u16(b, at), u16(b, at + 2));
        }
        return new InnerPacket(v, proto, src, dst, total, -1, -1, -1, -1, -1, -1);
    }

    public boolean isEchoRequest() {
        return (ipVersion == 4 && icmpType == 8) || (ipVersion == 6 && icmpType == 128);
    }

    public boolean isEchoReply() {
        return (ipVersion == 4 && protocol == PROTO_ICMP && icmpType == 0) || (ipVersion == 6 && icmpType == 129);
    }

    private static int u16(byte[] b, int off) {
        return (b[off] & 0xff) << 8 | (b[off + 1] & 0xff);
    }

    private static long u32(byte[] b, int off) {
        return ((long) u16(b, off) << 16) | u16(b, off + 2);
    }

    private static long u64(byte[] b, int off) {
        return (u32(b, off) << 32) | u32(b, off + 4);
    }
}
