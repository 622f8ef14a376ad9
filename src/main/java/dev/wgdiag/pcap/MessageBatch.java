package dev.wgdiag.pcap;

import dev.wgdiag.wire.Datagram;
import dev.wgdiag.wire.WgMessage;
import dev.wgdiag.wire.WgMessageHandler;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * A run of consecutive reader events -- WireGuard messages, ICMP errors, Decryption Secrets Blocks,
 * progress -- queued by the reader thread for the analysis thread ({@link ReaderThread}), in capture
 * order. Reused: filled, handed over, replayed, cleared, handed back. Nothing is allocated per message.
 *
 * <p>An entry is {@link #STRIDE} longs of {@link #entries}; a message's payload bytes are copied into
 * {@link #store}:
 * <pre>
 * slot  0 TIME        time, ns since the epoch        (PROGRESS: bytes consumed)
 *       1 FRAME       frame number                    (ICMP, SECRETS: index into icmp / secrets)
 *       2 SRC_HI      source address, high 64 bits
 *       3 SRC_LO      source address, low 64 bits
 *       4 DST_HI      destination address, high 64 bits
 *       5 DST_LO      destination address, low 64 bits
 *       6 PORTS       source port(16) | destination port(16) | payload offset in store(32)
 *       7 LENGTHS     payload bytes captured(32) | payload length on the wire(32)
 *       8 LINK        link type(32) | interface id(32)
 *       9 META        kind(8) | IP version(8) | time digits(8) | reassembled(8)
 * </pre>
 */
final class MessageBatch {
    static final int STRIDE = 10;
    static final int TIME = 0;
    static final int FRAME = 1;
    static final int SRC_HI = 2;
    static final int SRC_LO = 3;
    static final int DST_HI = 4;
    static final int DST_LO = 5;
    static final int PORTS = 6;
    static final int LENGTHS = 7;
    static final int LINK = 8;
    static final int META = 9;

    static final int KIND_MESSAGE = 0;
    static final int KIND_ICMP = 1;
    static final int KIND_SECRETS = 2;
    static final int KIND_PROGRESS = 3;

    /**
     * Bytes copied past a message's captured end when the reader's buffer has them: a handler that
     * reads a fixed field (an index at 4-7, a counter at 8-15) without asking whether it was captured
     * then sees the bytes it would have seen in the reader's buffer, as on one thread.
     */
    static final int TAIL = 16;

    final int capacity;
    final long[] entries;
    final byte[] store;
    int size;
    int storeUsed;
    /** The last batch of the read: after it the reader's outcome is published. */
    boolean last;
    private final List<IcmpError> icmp = new ArrayList<>();
    private int icmpUsed;
    private final List<byte[]> secrets = new ArrayList<>();

    /**
     * @param capacity   entries
     * @param storeBytes payload bytes; at least one record's largest payload plus {@link #TAIL}
     */
    MessageBatch(int capacity, int storeBytes) {
        this.capacity = capacity;
        this.entries = new long[capacity * STRIDE];
        this.store = new byte[storeBytes];
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** Queues a WireGuard message by value; false (nothing queued) when the batch is full. */
    boolean addMessage(Datagram d) {
        int captured = d.payloadCaptured();
        byte[] from = d.buffer();
        int off = d.payloadOffset();
        int copy = Math.min(Math.max(captured, TAIL), from.length - off);
        if (size == capacity || storeUsed + copy > store.length) return false;
        System.arraycopy(from, off, store, storeUsed, copy);
        long[] e = entries;
        int p = size * STRIDE;
        e[p + TIME] = d.timeNanos();
        e[p + FRAME] = d.frameNumber();
        e[p + SRC_HI] = d.srcHi();
        e[p + SRC_LO] = d.srcLo();
        e[p + DST_HI] = d.dstHi();
        e[p + DST_LO] = d.dstLo();
        e[p + PORTS] = ((long) d.srcPort() << 48) | ((long) d.dstPort() << 32) | storeUsed;
        e[p + LENGTHS] = ((long) captured << 32) | (d.payloadLength() & 0xffffffffL);
        e[p + LINK] = ((long) d.linkType() << 32) | (d.interfaceId() & 0xffffffffL);
        e[p + META] = KIND_MESSAGE | d.ipVersion() << 8 | d.timeDigits() << 16 | (d.reassembled() ? 1 << 24 : 0);
        storeUsed += copy;
        size++;
        return true;
    }

    /** Queues a copy of an ICMP error; false when the batch is full. */
    boolean addIcmp(IcmpError error) {
        if (size == capacity) return false;
        if (icmpUsed == icmp.size()) icmp.add(new IcmpError());
        icmp.get(icmpUsed).copyFrom(error);
        int p = size++ * STRIDE;
        entries[p + FRAME] = icmpUsed++;
        entries[p + META] = KIND_ICMP;
        return true;
    }

    /** Queues a Decryption Secrets Block (the reader made {@code data} for it alone); false when full. */
    boolean addSecrets(int secretsType, byte[] data) {
        if (size == capacity) return false;
        int p = size++ * STRIDE;
        entries[p + TIME] = secretsType;
        entries[p + FRAME] = secrets.size();
        entries[p + META] = KIND_SECRETS;
        secrets.add(data);
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

    /**
     * Replays the batch in order: each message to {@code handler} through the flyweights {@code d} and
     * {@code m}, each ICMP error, secrets block and progress report to its receiver.
     */
    void deliver(Datagram d, WgMessage m, WgMessageHandler handler, IcmpHandler icmpHandler,
                 SecretsHandler secretsHandler, LongConsumer progress) {
        long[] e = entries;
        byte[] s = store;
        for (int i = 0, p = 0; i < size; i++, p += STRIDE) {
            long meta = e[p + META];
            int kind = (int) meta & 0xff;
            if (kind == KIND_MESSAGE) {
                long ports = e[p + PORTS];
                long lengths = e[p + LENGTHS];
                long link = e[p + LINK];
                int captured = (int) (lengths >>> 32);
                int length = (int) lengths;
                int offset = (int) ports;
                d.linkType((int) (link >>> 32));
                d.fill(e[p + TIME], (int) (meta >>> 16) & 0xff, e[p + FRAME], (int) link, (int) (meta >>> 8) & 0xff,
                        e[p + SRC_HI], e[p + SRC_LO], (int) (ports >>> 48) & 0xffff,
                        e[p + DST_HI], e[p + DST_LO], (int) (ports >>> 32) & 0xffff,
                        s, offset, captured, length, (meta & (1 << 24)) != 0);
                m.wrap(s, offset, captured, length);
                handler.onMessage(d, m);
            } else if (kind == KIND_ICMP) {
                icmpHandler.onIcmpError(icmp.get((int) e[p + FRAME]));
            } else if (kind == KIND_SECRETS) {
                secretsHandler.onSecrets((int) e[p + TIME], secrets.get((int) e[p + FRAME]));
            } else {
                progress.accept(e[p + TIME]);
            }
        }
    }

    /** Empties the batch for reuse (ICMP copies are kept for reuse; secrets are let go). */
    void clear() {
        size = 0;
        storeUsed = 0;
        icmpUsed = 0;
        secrets.clear();
        last = false;
    }
}
