package dev.wgdiag.pcap;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * A run of consecutive records -- captured frames, frames of an unsupported link type, records that
 * are no packet, Decryption Secrets Blocks, progress reports -- queued by the reader thread for the
 * decoding and analysis thread ({@link ReaderThread}), in capture order. Reused: filled, handed over,
 * replayed, cleared, handed back. Nothing is allocated per frame.
 *
 * <p>An entry is {@link #STRIDE} longs of {@link #entries}; a frame's bytes are copied into {@link #store}:
 * <pre>
 * slot  0 TIME     time, ns since the epoch             (SECRETS: secrets type; PROGRESS: bytes consumed)
 *       1 FRAME    frame number                         (SECRETS: index into the secrets list)
 *       2 LINK     link type(32) | interface id(32)
 *       3 DATA     frame offset in store(32) | captured length(32)
 *       4 META     kind(8) | time digits(8)
 * </pre>
 */
final class FrameBatch {
    static final int STRIDE = 5;
    static final int TIME = 0;
    static final int FRAME = 1;
    static final int LINK = 2;
    static final int DATA = 3;
    static final int META = 4;

    static final int KIND_FRAME = 0;
    static final int KIND_UNSUPPORTED = 1;
    static final int KIND_NOT_PACKET = 2;
    static final int KIND_SECRETS = 3;
    static final int KIND_PROGRESS = 4;

    /**
     * Bytes copied past a frame's end when the reader's buffer has them: a handler that reads a fixed
     * field of a message cut by the snaplen (an index at 4-7, a counter at 8-15) without asking whether
     * it was captured then sees the bytes it would have seen in the reader's buffer, as on one thread.
     */
    static final int TAIL = 16;

    final int capacity;
    final long[] entries;
    final byte[] store;
    int size;
    int storeUsed;
    /** The last batch of the read: after it the reader's outcome is published. */
    boolean last;
    private final List<byte[]> secrets = new ArrayList<>();

    /**
     * @param capacity   entries
     * @param storeBytes frame bytes; at least the largest record (CaptureSession.MAX_RECORD) plus {@link #TAIL}
     */
    FrameBatch(int capacity, int storeBytes) {
        this.capacity = capacity;
        this.entries = new long[capacity * STRIDE];
        this.store = new byte[storeBytes];
    }

    /** Queues a frame by value (the decoder's per-frame fields); false (nothing queued) when the batch is full. */
    boolean addFrame(PacketDecoder d, int linkType, byte[] b, int off, int len) {
        int copy = Math.min(len + TAIL, b.length - off);
        if (size == capacity || storeUsed + copy > store.length) return false;
        System.arraycopy(b, off, store, storeUsed, copy);
        long[] e = entries;
        int p = size++ * STRIDE;
        e[p + TIME] = d.time;
        e[p + FRAME] = d.frameNumber;
        e[p + LINK] = ((long) linkType << 32) | (d.interfaceId & 0xffffffffL);
        e[p + DATA] = ((long) storeUsed << 32) | (len & 0xffffffffL);
        e[p + META] = KIND_FRAME | d.timeDigits << 8;
        storeUsed += copy;
        return true;
    }

    /** Queues a record of kind {@link #KIND_UNSUPPORTED} (with its link type) or {@link #KIND_NOT_PACKET}; false when full. */
    boolean addRecord(int kind, int linkType) {
        if (size == capacity) return false;
        int p = size++ * STRIDE;
        entries[p + LINK] = (long) linkType << 32;
        entries[p + META] = kind;
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

    /** Replays the batch in order: frames to {@code decoder} as the reader would have given them, the rest to their receivers. */
    void deliver(PacketDecoder decoder, SecretsHandler secretsHandler, LongConsumer progress) {
        long[] e = entries;
        byte[] s = store;
        for (int i = 0, p = 0; i < size; i++, p += STRIDE) {
            long meta = e[p + META];
            int kind = (int) meta & 0xff;
            if (kind == KIND_FRAME) {
                long link = e[p + LINK];
                long data = e[p + DATA];
                int linkType = (int) (link >>> 32);
                decoder.time = e[p + TIME];
                decoder.frameNumber = e[p + FRAME];
                decoder.interfaceId = (int) link;
                decoder.timeDigits = (int) (meta >>> 8) & 0xff;
                decoder.setLinkType(linkType);
                decoder.decode(linkType, s, (int) (data >>> 32), (int) data);
            } else if (kind == KIND_UNSUPPORTED) {
                decoder.unsupported((int) (e[p + LINK] >>> 32));
            } else if (kind == KIND_NOT_PACKET) {
                decoder.notPacket();
            } else if (kind == KIND_SECRETS) {
                secretsHandler.onSecrets((int) e[p + TIME], secrets.get((int) e[p + FRAME]));
            } else {
                progress.accept(e[p + TIME]);
            }
        }
    }

    /** Empties the batch for reuse (secrets are let go). */
    void clear() {
        size = 0;
        storeUsed = 0;
        secrets.clear();
        last = false;
    }
}
