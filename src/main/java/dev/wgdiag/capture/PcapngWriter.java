package dev.wgdiag.capture;

import static dev.wgdiag.pcap.PcapFormat.BT_DSB;
import static dev.wgdiag.pcap.PcapFormat.BT_EPB;
import static dev.wgdiag.pcap.PcapFormat.BT_IDB;
import static dev.wgdiag.pcap.PcapFormat.BT_ISB;
import static dev.wgdiag.pcap.PcapFormat.BT_SHB;
import static dev.wgdiag.pcap.PcapFormat.BYTE_ORDER_MAGIC;
import static dev.wgdiag.pcap.PcapFormat.DSB_FIXED_SIZE;
import static dev.wgdiag.pcap.PcapFormat.EPB_FIXED_SIZE;
import static dev.wgdiag.pcap.PcapFormat.IF_NAME;
import static dev.wgdiag.pcap.PcapFormat.IF_TSRESOL;
import static dev.wgdiag.pcap.PcapFormat.ISB_IFDROP;
import static dev.wgdiag.pcap.PcapFormat.ISB_IFRECV;
import static dev.wgdiag.pcap.PcapFormat.ISB_OSDROP;
import static dev.wgdiag.pcap.PcapFormat.OPT_ENDOFOPT;
import static dev.wgdiag.pcap.PcapFormat.PCAPNG_VERSION_MAJOR;
import static dev.wgdiag.pcap.PcapFormat.PCAPNG_VERSION_MINOR;
import static dev.wgdiag.pcap.PcapFormat.SHB_USERAPPL;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * pcapng file: one section, one interface with nanosecond timestamps, Enhanced Packet Blocks, and
 * an Interface Statistics Block with libpcap's drop counts at the end when they are known.
 *
 * <pre>
 * Every block                                Enhanced Packet Block (type 6)
 *  +---------------------------+  0          +---------------------------+  0
 *  |  block type               |             |  6                        |
 *  +---------------------------+  4          +---------------------------+  4
 *  |  block total length       |             |  total length             |
 *  +---------------------------+  8          +---------------------------+  8
 *  |  body ... (32-bit padded) |             |  interface id 0           |
 *  +---------------------------+             +---------------------------+ 12
 *  |  block total length       |             |  timestamp high 32 bits   |
 *  +---------------------------+             +---------------------------+ 16
 *                                            |  timestamp low 32 bits    |
 *                                            +---------------------------+ 20
 *                                            |  captured length          |
 *                                            +---------------------------+ 24
 *                                            |  original length          |
 *                                            +---------------------------+ 28
 *                                            |  data, padded to 4        |
 *                                            +---------------------------+
 *                                            |  total length             |
 *                                            +---------------------------+
 *
 * Decryption Secrets Block (type 0x0A)
 *  +---------------------------+  0
 *  |  0x0000000A               |
 *  +---------------------------+  4
 *  |  total length             |
 *  +---------------------------+  8
 *  |  secrets type             |   e.g. 0x57474b4c "WGKL": a WireGuard key log
 *  +---------------------------+ 12
 *  |  secrets length           |
 *  +---------------------------+ 16
 *  |  secrets data, padded to 4|
 *  +---------------------------+
 *  |  total length             |
 *  +---------------------------+
 * </pre>
 * Block layouts from draft-ietf-opsawg-pcapng (SHB 4.1, IDB 4.2, EPB 4.3, ISB 4.6, DSB 4.7); if_tsresol
 * = 9 means timestamps count nanoseconds (option 9, section 4.2); the numbers are {@link dev.wgdiag.pcap.PcapFormat}'s.
 */
public final class PcapngWriter extends CaptureFileWriter {
    private long received = -1;
    private long osDrops = -1;
    private long ifDrops = -1;

    public PcapngWriter(Path path, int linkType, int snaplen, String interfaceName) throws IOException {
        this(path, linkType, snaplen, interfaceName, null);
    }

    PcapngWriter(Path path, int linkType, int snaplen, String interfaceName, ByteBuffer reuse) throws IOException {
        super(path, ByteOrder.LITTLE_ENDIAN, reuse);
        byte[] appl = "wgdiag".getBytes(StandardCharsets.UTF_8);
        int shbLen = 28 + option(appl.length) + 4;
        buf.putInt(BT_SHB).putInt(shbLen).putInt(BYTE_ORDER_MAGIC);
        buf.putShort((short) PCAPNG_VERSION_MAJOR).putShort((short) PCAPNG_VERSION_MINOR);
        buf.putLong(-1L); // section length unknown
        putOption(SHB_USERAPPL, appl);
        buf.putShort((short) OPT_ENDOFOPT).putShort((short) 0);
        buf.putInt(shbLen);
        endRecord();

        byte[] name = interfaceName == null ? new byte[0] : interfaceName.getBytes(StandardCharsets.UTF_8);
        int idbLen = 20 + (name.length > 0 ? option(name.length) : 0) + option(1) + 4;
        buf.putInt(BT_IDB).putInt(idbLen);
        buf.putShort((short) linkType).putShort((short) 0).putInt(snaplen);
        if (name.length > 0) putOption(IF_NAME, name);
        putOption(IF_TSRESOL, new byte[] {9});
        buf.putShort((short) OPT_ENDOFOPT).putShort((short) 0);
        buf.putInt(idbLen);
        endRecord();
        flush();
    }

    private static int option(int valueLength) {
        return 4 + pad4(valueLength);
    }

    private static int pad4(int n) {
        return (n + 3) & ~3;
    }

    private void putOption(int code, byte[] value) {
        buf.putShort((short) code).putShort((short) value.length).put(value);
        for (int i = value.length; i < pad4(value.length); i++) buf.put((byte) 0);
    }

    @Override
    protected int recordSize(int capLen) {
        return EPB_FIXED_SIZE + pad4(capLen);
    }

    @Override
    protected void putRecord(long timeNanos, byte[] data, int off, int capLen, int origLen) {
        int len = recordSize(capLen);
        buf.putInt(BT_EPB).putInt(len).putInt(0);
        buf.putInt((int) (timeNanos >>> 32)).putInt((int) timeNanos);
        buf.putInt(capLen).putInt(origLen);
        buf.put(data, off, capLen);
        for (int i = capLen; i < pad4(capLen); i++) buf.put((byte) 0);
        buf.putInt(len);
    }

    /**
     * Writes a Decryption Secrets Block: the secrets apply to the packets after it (readers such as
     * Wireshark take them in as they meet the block). The data is secret; it goes only to this file.
     *
     * @throws IOException the first time a write fails; the file then ends at the last whole block
     */
    public void writeSecrets(int secretsType, byte[] data) throws IOException {
        if (failure() != null) throw failure();
        int len = DSB_FIXED_SIZE + pad4(data.length);
        if (len > buf.remaining()) flush();
        if (len > buf.capacity()) throw new IllegalArgumentException("secrets of " + data.length + " bytes exceed the write buffer");
        buf.putInt(BT_DSB).putInt(len).putInt(secretsType).putInt(data.length).put(data);
        for (int i = data.length; i < pad4(data.length); i++) buf.put((byte) 0);
        buf.putInt(len);
        endRecord();
    }

    /** libpcap's counters, written in an Interface Statistics Block on close; -1 when unknown. */
    public void setStatistics(long received, long osDrops, long ifDrops) {
        this.received = received;
        this.osDrops = osDrops;
        this.ifDrops = ifDrops;
    }

    @Override
    protected void beforeClose() throws IOException {
        if (osDrops < 0) return;
        int len = 20 + 3 * option(8) + 4 + 4;
        if (len > buf.remaining()) flush();
        long now = System.currentTimeMillis() * 1_000_000L;
        buf.putInt(BT_ISB).putInt(len).putInt(0);
        buf.putInt((int) (now >>> 32)).putInt((int) now);
        buf.putShort((short) ISB_IFRECV).putShort((short) 8).putLong(Math.max(received, 0));
        buf.putShort((short) ISB_IFDROP).putShort((short) 8).putLong(Math.max(ifDrops, 0));
        buf.putShort((short) ISB_OSDROP).putShort((short) 8).putLong(osDrops);
        buf.putShort((short) OPT_ENDOFOPT).putShort((short) 0);
        buf.putInt(len);
        endRecord();
    }
}
