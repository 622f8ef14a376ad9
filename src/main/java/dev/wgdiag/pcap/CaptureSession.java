package dev.wgdiag.pcap;

import static dev.wgdiag.pcap.PcapFormat.*;
import static dev.wgdiag.wire.Endian.be32;
import static dev.wgdiag.wire.Endian.le32;
import static dev.wgdiag.wire.Endian.u16;
import static dev.wgdiag.wire.Endian.u32;

import dev.wgdiag.wire.DatagramHandler;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.LongConsumer;
import java.util.zip.ZipException;

/**
 * One pass over one capture: detects the format from the magic number and runs the classic pcap or
 * pcapng record loop, feeding frames to a {@link PacketDecoder}.
 *
 * <p>Structural damage after a valid file header (a record or block cut by the end of the input, an
 * impossible length, a corrupt gzip stream) is never fatal: the datagrams before it are delivered,
 * {@code truncated} is set and one warning says where and why.
 */
final class CaptureSession {
    /** Largest captured length accepted for one packet (Wireshark's WTAP_MAX_PACKET_SIZE_STANDARD). */
    static final int MAX_RECORD = 262_144;

    private final String name;
    private final InputBuffer in;
    private final PacketDecoder decoder;
    private final CaptureOptions options;
    private final List<String> warnings = new ArrayList<>();
    private boolean truncated;
    private long frames;
    private long blocks;
    private boolean pcapng;

    CaptureSession(String name, InputStream stream, DatagramHandler handler, LongConsumer progress,
                   CaptureOptions options, int bufferSize) {
        this(name, stream, new PacketDecoder(handler, options), progress, options, bufferSize);
    }

    /** A session feeding its frames to {@code decoder} (the reader thread's queue: {@link ReaderThread}). */
    CaptureSession(String name, InputStream stream, PacketDecoder decoder, LongConsumer progress,
                   CaptureOptions options, int bufferSize) {
        this.name = name;
        this.options = options;
        this.in = new InputBuffer(stream, bufferSize, progress, options.progressIntervalBytes());
        this.decoder = decoder;
    }

    CaptureStats run() throws CaptureException {
        readRecords();
        return finish(decoder);
    }

    /**
     * The statistics once every frame has been decoded by {@code frames}: this session's warnings (cut,
     * corrupt, grown) then the decoder's (fragments, malformed headers, link types).
     */
    CaptureStats finish(PacketDecoder frames) {
        List<String> all = new ArrayList<>(warnings);
        all.addAll(frames.dropWarnings(name));
        return new CaptureStats(this.frames, in.offset(), frames.datagrams, frames.skipped(), List.copyOf(all), truncated);
    }

    /** Every record to the decoder, then the final progress report; damage after the header is a warning. */
    void readRecords() throws CaptureException {
        try {
            if (!in.ensure(4)) {
                if (in.available() == 0) {
                    throw new CaptureException(name + (name.equals("stdin") ? ": no data, not a capture"
                            : ": empty file, not a capture"));
                }
                throw new CaptureException(name + ": too short to be a capture (" + in.available() + " bytes)");
            }
            byte[] b = in.buf;
            int magicLe = le32(b, in.pos);
            int magicBe = be32(b, in.pos);
            if (magicLe == BT_SHB) {
                pcapng = true;
                readPcapng();
            } else if (isPcapMagic(magicLe) || isPcapMagic(magicBe)) {
                readPcap(isPcapMagic(magicBe));
            } else {
                throw new CaptureException(String.format(Locale.ROOT, "%s: not a pcap or pcapng file (magic 0x%08x)", name, magicBe));
            }
        } catch (EOFException | ZipException e) {
            // a compressed stream cut short or damaged: keep what was read
            String what = e instanceof EOFException ? "compressed data ends early" : "corrupt compressed data";
            if (frames == 0 && blocks == 0 && in.offset() == 0) {
                throw new CaptureException(name + ": " + what + " (" + e.getMessage() + ")");
            }
            stop(what + " after byte " + in.offset());
        } catch (IOException e) {
            throw new CaptureException(name + ": read error at byte " + in.offset() + " (" + e.getMessage() + ")", e);
        }
        in.finalProgress();
    }

    private static boolean isPcapMagic(int m) {
        return m == PCAP_MAGIC_MICRO || m == PCAP_MAGIC_NANO || m == PCAP_MAGIC_MODIFIED;
    }

    private void stop(String what) {
        truncated = true;
        warnings.add(name + ": " + what + "; results cover the first " + frames + " frames");
    }

    private void truncatedAt(String unit, long number) {
        long end = in.offset() + in.available();
        stop("truncated at byte " + end + " (" + unit + " " + number + " incomplete)");
    }

    /**
     * Classic pcap.
     * <pre>
     * file header (24):  magic(4) version_major(2) version_minor(2) thiszone(4) sigfigs(4) snaplen(4) linktype(4)
     * record header (16): ts_sec(4) ts_usec_or_nsec(4) incl_len(4) orig_len(4), then incl_len bytes
     * </pre>
     * All fields in the writer's byte order, told by the magic.
     */
    private void readPcap(boolean bigEndian) throws IOException, CaptureException {
        if (!in.ensure(PCAP_FILE_HEADER_SIZE)) {
            throw new CaptureException(name + ": truncated pcap file header (" + in.available() + " of "
                    + PCAP_FILE_HEADER_SIZE + " bytes)");
        }
        final byte[] b = in.buf;
        int magic = u32(b, in.pos, bigEndian);
        // the link-type field's low 16 bits are the type; upper bits carry FCS length flags
        int linkType = u32(b, in.pos + 20, bigEndian) & 0xffff;
        final long fracScale = magic == PCAP_MAGIC_NANO ? 1 : 1000;
        decoder.timeDigits = magic == PCAP_MAGIC_NANO ? 9 : 6;
        final int hdr = magic == PCAP_MAGIC_MODIFIED ? PCAP_MODIFIED_RECORD_HEADER_SIZE : PCAP_RECORD_HEADER_SIZE;
        in.pos += PCAP_FILE_HEADER_SIZE;
        final boolean known = PacketDecoder.supported(linkType);
        decoder.setLinkType(linkType);
        decoder.interfaceId = 0;
        final long limit = options.frameLimit();
        final PacketDecoder dec = decoder;
        while (frames < limit) {
            int p = in.pos;
            if (in.limit - p < hdr && !in.ensure(hdr)) {
                if (in.available() > 0) truncatedAt("record", frames + 1);
                return;
            }
            p = in.pos;
            long sec = u32(b, p, bigEndian) & 0xffffffffL;
            long frac = u32(b, p + 4, bigEndian) & 0xffffffffL;
            int incl = u32(b, p + 8, bigEndian);
            if (incl < 0 || incl > MAX_RECORD) {
                stop("corrupt record " + (frames + 1) + " at byte " + in.offset() + " (captured length "
                        + Integer.toUnsignedString(incl) + " exceeds " + MAX_RECORD + ")");
                return;
            }
            int size = hdr + incl;
            if (in.limit - p < size) {
                if (!in.ensure(size)) {
                    truncatedAt("record", frames + 1);
                    return;
                }
                p = in.pos;
            }
            frames++;
            dec.frameNumber = frames;
            dec.time = sec * 1_000_000_000L + frac * fracScale;
            if (known) {
                dec.decode(linkType, b, p + hdr, incl);
            } else {
                dec.unsupported(linkType);
            }
            in.pos = p + size;
        }
    }

    /** One pcapng interface (IDB) of the current section. */
    private static final class Interface {
        int linkType;
        long snaplen;
        boolean known;
        /** Time units per second as 10^decimalExp or 2^binaryExp. */
        boolean binary;
        int exp = 6;
        long offsetNanos;
        int digits = 6;

        long toNanos(long ts) {
            long t;
            if (!binary) {
                if (exp == 9) {
                    t = ts;
                } else if (exp < 9) {
                    t = ts * POW10[9 - exp];
                } else {
                    t = Long.divideUnsigned(ts, POW10[exp - 9]);
                }
            } else if (exp == 0) {
                t = ts * 1_000_000_000L;
            } else {
                long secs = ts >>> exp;
                long frac = ts & ((1L << exp) - 1);
                // floor(frac * 1e9 / 2^exp) with a 128-bit product
                long lo = frac * 1_000_000_000L;
                long hi = Math.multiplyHigh(frac, 1_000_000_000L);
                long nanos = exp == 64 ? hi : (hi << (64 - exp)) | (lo >>> exp);
                t = secs * 1_000_000_000L + nanos;
            }
            return t + offsetNanos;
        }
    }

    private static final long[] POW10 = {1L, 10L, 100L, 1_000L, 10_000L, 100_000L, 1_000_000L, 10_000_000L,
            100_000_000L, 1_000_000_000L, 10_000_000_000L, 100_000_000_000L, 1_000_000_000_000L,
            10_000_000_000_000L, 100_000_000_000_000L, 1_000_000_000_000_000L, 10_000_000_000_000_000L,
            100_000_000_000_000_000L, 1_000_000_000_000_000_000L};

    /**
     * pcapng: a sequence of blocks, each
     * <pre>
     *  0           4              8                       len-4        len
     * +-----------+--------------+------- body ----------+--------------+
     * | type (4)  | total len (4)|   ...  options ...    | total len (4)|
     * +-----------+--------------+-----------------------+--------------+
     * EPB body: interface_id(4) ts_high(4) ts_low(4) cap_len(4) orig_len(4) data(pad 4) options
     * PB  body: interface_id(2) drops(2)   ts_high(4) ts_low(4) cap_len(4) orig_len(4) data options
     * SPB body: orig_len(4) data (cap_len = min(orig_len, snaplen, block room))
     * IDB body: linktype(2) reserved(2) snaplen(4) options (if_tsresol 9, if_tsoffset 14)
     * SHB body: byte-order magic 0x1A2B3C4D(4) major(2) minor(2) section_length(8) options
     * DSB body: secrets_type(4) secrets_len(4) data(pad 4) options
     * </pre>
     * Each section (SHB) has its own byte order and its own interface numbering.
     */
    private void readPcapng() throws IOException, CaptureException {
        final byte[] b = in.buf;
        final int maxBlock = b.length;
        final long limit = options.frameLimit();
        final PacketDecoder dec = decoder;
        List<Interface> interfaces = new ArrayList<>();
        boolean be = false;
        int currentIf = -1;
        Interface cur = null;
        boolean first = true;
        while (frames < limit) {
            if (in.limit - in.pos < 12 && !in.ensure(12)) {
                if (first) {
                    throw new CaptureException(name + ": truncated pcapng section header (" + in.available() + " bytes)");
                }
                if (in.available() > 0) truncatedAt("block", blocks + 1);
                return;
            }
            int p = in.pos;
            int type = u32(b, p, be);
            if (type == BT_SHB) {
                int bom = le32(b, p + 8);
                if (bom == BYTE_ORDER_MAGIC) {
                    be = false;
                } else if (bom == Integer.reverseBytes(BYTE_ORDER_MAGIC)) {
                    be = true;
                } else {
                    if (first) {
                        throw new CaptureException(String.format(Locale.ROOT, "%s: not a pcapng file (byte-order magic 0x%08x)",
                                name, be32(b, p + 8)));
                    }
                    stop(String.format(Locale.ROOT, "corrupt section header (block %d) at byte %d (byte-order magic 0x%08x)",
                            blocks + 1, in.offset(), be32(b, p + 8)));
                    return;
                }
            }
            long len = u32(b, p + 4, be) & 0xffffffffL;
            boolean wanted = type == BT_EPB || type == BT_SPB || type == BT_PB || type == BT_IDB
                    || type == BT_SHB || type == BT_DSB;
            if (len < 12 || (len & 3) != 0 || (wanted && len > maxBlock)) {
                if (first) {
                    throw new CaptureException(name + ": corrupt pcapng section header (block length " + len + ")");
                }
                stop("corrupt block " + (blocks + 1) + " at byte " + in.offset() + " (block length " + len + ")");
                return;
            }
            if (!wanted) {                                // unknown or uninteresting block: skip it
                blocks++;
                if (type == BT_CUSTOM_COPY || type == BT_CUSTOM_NOCOPY || type == BT_SYSTEMD_JOURNAL) {
                    frames++;                             // tshark numbers these records as frames
                    dec.notPacket();
                }
                if (in.skip(len) < len) {
                    truncatedAt("block", blocks);
                    return;
                }
                continue;
            }
            int n = (int) len;
            if (in.limit - p < n) {
                if (!in.ensure(n)) {
                    if (first) {
                        throw new CaptureException(name + ": truncated pcapng section header ("
                                + in.available() + " of " + n + " bytes)");
                    }
                    truncatedAt("block", blocks + 1);
                    return;
                }
                p = in.pos;
            }
            blocks++;
            if ((u32(b, p + n - 4, be) & 0xffffffffL) != len) {
                if (first) {
                    throw new CaptureException(name + ": corrupt pcapng section header (trailing length differs)");
                }
                stop("corrupt block " + blocks + " at byte " + in.offset() + " (trailing length "
                        + (u32(b, p + n - 4, be) & 0xffffffffL) + " differs from " + len + ")");
                return;
            }
            first = false;
            int ifId;
            long tsHigh;
            long tsLow;
            int capLen;
            int data;
            switch (type) {
                case BT_EPB:
                case BT_PB:
                    if (n < 32) {
                        stop("corrupt packet block " + blocks + " at byte " + in.offset() + " (block length " + n + ")");
                        return;
                    }
                    ifId = type == BT_EPB ? u32(b, p + 8, be) : u16(b, p + 8, be);
                    tsHigh = u32(b, p + 12, be) & 0xffffffffL;
                    tsLow = u32(b, p + 16, be) & 0xffffffffL;
                    capLen = u32(b, p + 20, be);
                    data = p + 28;
                    if (capLen < 0 || capLen > MAX_RECORD || capLen > n - 32) {
                        stop("corrupt packet block " + blocks + " at byte " + in.offset() + " (captured length "
                                + Integer.toUnsignedString(capLen) + " in a block of " + n + " bytes)");
                        return;
                    }
                    break;
                case BT_SPB:
                    if (n < 16) {
                        stop("corrupt simple packet block " + blocks + " at byte " + in.offset());
                        return;
                    }
                    ifId = 0;
                    tsHigh = 0;
                    tsLow = 0;
                    long orig = u32(b, p + 8, be) & 0xffffffffL;
                    long cap = Math.min(orig, n - 16);
                    if (!interfaces.isEmpty() && interfaces.get(0).snaplen > 0) {
                        cap = Math.min(cap, interfaces.get(0).snaplen);
                    }
                    capLen = (int) Math.min(cap, MAX_RECORD);
                    data = p + 12;
                    break;
                case BT_IDB:
                    interfaces.add(parseInterface(b, p, n, be));
                    in.pos = p + n;
                    continue;
                case BT_SHB:
                    interfaces.clear();
                    currentIf = -1;
                    in.pos = p + n;
                    continue;
                case BT_DSB:
                    secrets(b, p, n, be);
                    in.pos = p + n;
                    continue;
                default:
                    in.pos = p + n;
                    continue;
            }
            if (ifId < 0 || ifId >= interfaces.size()) {
                stop("corrupt packet block " + blocks + " at byte " + in.offset() + " (interface " + ifId
                        + " not described; the section has " + interfaces.size() + ")");
                return;
            }
            if (ifId != currentIf) {
                cur = interfaces.get(ifId);
                currentIf = ifId;
                dec.interfaceId = ifId;
                dec.timeDigits = cur.digits;
                dec.setLinkType(cur.linkType);
            }
            Interface itf = cur;
            frames++;
            dec.frameNumber = frames;
            // SPB carries no time stamp: 0, as Wireshark shows it
            dec.time = type == BT_SPB ? 0 : itf.toNanos((tsHigh << 32) | tsLow);
            if (itf.known) {
                dec.decode(itf.linkType, b, data, capLen);
            } else {
                dec.unsupported(itf.linkType);
            }
            in.pos = p + n;
        }
    }

    private static Interface parseInterface(byte[] b, int p, int n, boolean be) {
        Interface itf = new Interface();
        itf.linkType = u16(b, p + 8, be);
        itf.snaplen = u32(b, p + 12, be) & 0xffffffffL;
        itf.known = PacketDecoder.supported(itf.linkType);
        int o = p + 16;
        int end = p + n - 4;
        while (o + 4 <= end) {
            int code = u16(b, o, be);
            int olen = u16(b, o + 2, be);
            int v = o + 4;
            if (code == OPT_ENDOFOPT || v + olen > end) break;
            if (code == IF_TSRESOL && olen >= 1) {
                int r = b[v] & 0xff;
                boolean binary = (r & 0x80) != 0;
                int exp = r & 0x7f;
                if ((binary && exp <= 63) || (!binary && exp <= 18)) {
                    itf.binary = binary;
                    itf.exp = exp;
                }
            } else if (code == IF_TSOFFSET && olen >= 8) {
                long hi = u32(b, v, be) & 0xffffffffL;
                long lo = u32(b, v + 4, be) & 0xffffffffL;
                long secs = be ? (hi << 32) | lo : (lo << 32) | hi;
                itf.offsetNanos = secs * 1_000_000_000L;
            }
            o = v + ((olen + 3) & ~3);
        }
        itf.digits = itf.binary ? binaryDigits(itf.exp) : Math.min(itf.exp, 9);
        return itf;
    }

    /** Smallest number of decimal digits whose resolution is at least as fine as 2^-exp, at most 9. */
    static int binaryDigits(int exp) {
        int d = 0;
        double res = Math.pow(2, -exp);
        while (d < 9 && Math.pow(10, -d) > res) d++;
        return d;
    }

    private void secrets(byte[] b, int p, int n, boolean be) {
        SecretsHandler h = options.secretsHandler();
        if (n < 20) {
            warnings.add(name + ": decryption secrets block " + blocks + " is too short, ignored");
            return;
        }
        int stype = u32(b, p + 8, be);
        long slen = u32(b, p + 12, be) & 0xffffffffL;
        if (slen > n - 20) {
            warnings.add(name + ": decryption secrets block " + blocks + " claims " + slen
                    + " bytes but holds " + (n - 20) + ", ignored");
            return;
        }
        if (h != null) {
            byte[] copy = new byte[(int) slen];
            System.arraycopy(b, p + 16, copy, 0, (int) slen);
            h.onSecrets(stype, copy);
        }
    }

    boolean isPcapng() {
        return pcapng;
    }
}
