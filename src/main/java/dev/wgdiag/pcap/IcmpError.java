package dev.wgdiag.pcap;

import dev.wgdiag.net.Endpoint;

/**
 * An ICMP or ICMPv6 error that quotes a UDP datagram: a mutable flyweight refilled for each one and
 * valid only during {@link IcmpHandler#onIcmpError}. The quoted datagram is the one that caused the
 * error, as its sender sent it: {@link #quotedSource()} is the endpoint the error goes back to.
 *
 * <p>Kinds (RFC 792, RFC 1191, RFC 4443):
 * <ul>
 *   <li>{@link #PACKET_TOO_BIG}: IPv4 type 3 code 4 "fragmentation needed and DF set" (next-hop MTU
 *       in bytes 6-7, RFC 1191 section 4) or ICMPv6 type 2 "packet too big" (MTU in bytes 4-7).</li>
 *   <li>{@link #PORT_UNREACHABLE}: IPv4 type 3 code 3, ICMPv6 type 1 code 4: nothing listens (a
 *       NAT with no mapping for the quoted destination says this when it does not drop silently).</li>
 *   <li>{@link #UNREACHABLE}: any other destination unreachable; {@link #TIME_EXCEEDED}: IPv4 type 11, ICMPv6 type 3.</li>
 * </ul>
 */
public final class IcmpError {
    public static final int PACKET_TOO_BIG = 1;
    public static final int PORT_UNREACHABLE = 2;
    public static final int UNREACHABLE = 3;
    public static final int TIME_EXCEEDED = 4;

    long timeNanos;
    int timeDigits;
    long frameNumber;
    int ipVersion;
    int kind;
    int type;
    int code;
    int mtu;
    long reporterHi;
    long reporterLo;
    long srcHi;
    long srcLo;
    long dstHi;
    long dstLo;
    int srcPort;
    int dstPort;
    int quotedLength;

    /** A copy that outlives the handler call (the reader thread queues one: {@link DatagramBatch}). */
    IcmpError copy() {
        IcmpError c = new IcmpError();
        c.timeNanos = timeNanos;
        c.timeDigits = timeDigits;
        c.frameNumber = frameNumber;
        c.ipVersion = ipVersion;
        c.kind = kind;
        c.type = type;
        c.code = code;
        c.mtu = mtu;
        c.reporterHi = reporterHi;
        c.reporterLo = reporterLo;
        c.srcHi = srcHi;
        c.srcLo = srcLo;
        c.dstHi = dstHi;
        c.dstLo = dstLo;
        c.srcPort = srcPort;
        c.dstPort = dstPort;
        c.quotedLength = quotedLength;
        return c;
    }

    public long timeNanos() { return timeNanos; }

    public int timeDigits() { return timeDigits; }

    public long frameNumber() { return frameNumber; }

    public int ipVersion() { return ipVersion; }

    /** One of {@link #PACKET_TOO_BIG}, {@link #PORT_UNREACHABLE}, {@link #UNREACHABLE}, {@link #TIME_EXCEEDED}. */
    public int kind() { return kind; }

    public int type() { return type; }

    public int code() { return code; }

    /** The next-hop MTU of a {@link #PACKET_TOO_BIG}, else 0 (0 also when an old router did not say). */
    public int mtu() { return mtu; }

    /** Who sent the error (a router on the path, the NAT, or the destination host). */
    public String reporter() { return dev.wgdiag.net.IpAddresses.format(ipVersion, reporterHi, reporterLo); }

    /** The quoted datagram's source: the endpoint whose packet was refused. */
    public Endpoint quotedSource() { return Endpoint.of(ipVersion, srcHi, srcLo, srcPort); }

    public Endpoint quotedDestination() { return Endpoint.of(ipVersion, dstHi, dstLo, dstPort); }

    /** The quoted IP packet's total length on the wire (IPv4 total length; IPv6 40 + payload length). */
    public int quotedLength() { return quotedLength; }

    public String kindName() {
        return switch (kind) {
            case PACKET_TOO_BIG -> "packet too big";
            case PORT_UNREACHABLE -> "port unreachable";
            case TIME_EXCEEDED -> "time exceeded";
            default -> "unreachable";
        };
    }
}
