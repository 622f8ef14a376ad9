package dev.wgdiag.pcap;

import dev.wgdiag.wire.Datagram;
import dev.wgdiag.wire.DatagramHandler;

import java.io.InputStream;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

/**
 * One read on two cores: a reader thread does the file I/O (and gunzip), the pcap/pcapng record loop
 * and the decoding of each frame down to UDP (link, IP, reassembly, ICMP errors), and queues each
 * datagram by value into a {@link DatagramBatch}; the calling thread replays the batches to the
 * handler -- the WireGuard decoder and the analysis -- exactly as one thread would. The split puts
 * the reading and decoding on one core and the analysis on the other (about even on the benchmark
 * capture: docs/benchmarks.md). Order is kept exactly: one queue, one producer, one consumer; ICMP
 * errors, secrets blocks and progress reports travel in the same batches as the datagrams, so every
 * callback runs on the calling thread in the order one thread would make them.
 *
 * <p>Memory: at most {@link #BATCHES} batches (made as needed), whatever the capture's size. The
 * reader thread's outcome -- the end of the records, or the {@link CaptureException} (or any other
 * failure) it met -- is thrown or turned into {@link CaptureStats} by {@link #read} after the batches
 * before it are delivered, so a handler sees exactly what it would see on one thread. A failing
 * handler stops the reader.
 */
final class ReaderThread {
    /** Batches in the ring: one being filled, one being decoded, two to absorb jitter. */
    static final int BATCHES = 4;
    static final int ENTRIES = 4096;
    /** Payload bytes per batch: room for the largest datagram (a record, CaptureSession.MAX_RECORD) and its tail. */
    static final int STORE_BYTES = 1 << 20;
    /** Files smaller than this are read on one thread: it starts sooner and they end in milliseconds. */
    static final long MIN_BYTES = 4L << 20;
    /** {@code -Dwgdiag.readerThread=on|off|auto} (auto: files of at least {@link #MIN_BYTES}, streams, 2+ CPUs). */
    static final String PROPERTY = "wgdiag.readerThread";

    private final ArrayBlockingQueue<DatagramBatch> full = new ArrayBlockingQueue<>(BATCHES);
    private final ArrayBlockingQueue<DatagramBatch> free = new ArrayBlockingQueue<>(BATCHES);
    private final int entries;
    private final int storeBytes;
    private int created;
    private volatile boolean cancelled;
    private DatagramBatch current;
    /** The reader's failure, written before the last batch is queued (the queue publishes it). */
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

    /** Reads {@code in} (already gunzipped) into {@code handler} with batches of {@code entries}; see the class comment. */
    static CaptureStats read(String name, InputStream in, DatagramHandler handler, LongConsumer progress,
                             CaptureOptions options, int bufferSize, int entries) throws CaptureException {
        return new ReaderThread(entries, STORE_BYTES).run(name, in, handler, progress, options, bufferSize);
    }

    private CaptureStats run(String name, InputStream in, DatagramHandler handler, LongConsumer progress,
                             CaptureOptions options, int bufferSize) throws CaptureException {
        SecretsHandler secrets = options.secretsHandler();
        IcmpHandler icmp = options.icmpHandler();
        // The reader's stand-ins queue secrets blocks and ICMP errors; the same null-ness keeps the reader's choices.
        CaptureOptions queued = options.withHandlers(secrets == null ? null : this::queueSecrets, icmp == null ? null : this::queueIcmp);
        PacketDecoder decoder = new PacketDecoder(this::queueDatagram, queued);
        CaptureSession session = new CaptureSession(name, in, decoder, progress == null ? null : this::queueProgress,
                queued, bufferSize);
        Thread reader = new Thread(() -> produce(session), "wgdiag-reader");
        reader.setDaemon(true);
        reader.start();
        Datagram g = new Datagram();
        try {
            while (true) {
                DatagramBatch b = full.take();
                b.deliver(g, handler, icmp, secrets, progress);
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
        return session.finish(decoder);
    }

    /** The handler failed: the reader stops at its next hand-over (a batch is freed so that it gets there). */
    private void stop(Thread reader) {
        cancelled = true;
        DatagramBatch b;
        while ((b = full.poll()) != null) free.offer(b);
        try {
            reader.join(TimeUnit.SECONDS.toMillis(1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void produce(CaptureSession session) {
        try {
            current = acquire();
            session.readRecords();
        } catch (Cancelled c) {
            return;
        } catch (Throwable t) {
            failure = t;
        }
        if (current == null) current = new DatagramBatch(1, 0);
        current.last = true;
        try {
            full.put(current);
        } catch (InterruptedException e) {
            // only the consumer's stop() ends the wait, and then nobody reads the queue
        }
    }

    private void queueDatagram(Datagram d) {
        if (!current.addDatagram(d)) {
            next();
            current.addDatagram(d);
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

    private DatagramBatch acquire() throws InterruptedException {
        if (cancelled) throw new Cancelled();
        DatagramBatch b = free.poll();
        if (b == null) {
            if (created < BATCHES) {
                created++;
                return new DatagramBatch(entries, storeBytes);
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
