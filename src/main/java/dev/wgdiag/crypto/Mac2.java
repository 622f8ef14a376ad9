package dev.wgdiag.crypto;

/**
 * mac2 (whitepaper section 5.4.4): MAC(cookie, msg[0 : len-16]) when the sender holds a cookie younger
 * than COOKIE_REFRESH_TIME, else 16 zero bytes.
 */
public final class Mac2 {
    private Mac2() {
    }

    /** True when the message's mac2 is all zero (no recent cookie). */
    public static boolean isZero(byte[] msg, int off, int len) {
        return ConstantTime.isZero(msg, off + len - Blake2s.MAC_LENGTH, Blake2s.MAC_LENGTH);
    }

    /** Writes mac2 = MAC(cookie, msg[0 : len-16]) at the end; mac1 must already be written. */
    public static void write(byte[] msg, int off, int len, byte[] cookie) {
        byte[] mac = Blake2s.mac(cookie, msg, off, len - Blake2s.MAC_LENGTH);
        System.arraycopy(mac, 0, msg, off + len - Blake2s.MAC_LENGTH, Blake2s.MAC_LENGTH);
    }

    /** True when the message's mac2 matches {@code cookie}. */
    public static boolean verify(byte[] msg, int off, int len, byte[] cookie) {
        byte[] mac = Blake2s.mac(cookie, msg, off, len - Blake2s.MAC_LENGTH);
        return ConstantTime.equals(mac, 0, msg, off + len - Blake2s.MAC_LENGTH, Blake2s.MAC_LENGTH);
    }
}
