package dev.wgdiag.pcap;

import dev.wgdiag.net.Endpoint;

/**
 * One UDP datagram as read from a capture: a mutable flyweight that the reader refills for every
 * datagram and hands to a {@link DatagramHandler}. It is valid only during that call; a handler that
 * keeps anything copies the primitive fields (or calls {@link #source()} / {@link #destination()}).
 *
 * <p>The payload is {@code payloadCaptured} bytes of {@code buffer} starting at {@code payloadOffset};
 * {@code payloadLength} is the length the UDP header claims (what was on the wire), which is larger
 * than {@code payloadCaptured} when the capture's snaplen cut the frame.
 *
 * <p>Times are nanoseconds since the Unix epoch; {@code timeDigits} says how many fractional digits
 * of a second the capture really holds (6 for microsecond pcap, 9 for nanosecond pcap, the
 * interface's {@code if_tsresol} for pcapng), so output can keep the capture's full precision.
 */
public final class Datagram {
    long timeNanos;
    int timeDigits;
    long frameNumber;
    int interfaceId;
    int linkType;
    int ipVersion;
    long srcHi;
    long srcLo;
    long dstHi;
    long dstLo;
    int srcPort;
    int dstPort;
    byte[] buffer;
    int payloadOffset;
    int payloadCaptured;
    int payloadLength;
    boolean reassembled;

    /** Package-private: only readers fill it. Tests and other sources use {@link #set}. */
    public Datagram() {
    }

    /** Fills every field at once (for readers outside this package, e.g. live capture, and tests). */
    public Datagram set(long timeNanos, int timeDigits, long frameNumber, int ipVersion,
                        long srcHi, long srcLo, int srcPort, long dstHi, long dstLo, int dstPort,
                        byte[] buffer, int payloadOffset, int payloadCaptured, int payloadLength) {
        this.timeNanos = timeNanos;
        this.timeDigits = timeDigits;
        this.frameNumber = frameNumber;
        this.interfaceId = 0;
        this.linkType = -1;
        this.ipVersion = ipVersion;
        this.srcHi = srcHi;
        this.srcLo = srcLo;
        this.srcPort = srcPort;
        this.dstHi = dstHi;
        this.dstLo = dstLo;
        this.dstPort = dstPort;
        this.buffer = buffer;
        this.payloadOffset = payloadOffset;
        this.payloadCaptured = payloadCaptured;
        this.payloadLength = payloadLength;
        this.reassembled = false;
        return this;
    }

    /** Nanoseconds since the Unix epoch. */
    public long timeNanos() { return timeNanos; }

    /** Fractional digits of a second the capture holds for this packet (0..9). */
    public int timeDigits() { return timeDigits; }

    /** 1-based number of the frame that completed this datagram (the last fragment when reassembled), as tshark counts. */
    public long frameNumber() { return frameNumber; }

    public int interfaceId() { return interfaceId; }

    /** LINKTYPE_ value of the frame's link layer, or -1 when unknown. */
    public int linkType() { return linkType; }

    public int ipVersion() { return ipVersion; }

    public long srcHi() { return srcHi; }

    public long srcLo() { return srcLo; }

    public long dstHi() { return dstHi; }

    public long dstLo() { return dstLo; }

    public int srcPort() { return srcPort; }

    public int dstPort() { return dstPort; }

    public byte[] buffer() { return buffer; }

    public int payloadOffset() { return payloadOffset; }

    /** Bytes of payload present in {@link #buffer()} (less than {@link #payloadLength()} when cut by snaplen). */
    public int payloadCaptured() { return payloadCaptured; }

    /** UDP payload length on the wire (UDP length field minus 8). */
    public int payloadLength() { return payloadLength; }

    /** True when this datagram was put together from IP fragments. */
    public boolean reassembled() { return reassembled; }

    public Endpoint source() { return Endpoint.of(ipVersion, srcHi, srcLo, srcPort); }

    public Endpoint destination() { return Endpoint.of(ipVersion, dstHi, dstLo, dstPort); }
}
