package dev.wgdiag.pcap;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Explicit-endian reads from a byte array (VarHandle views compile to single loads). */
final class Bytes {
    private static final VarHandle LE32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle BE32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LE16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle BE16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle BE64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LE64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private Bytes() {
    }

    static int le32(byte[] b, int i) {
        return (int) LE32.get(b, i);
    }

    static int be32(byte[] b, int i) {
        return (int) BE32.get(b, i);
    }

    static int le16(byte[] b, int i) {
        return ((short) LE16.get(b, i)) & 0xffff;
    }

    static int be16(byte[] b, int i) {
        return ((short) BE16.get(b, i)) & 0xffff;
    }

    static long be64(byte[] b, int i) {
        return (long) BE64.get(b, i);
    }

    static long le64(byte[] b, int i) {
        return (long) LE64.get(b, i);
    }

    /** 32-bit read in the given file byte order. */
    static int u32(byte[] b, int i, boolean bigEndian) {
        return bigEndian ? (int) BE32.get(b, i) : (int) LE32.get(b, i);
    }

    static int u16(byte[] b, int i, boolean bigEndian) {
        return bigEndian ? be16(b, i) : le16(b, i);
    }
}
