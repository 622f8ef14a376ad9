package dev.wgdiag.timeline;

import dev.wgdiag.net.Endpoint;
import dev.wgdiag.wire.Datagram;
import dev.wgdiag.wire.WireGuardDecoder;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Builds WireGuard messages in their real layout (whitepaper 5.4, sizes 148 / 92 / 64 / 32+16k) and
 * feeds them through the real decoder into an analyzer, as a capture would. Times in seconds from a
 * fixed epoch. Only the fields a passive observer reads are filled; keys and MACs are zero.
 */
final class Wire {
    static final long EPOCH = 1_795_000_000L * 1_000_000_000L;
    private final Datagram datagram = new Datagram();
    private final WireGuardDecoder decoder;
    private long frame;

    Wire(Analyzer analyzer) {
        this.decoder = new WireGuardDecoder(analyzer);
    }

    static long at(double seconds) {
        return EPOCH + Math.round(seconds * 1e9);
    }

    private void send(double t, Endpoint src, Endpoint dst, byte[] payload) {
        datagram.set(at(t), 6, ++frame, src.version(), src.hi(), src.lo(), src.port(), dst.hi(), dst.lo(), dst.port(),
                payload, 0, payload.length, payload.length);
        decoder.onDatagram(datagram);
    }

    private static ByteBuffer message(int type, int size) {
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        b.put(0, (byte) type); // type, then 3 reserved zero bytes
        return b;
    }

    /** Initiation: type 1, sender at 4; mac2 (132..147) non-zero when {@code mac2}. */
    void initiation(double t, Endpoint src, Endpoint dst, int sender, boolean mac2) {
        ByteBuffer b = message(1, 148);
        b.putInt(4, sender);
        if (mac2) b.put(140, (byte) 0x5a);
        send(t, src, dst, b.array());
    }

    void initiation(double t, Endpoint src, Endpoint dst, int sender) {
        initiation(t, src, dst, sender, false);
    }

    /** Response: type 2, sender at 4, receiver at 8. */
    void response(double t, Endpoint src, Endpoint dst, int sender, int receiver) {
        ByteBuffer b = message(2, 92);
        b.putInt(4, sender);
        b.putInt(8, receiver);
        send(t, src, dst, b.array());
    }

    /** Cookie reply: type 3, receiver at 4. */
    void cookie(double t, Endpoint src, Endpoint dst, int receiver) {
        ByteBuffer b = message(3, 64);
        b.putInt(4, receiver);
        send(t, src, dst, b.array());
    }

    /** Transport: type 4, receiver at 4, counter at 8; 32 bytes is a keepalive, data is 32 + 16k. */
    void transport(double t, Endpoint src, Endpoint dst, int receiver, long counter, boolean keepalive) {
        ByteBuffer b = message(4, keepalive ? 32 : 32 + 96);
        b.putInt(4, receiver);
        b.putLong(8, counter);
        send(t, src, dst, b.array());
    }
}
