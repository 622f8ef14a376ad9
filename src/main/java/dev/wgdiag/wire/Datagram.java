package dev.wgdiag.wire;

import dev.wgdiag.net.Endpoint;

/**
 * One UDP datagram as read from a capture: a mutable flyweight that the reader refills for every
 * datagram and hands to a {@link DatagramHandler}. It lives in {@code wire}, which decodes it, so that
 * {@code wire} needs no capture reader; {@code pcap} (files) and {@code capture} (live) produce it. It is valid only during that call; a handler that
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
    private long timeNanos;
    private int timeDigits;
    private long frameNumber;
    private int interfaceId;
    private int linkType;
    private int ipVersion;
    private long srcHi;
    private long srcLo;
    private long dstHi;
    private long dstLo;
    private int srcPort;
    private int dstPort;
    private byte[] buffer;
    private int payloadOffset;
    private int payloadCaptured;
    private int payloadLength;
    private boolean reassembled;

    /** Empty; a reader fills it with {@link #fill} per datagram, other sources and tests with {@link #set}. */
    public Datagram() {
    }

    /**
     * Fills every field at once, interface 0, link type unknown, not reassembled (for sources without
     * those, e.g. live capture, and tests).
     */
    public Datagram set(long timeNanos, int timeDigits, long frameNumber, int ipVersion,
                        long srcHi, long srcLo, int srcPort, long dstHi, long dstLo, int dstPort,
                        byte[] buffer, int payloadOffset, int payloadCaptured, int payloadLength) {
        this.linkType = -1;
        return fill(timeNanos, timeDigits, frameNumber, 0, ipVersion, srcHi, srcLo, srcPort, dstHi, dstLo, dstPort,
                buffer, payloadOffset, payloadCaptured, payloadLength, false);
    }

    /** Fills every field but the link type (the capture reader's per-datagram refill; see {@link #linkType(int)}). */
    public Datagram fill(long timeNanos, int timeDigits, long frameNumber, int interfaceId, int ipVersion,
                         long srcHi, long srcLo, int srcPort, long dstHi, long dstLo, int dstPort,
                         byte[] buffer, int payloadOffset, int payloadCaptured, int payloadLength, boolean reassembled) {
        this.timeNanos = timeNanos;
        this.timeDigits = timeDigits;
        this.frameNumber = frameNumber;
        this.interfaceId = interfaceId;
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
        this.reassembled = reassembled;
        return this;
    }

    /** Sets the LINKTYPE_ value of the frames that follow (-1 when unknown); kept across {@link #fill}. */
    public void linkType(int linkType) {
        this.linkType = linkType;
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
