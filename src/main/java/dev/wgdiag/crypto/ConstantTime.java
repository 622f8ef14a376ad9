package dev.wgdiag.crypto;

/** Comparisons whose running time does not depend on where two byte strings differ. */
public final class ConstantTime {
    private ConstantTime() {
    }

    /** True when {@code a[aOff..aOff+len)} equals {@code b[bOff..bOff+len)}; time depends on len only. */
    public static boolean equals(byte[] a, int aOff, byte[] b, int bOff, int len) {
        int diff = 0;
        for (int i = 0; i < len; i++) {
            diff |= a[aOff + i] ^ b[bOff + i];
        }
        return diff == 0;
    }

    /** True when both arrays have the same length and content; time depends on the length only. */
    public static boolean equals(byte[] a, byte[] b) {
        return a.length == b.length && equals(a, 0, b, 0, a.length);
    }

    /** True when all {@code len} bytes from {@code off} are zero; time depends on len only. */
    public static boolean isZero(byte[] a, int off, int len) {
        int acc = 0;
        for (int i = 0; i < len; i++) {
            acc |= a[off + i];
        }
        return acc == 0;
    }
}
