package dev.wgdiag.pcap;

import java.io.IOException;
import java.io.InputStream;
import java.util.function.LongConsumer;

/**
 * One large reusable chunk of the input. Records are parsed in place between {@link #pos} and
 * {@link #limit}; when a record would cross the end, the unread tail is moved to the front and the
 * rest of the array refilled. No allocation after construction.
 */
final class InputBuffer {
    static final int DEFAULT_SIZE = 8 << 20;
    /**
     * Bytes asked of the input per read (more when a record needs it): a chunk that stays in the CPU's
     * cache between the copy out of the page cache and the parse (256 KiB: less CPU than 8 MiB reads
     * in docs/benchmarks.md's runs).
     */
    static final int CHUNK = 256 << 10;

    final byte[] buf;
    int pos;
    int limit;
    /** Input offset of buf[0]. */
    private long base;
    private boolean eof;
    private final InputStream in;
    private final LongConsumer progress;
    private final long progressInterval;
    private long nextProgress;

    InputBuffer(InputStream in, int size, LongConsumer progress, long progressInterval) {
        this.in = in;
        this.buf = new byte[size];
        this.progress = progress;
        this.progressInterval = progressInterval;
        this.nextProgress = progressInterval;
    }

    /** Input offset of {@link #pos}: bytes consumed so far. */
    long offset() {
        return base + pos;
    }

    /** Makes n bytes available from pos (n at most the buffer size); false when the input ends first. */
    boolean ensure(int n) throws IOException {
        return limit - pos >= n || fill(n);
    }

    private boolean fill(int n) throws IOException {
        if (n > buf.length) {
            throw new IllegalArgumentException("request larger than the buffer: " + n);
        }
        reportProgress();
        if (pos > 0) {
            int rest = limit - pos;
            System.arraycopy(buf, pos, buf, 0, rest);
            base += pos;
            pos = 0;
            limit = rest;
        }
        while (limit < n && !eof) {
            int r = in.read(buf, limit, Math.min(buf.length - limit, Math.max(n - limit, CHUNK)));
            if (r < 0) {
                eof = true;
            } else {
                limit += r;
            }
        }
        return limit >= n;
    }

    /** Bytes available from pos without reading (after a failed ensure: what the input still had). */
    int available() {
        return limit - pos;
    }

    /** Consumes n bytes, reading past the buffer when needed; returns how many the input really had. */
    long skip(long n) throws IOException {
        long have = limit - pos;
        if (n <= have) {
            pos += (int) n;
            return n;
        }
        long skipped = have;
        base += limit;
        pos = 0;
        limit = 0;
        while (skipped < n && !eof) {
            int r = in.read(buf, 0, (int) Math.min(buf.length, n - skipped));
            if (r < 0) {
                eof = true;
            } else {
                skipped += r;
                base += r;
            }
        }
        reportProgress();
        return skipped;
    }

    void reportProgress() {
        long at = offset();
        if (progress != null && at >= nextProgress) {
            progress.accept(at);
            nextProgress = at + progressInterval;
        }
    }

    void finalProgress() {
        if (progress != null) {
            progress.accept(offset());
        }
    }
}
