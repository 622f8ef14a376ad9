package dev.wgdiag.peer.net;

import dev.wgdiag.peer.HandshakeWork;
import java.io.Closeable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Threads that run responder handshakes' public-key work ({@link HandshakeWork}) off the driver's
 * thread, so a busy responder uses every core: wireguard-go starts one handshake worker per CPU
 * (device.go, RoutineHandshake) on a queue of {@link #MAX_QUEUED} (QueueHandshakeSize in
 * device/queueconstants_default.go) and drops initiations while it is full. Finished work waits in a
 * queue for the driver's thread, which applies it to the interface ({@code WgInterface.onWorkDone}); the
 * interface itself never sees another thread.
 */
public final class HandshakeWorkers implements Closeable {
    /** Work queued or running at most (wireguard-go QueueHandshakeSize). */
    public static final int MAX_QUEUED = 1024;

    /** Finished work and the tag it was submitted with (the driver's receiving socket). */
    public record Done(HandshakeWork work, Object tag) {
    }

    private final ExecutorService pool;
    private final ConcurrentLinkedQueue<Done> done = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pending = new AtomicInteger();
    private final Runnable wakeup;
    private long dropped;

    /**
     * @param threads how many workers
     * @param wakeup  called (on a worker) after each finished work, to wake the driver's thread
     */
    public HandshakeWorkers(int threads, Runnable wakeup) {
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "wgdiag-handshake-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.wakeup = wakeup;
    }

    /** Workers for this machine: one per CPU (wireguard-go); none on a single CPU, where inline is cheaper. */
    static int defaultThreads() {
        int cpus = Runtime.getRuntime().availableProcessors();
        return cpus > 1 ? cpus : 0;
    }

    /** Queues {@code work}; false (dropped, counted) when {@link #MAX_QUEUED} are already queued or running. */
    public boolean submit(HandshakeWork work, Object tag) {
        if (pending.get() >= MAX_QUEUED) {
            dropped++;
            return false;
        }
        pending.incrementAndGet();
        pool.execute(() -> {
            work.run();
            done.add(new Done(work, tag));
            wakeup.run();
        });
        return true;
    }

    /** The next finished work, or null; call from the one thread that submits. */
    public Done poll() {
        Done d = done.poll();
        if (d != null) pending.decrementAndGet();
        return d;
    }

    /** Work submitted and not yet taken by {@link #poll()}. */
    public int pending() {
        return pending.get();
    }

    /** Initiations dropped because the queue was full. */
    public long dropped() {
        return dropped;
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
