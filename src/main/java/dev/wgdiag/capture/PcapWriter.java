package dev.wgdiag.capture;

import static dev.wgdiag.pcap.PcapFormat.PCAP_MAGIC_NANO;
import static dev.wgdiag.pcap.PcapFormat.PCAP_RECORD_HEADER_SIZE;
import static dev.wgdiag.pcap.PcapFormat.PCAP_VERSION_MAJOR;
import static dev.wgdiag.pcap.PcapFormat.PCAP_VERSION_MINOR;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * Classic libpcap file with nanosecond timestamps, written in the host's byte order (little-endian
 * here) as libpcap does.
 *
 * <pre>
 * File header (24 bytes)                    Record header (16 bytes) + captured bytes
 *  +---------------------------+  0          +---------------------------+  0
 *  |  magic 0xa1b23c4d (ns)    |             |  ts seconds               |
 *  +-------------+-------------+  4          +---------------------------+  4
 *  | major 2     | minor 4     |             |  ts nanoseconds           |
 *  +-------------+-------------+  8          +---------------------------+  8
 *  |  thiszone 0               |             |  captured length          |
 *  +---------------------------+ 12          +---------------------------+ 12
 *  |  sigfigs 0                |             |  original length          |
 *  +---------------------------+ 16          +---------------------------+ 16
 *  |  snaplen                  |             |  packet data ...          |
 *  +---------------------------+ 20
 *  |  link type (LINKTYPE_*)   |
 *  +---------------------------+ 24
 * </pre>
 * Layout from the pcap file format (draft-ietf-opsawg-pcap, sections 4 and 5; 0xa1b23c4d is the
 * nanosecond-resolution magic); the numbers are {@link dev.wgdiag.pcap.PcapFormat}'s.
 */
public final class PcapWriter extends CaptureFileWriter {
    public PcapWriter(Path path, int linkType, int snaplen) throws IOException {
        this(path, linkType, snaplen, null);
    }

    PcapWriter(Path path, int linkType, int snaplen, ByteBuffer reuse) throws IOException {
        super(path, ByteOrder.LITTLE_ENDIAN, reuse);
        buf.putInt(PCAP_MAGIC_NANO);
        buf.putShort((short) PCAP_VERSION_MAJOR);
        buf.putShort((short) PCAP_VERSION_MINOR);
        buf.putInt(0);
        buf.putInt(0);
        buf.putInt(snaplen);
        buf.putInt(linkType);
        endRecord();
        flush();
    }

    @Override
    protected int recordSize(int capLen) {
        return PCAP_RECORD_HEADER_SIZE + capLen;
    }

    @Override
    protected void putRecord(long timeNanos, byte[] data, int off, int capLen, int origLen) {
        buf.putInt((int) Math.floorDiv(timeNanos, 1_000_000_000L));
        buf.putInt((int) Math.floorMod(timeNanos, 1_000_000_000L));
        buf.putInt(capLen);
        buf.putInt(origLen);
        buf.put(data, off, capLen);
    }
}
