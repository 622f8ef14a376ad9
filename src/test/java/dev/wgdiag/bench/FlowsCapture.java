package dev.wgdiag.bench;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Benchmark input, not a test: a classic pcap (Ethernet, microseconds) of N distinct UDP flows to one
 * WireGuard server, one message each, as a VPN provider's server or a busy gateway sees them. Flow i
 * comes from 100.64.0.0/10 (RFC 6598) address {@code 100.(64 + i/65536).(i/256).(i)} port
 * {@code 1024 + i % 60000} to 198.51.100.2:51820, 10 us after flow i-1. Even flows send a handshake
 * initiation (sender index i), odd ones a keepalive under receiver index i (a session met mid-way):
 * each flow is a tunnel of its own (whitepaper 5.4 message shapes; the rest of each message is filler).
 *
 * <p>Usage: {@code FlowsCapture N OUT.pcap}; prints the number of messages written.
 */
public final class FlowsCapture {
    private static final byte[] SERVER = {(byte) 198, 51, 100, 2};
    private static final long T0 = 1_764_000_000_000_000L;   // microseconds

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: FlowsCapture N OUT.pcap");
            System.exit(2);
        }
        int flows = Integer.parseInt(args[0]);
        if (flows < 1 || flows > 64 * 65536) throw new IllegalArgumentException("N must be 1.." + 64 * 65536);
        ByteBuffer head = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        head.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(1);
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(Path.of(args[1])), 1 << 20)) {
            out.write(head.array());
            for (int i = 0; i < flows; i++) {
                byte[] src = {100, (byte) (64 + (i >>> 16)), (byte) (i >>> 8), (byte) i};
                byte[] wg = i % 2 == 0 ? initiation(i) : keepalive(i);
                out.write(record(T0 + 10L * i, frame(src, 1024 + i % 60_000, wg)));
            }
        }
        System.out.println(flows);
    }

    private static byte[] initiation(int sender) {
        ByteBuffer b = ByteBuffer.allocate(148).order(ByteOrder.LITTLE_ENDIAN).put((byte) 1).put(new byte[3]).putInt(sender);
        for (int i = 8; i < 148; i++) b.put((byte) (i * 31 + sender));
        return b.array();
    }

    private static byte[] keepalive(int receiver) {
        return ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN).put((byte) 4).put(new byte[3]).putInt(receiver).putLong(0).array();
    }

    /** Ethernet II, IPv4 (no options, checksum 0), UDP (checksum 0) to the server's port 51820. */
    private static byte[] frame(byte[] src, int srcPort, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(14 + 20 + 8 + payload.length);
        b.put(new byte[] {2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1}).putShort((short) 0x0800);
        b.put((byte) 0x45).put((byte) 0).putShort((short) (28 + payload.length)).putShort((short) 0).putShort((short) 0)
                .put((byte) 64).put((byte) 17).putShort((short) 0).put(src).put(SERVER);
        b.putShort((short) srcPort).putShort((short) 51820).putShort((short) (8 + payload.length)).putShort((short) 0).put(payload);
        return b.array();
    }

    private static byte[] record(long micros, byte[] frame) {
        ByteBuffer b = ByteBuffer.allocate(16 + frame.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt((int) (micros / 1_000_000)).putInt((int) (micros % 1_000_000)).putInt(frame.length).putInt(frame.length).put(frame);
        return b.array();
    }
}
