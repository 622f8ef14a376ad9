package dev.wgdiag.pcap;

import dev.wgdiag.wire.Datagram;
import dev.wgdiag.wire.DatagramHandler;
import dev.wgdiag.wire.WgMessage;
import dev.wgdiag.wire.WgMessageHandler;
import dev.wgdiag.wire.WireGuardDecoder;

import java.io.InputStream;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

/**
 * One read on two cores: a reader thread does the file I/O (and gunzip), the pcap/pcapng record
 * loop, the link/IP/UDP decoding and the WireGuard classification ({@link WireGuardDecoder#accept}),
 * and queues each accepted message by value into a {@link MessageBatch}; the calling thread replays
 * the batches to the decoder's handler (the analysis). Order is kept exactly: one queue, one producer,
 * one consumer, and ICMP errors, secrets blocks and progress reports travel in the same batches as the
 * messages, so every callback runs on the calling thread in the order one thread would make them.
 *
 * <p>Memory: at most {@link #BATCHES} batches (made as needed), whatever the capture's size. The
 * reader thread's outcome -- its {@link CaptureStats}, or the {@link CaptureException} (or any other
 * failure) it met -- is thrown or returned by {@link #read} after the batches before it are delivered,
 * so a handler sees exactly what it would see on one thread. A failing handler stops the reader.
 */
final class ReaderThread {
    /** Batches in the ring: one being filled, one being analysed, two to absorb jitter. */
    static final int BATCHES = 4;
    static final int ENTRIES = 4096;
    /** Payload bytes per batch: room for the largest record (CaptureSession.MAX_RECORD) and its tail. */
    static final int STORE_BYTES = 1 << 20;
    /** Files smaller than this are read on one thread: it starts sooner and they end in milliseconds. */
    static final long MIN_BYTES = 4L << 20;
    /** {@code -Dwgdiag.readerThread=on|off|auto} (auto: files of at least {@link #MIN_BYTES}, streams, 2+ CPUs). */
    static final String PROPERTY = "wgdiag.readerThread";

    private final ArrayBlockingQueue<MessageBatch> full = new ArrayBlockingQueue<>(BATCHES);
    private final ArrayBlockingQueue<MessageBatch> free = new ArrayBlockingQueue<>(BATCHES);
    private final int entries;
    private final int storeBytes;
    private int created;
    private volatile boolean cancelled;
    private MessageBatch current;
    /** The reader's outcome, written before the last batch is queued (the queue publishes it). */
    private CaptureStats stats;
    private Throwable failure;

    private ReaderThread(int entries, int storeBytes) {
        this.entries = entries;
        this.storeBytes = storeBytes;
    }

    /** Whether a read of {@code sizeHint} bytes (-1: a stream of unknown size) goes through a reader thread. */
    static boolean worthIt(long sizeHint) {
        String mode = System.getProperty(PROPERTY, "auto").toLowerCase(Locale.ROOT);
        if (mode.equals("on")) return true;
        if (mode.equals("off")) return false;
        return Runtime.getRuntime().availableProcessors() >= 2 && (sizeHint < 0 || sizeHint >= MIN_BYTES);
    }

    /** Reads {@code in} (already gunzipped) with batches of {@code entries}; see the class comment. */
    static CaptureStats read(String name, InputStream in, WireGuardDecoder decoder, LongConsumer progress,
                             CaptureOptions options, int bufferSize, int entries) throws CaptureException {
        return new ReaderThread(entries, STORE_BYTES).run(name, in, decoder, progress, options, bufferSize);
    }

    private CaptureStats run(String name, InputStream in, WireGuardDecoder decoder, LongConsumer progress,
                             CaptureOptions options, int bufferSize) throws CaptureException {
        IcmpHandler icmp = options.icmpHandler();
        SecretsHandler secrets = options.secretsHandler();
        // Stand-ins on the reader thread queue the events; the same null-ness keeps the decoder's choices.
        CaptureOptions queued = options.withHandlers(icmp == null ? null : this::queueIcmp,
                secrets == null ? null : this::queueSecrets);
        Thread reader = new Thread(() -> produce(name, in, decoder, progress == null ? null : this::queueProgress,
                queued, bufferSize), "wgdiag-reader");
        reader.setDaemon(true);
        reader.start();
        WgMessageHandler handler = decoder.handler();
        Datagram d = new Datagram();
        WgMessage m = new WgMessage();
        try {
            while (true) {
                MessageBatch b = full.take();
                b.deliver(d, m, handler, icmp, secrets, progress);
                if (b.last) break;
                b.clear();
                free.add(b);
            }
            reader.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop(reader);
            throw new CaptureException(name + ": interrupted while reading");
        } catch (RuntimeException | Error e) {
            stop(reader);
            throw e;
        }
        if (failure instanceof CaptureException c) throw c;
        if (failure instanceof RuntimeException r) throw r;
        if (failure instanceof Error r) throw r;
        return stats;
    }

    /** The handler failed: the reader stops at its next hand-over (a batch is freed so that it gets there). */
    private void stop(Thread reader) {
        cancelled = true;
        MessageBatch b;
        while ((b = full.poll()) != null) free.offer(b);
        try {
            reader.join(TimeUnit.SECONDS.toMillis(1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void produce(String name, InputStream in, WireGuardDecoder decoder, LongConsumer progress,
                         CaptureOptions options, int bufferSize) {
        try {
            current = acquire();
            DatagramHandler accept = dg -> {
                if (decoder.accept(dg) && !current.addMessage(dg)) {
                    next();
                    current.addMessage(dg);
                }
            };
            stats = new CaptureSession(name, in, accept, progress, options, bufferSize).run();
        } catch (Cancelled c) {
            return;
        } catch (Throwable t) {
            failure = t;
        }
        if (current == null) current = new MessageBatch(1, 0);
        current.last = true;
        try {
            full.put(current);
        } catch (InterruptedException e) {
            // only the consumer's stop() ends the wait, and then nobody reads the queue
        }
    }

    private void queueIcmp(IcmpError e) {
        if (!current.addIcmp(e)) {
            next();
            current.addIcmp(e);
        }
    }

    private void queueSecrets(int type, byte[] data) {
        if (!current.addSecrets(type, data)) {
            next();
            current.addSecrets(type, data);
        }
    }

    private void queueProgress(long bytes) {
        if (!current.addProgress(bytes)) {
            next();
            current.addProgress(bytes);
        }
    }

    /** Hands the full batch over and takes an empty one. */
    private void next() {
        try {
            full.put(current);
            current = null;
            current = acquire();
        } catch (InterruptedException e) {
            throw new Cancelled();
        }
    }

    private MessageBatch acquire() throws InterruptedException {
        if (cancelled) throw new Cancelled();
        MessageBatch b = free.poll();
        if (b == null) {
            if (created < BATCHES) {
                created++;
                return new MessageBatch(entries, storeBytes);
            }
            b = free.take();
        }
        if (cancelled) throw new Cancelled();
        return b;
    }

    /** Unwinds the reader thread when the analysis has failed. */
    private static final class Cancelled extends RuntimeException {
        Cancelled() {
            super(null, null, false, false);
        }
    }
}
