package dev.wgdiag.pcap;

import dev.wgdiag.wire.Datagram;
import dev.wgdiag.wire.DatagramHandler;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * A run of consecutive events of one read -- decoded UDP datagrams, ICMP errors quoting UDP, Decryption
 * Secrets Blocks, progress reports -- queued by the reader thread for the analysis thread
 * ({@link ReaderThread}), in capture order. Reused: filled, handed over, replayed, cleared, handed back.
 * Nothing is allocated per datagram (an ICMP error, rare, is copied into an object of its own).
 *
 * <p>An entry is {@link #STRIDE} longs of {@link #entries}; a datagram's captured payload is copied into
 * {@link #store}:
 * <pre>
 * slot  0 TIME     time, ns since the epoch     (SECRETS: secrets type; PROGRESS: bytes consumed)
 *       1 FRAME    frame number                 (SECRETS, ICMP: index into their list)
 *       2 SRC_HI   source address, high 64 bits (IPv4: 0)
 *       3 SRC_LO   source address, low 64 bits
 *       4 DST_HI   destination address, high 64 bits
 *       5 DST_LO   destination address, low 64 bits
 *       6 LINK     link type(32) | interface id(32)
 *       7 PORTS    source port(16) | destination port(16) | UDP payload length on the wire(32)
 *       8 DATA     payload offset in store(32) | payload bytes captured(32)
 *       9 META     kind(8) | time digits(8) | IP version(8) | reassembled(8)
 * </pre>
 */
final class DatagramBatch {
    static final int STRIDE = 10;
    static final int TIME = 0;
    static final int FRAME = 1;
    static final int SRC_HI = 2;
    static final int SRC_LO = 3;
    static final int DST_HI = 4;
    static final int DST_LO = 5;
    static final int LINK = 6;
    static final int PORTS = 7;
    static final int DATA = 8;
    static final int META = 9;

    static final int KIND_DATAGRAM = 0;
    static final int KIND_ICMP = 1;
    static final int KIND_SECRETS = 2;
    static final int KIND_PROGRESS = 3;

    /**
     * Bytes copied past a payload's end when the decoder's buffer has them: a handler that reads a fixed
     * field of a message cut by the snaplen (an index at 4-7, a counter at 8-15) without asking whether it
     * was captured then sees the bytes it would have seen in the reader's buffer, as on one thread.
     */
    static final int TAIL = 16;

    final int capacity;
    final long[] entries;
    final byte[] store;
    int size;
    int storeUsed;
    /** The last batch of the read: after it the reader's outcome is published. */
    boolean last;
    private final List<Object> objects = new ArrayList<>();

    /**
     * @param capacity   entries
     * @param storeBytes payload bytes; at least the largest datagram's (a record, CaptureSession.MAX_RECORD,
     *                   or a reassembly, FragmentTable.MAX_PAYLOAD) plus {@link #TAIL}
     */
    DatagramBatch(int capacity, int storeBytes) {
        this.capacity = capacity;
        this.entries = new long[capacity * STRIDE];
        this.store = new byte[storeBytes];
    }

    /** Queues a datagram by value; false (nothing queued) when the batch is full. */
    boolean addDatagram(Datagram d) {
        byte[] b = d.buffer();
        int off = d.payloadOffset();
        int captured = d.payloadCaptured();
        int copy = Math.min(captured + TAIL, b.length - off);
        if (size == capacity || storeUsed + copy > store.length) return false;
        System.arraycopy(b, off, store, storeUsed, copy);
        long[] e = entries;
        int p = size++ * STRIDE;
        e[p + TIME] = d.timeNanos();
        e[p + FRAME] = d.frameNumber();
        e[p + SRC_HI] = d.srcHi();
        e[p + SRC_LO] = d.srcLo();
        e[p + DST_HI] = d.dstHi();
        e[p + DST_LO] = d.dstLo();
        e[p + LINK] = ((long) d.linkType() << 32) | (d.interfaceId() & 0xffffffffL);
        e[p + PORTS] = ((long) d.srcPort() << 48) | ((long) d.dstPort() << 32) | (d.payloadLength() & 0xffffffffL);
        e[p + DATA] = ((long) storeUsed << 32) | (captured & 0xffffffffL);
        e[p + META] = KIND_DATAGRAM | d.timeDigits() << 8 | d.ipVersion() << 16 | (d.reassembled() ? 1 << 24 : 0);
        storeUsed += copy;
        return true;
    }

    /** Queues a copy of an ICMP error; false when full. */
    boolean addIcmp(IcmpError error) {
        return addObject(KIND_ICMP, 0, error.copy());
    }

    /** Queues a Decryption Secrets Block (the reader made {@code data} for it alone); false when full. */
    boolean addSecrets(int secretsType, byte[] data) {
        return addObject(KIND_SECRETS, secretsType, data);
    }

    private boolean addObject(int kind, long time, Object o) {
        if (size == capacity) return false;
        int p = size++ * STRIDE;
        entries[p + TIME] = time;
        entries[p + FRAME] = objects.size();
        entries[p + META] = kind;
        objects.add(o);
        return true;
    }

    /** Queues a progress report; false when full. */
    boolean addProgress(long bytes) {
        if (size == capacity) return false;
        int p = size++ * STRIDE;
        entries[p + TIME] = bytes;
        entries[p + META] = KIND_PROGRESS;
        return true;
    }

    /** Replays the batch in order through {@code g}, each event to its receiver, as the reader's decoder would have given them. */
    void deliver(Datagram g, DatagramHandler handler, IcmpHandler icmp, SecretsHandler secrets, LongConsumer progress) {
        long[] e = entries;
        byte[] s = store;
        for (int i = 0, p = 0; i < size; i++, p += STRIDE) {
            long meta = e[p + META];
            int kind = (int) meta & 0xff;
            if (kind == KIND_DATAGRAM) {
                long link = e[p + LINK];
                long ports = e[p + PORTS];
                long data = e[p + DATA];
                g.linkType((int) (link >>> 32));
                g.fill(e[p + TIME], (int) (meta >>> 8) & 0xff, e[p + FRAME], (int) link, (int) (meta >>> 16) & 0xff,
                        e[p + SRC_HI], e[p + SRC_LO], (int) (ports >>> 48), e[p + DST_HI], e[p + DST_LO],
                        (int) (ports >>> 32) & 0xffff, s, (int) (data >>> 32), (int) data, (int) ports,
                        (meta & (1 << 24)) != 0);
                handler.onDatagram(g);
            } else if (kind == KIND_ICMP) {
                icmp.onIcmpError((IcmpError) objects.get((int) e[p + FRAME]));
            } else if (kind == KIND_SECRETS) {
                secrets.onSecrets((int) e[p + TIME], (byte[]) objects.get((int) e[p + FRAME]));
            } else {
                progress.accept(e[p + TIME]);
            }
        }
    }

    /** Empties the batch for reuse (ICMP errors and secrets are let go). */
    void clear() {
        size = 0;
        storeUsed = 0;
        objects.clear();
        last = false;
    }
}
