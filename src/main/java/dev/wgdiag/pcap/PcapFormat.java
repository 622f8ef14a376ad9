package dev.wgdiag.pcap;

/**
 * The pcap and pcapng file-format numbers, one set for the reader ({@link CaptureReader}) and the
 * writers ({@code capture.PcapWriter}, {@code capture.PcapngWriter}).
 *
 * <p>Sources: classic pcap from draft-ietf-opsawg-pcap ("PCAP Capture File Format", sections 4 and 5;
 * tcpdump.org pcap-savefile(5)); pcapng from draft-ietf-opsawg-pcapng ("PCAP Now Generic (pcapng)
 * Capture File Format": block types in section 10.1 / appendix, SHB 4.1, IDB 4.2, EPB 4.3, SPB 4.4,
 * ISB 4.6, DSB 4.7, obsolete PB appendix A; options in 3.5, 4.1, 4.2 and 4.6).
 *
 * <pre>
 * classic pcap file header (24)                      record header (16; 24 in the "modified" format)
 *  magic(4) major(2) minor(2) thiszone(4)             ts_sec(4) ts_usec_or_nsec(4) incl_len(4) orig_len(4)
 *  sigfigs(4) snaplen(4) linktype(4)
 *
 * pcapng block: type(4) total_length(4) body ... total_length(4), 32-bit aligned
 * option:       code(2) length(2) value (padded to 4), the list ended by opt_endofopt
 * </pre>
 */
public final class PcapFormat {
    private PcapFormat() {
    }

    // ---- classic pcap (draft-ietf-opsawg-pcap section 4)

    /** Microsecond time stamps, written in the writer's byte order. */
    public static final int PCAP_MAGIC_MICRO = 0xa1b2c3d4;
    /** Nanosecond time stamps. */
    public static final int PCAP_MAGIC_NANO = 0xa1b23c4d;
    /** Alexey Kuznetsov's patched libpcap: 24-byte record headers (ifindex, protocol, pkt_type); libpcap sf-pcap.c. */
    public static final int PCAP_MAGIC_MODIFIED = 0xa1b2cd34;
    /** The version this format's writers put in the file header (2.4). */
    public static final int PCAP_VERSION_MAJOR = 2;
    public static final int PCAP_VERSION_MINOR = 4;
    public static final int PCAP_FILE_HEADER_SIZE = 24;
    public static final int PCAP_RECORD_HEADER_SIZE = 16;
    public static final int PCAP_MODIFIED_RECORD_HEADER_SIZE = 24;

    // ---- pcapng block types (draft-ietf-opsawg-pcapng section 10.1)

    /** Section Header Block; its value (bytes LF CR CR LF) reads the same in either byte order. */
    public static final int BT_SHB = 0x0a0d0d0a;
    public static final int BT_IDB = 0x00000001;
    /** Obsolete Packet Block (appendix A). */
    public static final int BT_PB = 0x00000002;
    public static final int BT_SPB = 0x00000003;
    public static final int BT_ISB = 0x00000005;
    public static final int BT_EPB = 0x00000006;
    /** Systemd Journal Export Block: Wireshark gives it a frame number, as it does Custom Blocks. */
    public static final int BT_SYSTEMD_JOURNAL = 0x00000009;
    public static final int BT_DSB = 0x0000000a;
    public static final int BT_CUSTOM_COPY = 0x00000bad;
    public static final int BT_CUSTOM_NOCOPY = 0x40000bad;

    /** SHB byte-order magic: reads 0x1a2b3c4d in the section's byte order (section 4.1). */
    public static final int BYTE_ORDER_MAGIC = 0x1a2b3c4d;
    /** The version pcapng writers put in the SHB (1.0). */
    public static final int PCAPNG_VERSION_MAJOR = 1;
    public static final int PCAPNG_VERSION_MINOR = 0;

    /** Fixed part of an EPB: type, length, interface, time high and low, captured and original length, trailing length. */
    public static final int EPB_FIXED_SIZE = 32;
    /** Fixed part of a DSB: type, length, secrets type, secrets length, trailing length. */
    public static final int DSB_FIXED_SIZE = 20;

    // ---- pcapng options (sections 3.5, 4.1, 4.2, 4.6)

    public static final int OPT_ENDOFOPT = 0;
    public static final int SHB_USERAPPL = 4;
    public static final int IF_NAME = 2;
    public static final int IF_TSRESOL = 9;
    public static final int IF_TSOFFSET = 14;
    public static final int ISB_IFRECV = 4;
    public static final int ISB_IFDROP = 5;
    public static final int ISB_OSDROP = 7;
}
