package dev.wgdiag.wire;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Explicit-endian integer reads and writes on a byte array, the one helper for every binary layout
 * wgdiag reads or writes: WireGuard messages (all integers little-endian, whitepaper 5.4), pcap and
 * pcapng in either byte order, network headers (big-endian). VarHandle views compile to single loads
 * and stores; an index out of range throws {@link IndexOutOfBoundsException}.
 */
public final class Endian {
    private static final VarHandle LE16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle BE16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LE32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle BE32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LE64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle BE64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private Endian() {
    }

    /** Unsigned 16-bit little-endian. */
    public static int le16(byte[] b, int off) {
        return ((short) LE16.get(b, off)) & 0xffff;
    }

    /** Unsigned 16-bit big-endian. */
    public static int be16(byte[] b, int off) {
        return ((short) BE16.get(b, off)) & 0xffff;
    }

    public static int le32(byte[] b, int off) {
        return (int) LE32.get(b, off);
    }

    public static int be32(byte[] b, int off) {
        return (int) BE32.get(b, off);
    }

    public static long le64(byte[] b, int off) {
        return (long) LE64.get(b, off);
    }

    public static long be64(byte[] b, int off) {
        return (long) BE64.get(b, off);
    }

    public static void putLe32(byte[] b, int off, int v) {
        LE32.set(b, off, v);
    }

    public static void putLe64(byte[] b, int off, long v) {
        LE64.set(b, off, v);
    }

    /** 32 bits in a file's byte order. */
    public static int u32(byte[] b, int off, boolean bigEndian) {
        return bigEndian ? be32(b, off) : le32(b, off);
    }

    /** Unsigned 16 bits in a file's byte order. */
    public static int u16(byte[] b, int off, boolean bigEndian) {
        return bigEndian ? be16(b, off) : le16(b, off);
    }
}
