package dev.wgdiag.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Captures built byte by byte for tests of hostile input: classic pcap (little-endian, microsecond)
 * and pcapng records, Ethernet / IPv4 / UDP frames and IPv4 fragments carrying WireGuard-shaped
 * payloads. Layouts: pcap-savefile(5), draft-ietf-opsawg-pcapng, RFC 791, RFC 768, whitepaper 5.4.
 */
public final class CaptureBytes {
    public static final int LINKTYPE_ETHERNET = 1;
    public static final byte[] CLIENT = {(byte) 198, 51, 100, 1};
    public static final byte[] SERVER = {(byte) 198, 51, 100, 2};

    private CaptureBytes() {
    }

    /** pcap file header: magic a1b2c3d4 (LE, microseconds), version 2.4, snaplen, link type. */
    public static byte[] pcapHeader(int snaplen, int linkType) {
        return le(24).putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0)
                .putInt(snaplen).putInt(linkType).array();
    }

    /** pcap record header claiming {@code inclLen} captured and {@code origLen} wire bytes. */
    public static byte[] pcapRecordHeader(long micros, int inclLen, int origLen) {
        return le(16).putInt((int) (micros / 1_000_000)).putInt((int) (micros % 1_000_000)).putInt(inclLen).putInt(origLen).array();
    }

    /** A whole pcap record. */
    public static byte[] pcapRecord(long micros, byte[] frame) {
        return concat(pcapRecordHeader(micros, frame.length, frame.length), frame);
    }

    /** Ethernet / IPv4 / UDP frame (IP id 0, not fragmented). */
    public static byte[] udp4(byte[] src, int srcPort, byte[] dst, int dstPort, byte[] payload) {
        byte[] udp = be(8 + payload.length).putShort((short) srcPort).putShort((short) dstPort)
                .putShort((short) (8 + payload.length)).putShort((short) 0).put(payload).array();
        return ipv4Frame(src, dst, 0, 0, false, udp);
    }

    /** Ethernet / IPv4 frame carrying {@code part} of a UDP datagram at byte {@code offset} (a multiple of 8). */
    public static byte[] ipv4Frame(byte[] src, byte[] dst, int id, int offset, boolean more, byte[] part) {
        ByteBuffer b = be(14 + 20 + part.length);
        b.put(new byte[] {2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1}).putShort((short) 0x0800);
        b.put((byte) 0x45).put((byte) 0).putShort((short) (20 + part.length)).putShort((short) id)
                .putShort((short) ((more ? 0x2000 : 0) | (offset >>> 3))).put((byte) 64).put((byte) 17).putShort((short) 0)
                .put(src).put(dst).put(part);
        return b.array();
    }

    /** A UDP header and payload: what fragments split. */
    public static byte[] udpDatagram(int srcPort, int dstPort, byte[] payload) {
        return be(8 + payload.length).putShort((short) srcPort).putShort((short) dstPort)
                .putShort((short) (8 + payload.length)).putShort((short) 0).put(payload).array();
    }

    /** A handshake initiation's shape (type 1, 148 bytes) with this sender index; the rest is filler. */
    public static byte[] initiation(int sender) {
        ByteBuffer b = le(148).put((byte) 1).put(new byte[3]).putInt(sender);
        for (int i = 8; i < 148; i++) b.put((byte) (i * 31 + sender));
        return b.array();
    }

    /** A transport message's shape (type 4): receiver, counter, {@code length} bytes in all (32 = keepalive). */
    public static byte[] transport(int receiver, long counter, int length) {
        return le(length).put((byte) 4).put(new byte[3]).putInt(receiver).putLong(counter).array();
    }

    // ------------------------------------------------------------------ pcapng

    /** Section Header Block, little-endian, section length unknown (-1). */
    public static byte[] shb() {
        return block(0x0a0d0d0a, le(16).putInt(0x1a2b3c4d).putShort((short) 1).putShort((short) 0).putLong(-1).array());
    }

    /** Interface Description Block: link type, snaplen, no options. */
    public static byte[] idb(int linkType, int snaplen) {
        return block(1, le(8).putShort((short) linkType).putShort((short) 0).putInt(snaplen).array());
    }

    /** Enhanced Packet Block on interface 0, microsecond time stamp. */
    public static byte[] epb(long micros, byte[] frame) {
        int pad = (4 - frame.length % 4) % 4;
        return block(6, le(20 + frame.length + pad).putInt(0).putInt((int) (micros >>> 32)).putInt((int) micros)
                .putInt(frame.length).putInt(frame.length).put(frame).array());
    }

    /** Decryption Secrets Block (type 0x57474b4c: WireGuard keylog) with this text. */
    public static byte[] dsb(String keylog) {
        byte[] t = keylog.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        int pad = (4 - t.length % 4) % 4;
        return block(0x0a, le(8 + t.length + pad).putInt(0x57474b4c).putInt(t.length).put(t).array());
    }

    /** A block: type, total length, body (padded to 4 by the caller), total length again. */
    public static byte[] block(int type, byte[] body) {
        return le(12 + body.length).putInt(type).putInt(12 + body.length).put(body).putInt(12 + body.length).array();
    }

    /** The first 8 bytes of a block that claims {@code totalLength} bytes (a lie, when the file ends first). */
    public static byte[] blockHead(int type, int totalLength) {
        return le(8).putInt(type).putInt(totalLength).array();
    }

    // ------------------------------------------------------------------ helpers

    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }

    public static void write(OutputStream out, byte[]... parts) {
        try {
            for (byte[] p : parts) out.write(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ByteBuffer le(int n) {
        return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static ByteBuffer be(int n) {
        return ByteBuffer.allocate(n).order(ByteOrder.BIG_ENDIAN);
    }
}
