package dev.wgdiag.capture;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Ethernet/IPv4/UDP frames carrying WireGuard transport headers, built byte by byte for writer tests. */
final class TestFrames {
    private TestFrames() {
    }

    /**
     * A frame 198.51.100.1:51820 -> 198.51.100.2:51821 whose UDP payload is a transport message
     * (type 4, receiver, counter) of {@code wgLength} bytes (32 = keepalive).
     */
    static byte[] transport(long receiver, long counter, int wgLength) {
        int ipLen = 20 + 8 + wgLength;
        ByteBuffer b = ByteBuffer.allocate(14 + ipLen);
        // Ethernet: dst 02:00:00:00:00:02, src 02:00:00:00:00:01, type 0x0800 IPv4
        b.put(new byte[] {2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1}).putShort((short) 0x0800);
        // IPv4: version 4 / IHL 5, TOS 0, total length, id 0, DF, TTL 64, proto 17 UDP, checksum 0
        b.put((byte) 0x45).put((byte) 0).putShort((short) ipLen).putShort((short) 0).putShort((short) 0x4000);
        b.put((byte) 64).put((byte) 17).putShort((short) 0);
        b.put(new byte[] {(byte) 198, 51, 100, 1}).put(new byte[] {(byte) 198, 51, 100, 2});
        // UDP: 51820 -> 51821, length, checksum 0 (none)
        b.putShort((short) 51820).putShort((short) 51821).putShort((short) (8 + wgLength)).putShort((short) 0);
        // WireGuard transport: type 4, reserved 0 0 0, receiver (LE), counter (LE), then zero "ciphertext"
        b.put((byte) 4).put(new byte[3]);
        b.order(ByteOrder.LITTLE_ENDIAN).putInt((int) receiver).putLong(counter);
        return b.array();
    }
}
