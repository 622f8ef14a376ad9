package dev.wgdiag.capture;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import java.lang.reflect.Field;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.pcap4j.core.PcapHandle;

/**
 * libpcap's {@code pcap_next_ex(3PCAP)} on a pcap4j handle, with its two out-pointers allocated once.
 *
 * <p>Why: pcap4j 1.8's {@code PcapHandle.getNextRawPacketEx} allocates two {@code PointerByReference}
 * per packet, each a JNA {@code Memory} malloc'd outside the Java heap and freed only when a garbage
 * collection finds its owner unreachable. Those owners often survive into the old generation, so the
 * native memory piles up until a full collection: {@code CaptureRingSoakLabTest} measured the resident
 * set growing 1.4 MB a minute at 400 frames a second, while the JVM's own native memory stayed flat
 * (-XX:NativeMemoryTracking) and a capture without traffic did not grow.
 *
 * <p>It uses pcap4j's handle and its lock (the read lock held during the call, as pcap4j does, so a
 * {@code close()} waits for the read to end). When pcap4j's internals are not as expected, or the
 * library cannot be bound, {@link #of} returns null and the caller uses pcap4j's method.
 *
 * <pre>
 * struct pcap_pkthdr (pcap/pcap.h):        offset
 *   struct timeval ts { tv_sec; tv_usec }  0, L      L = sizeof(long): 8 on LP64, 4 on Windows
 *   bpf_u_int32 caplen                     2L        (macOS: tv_usec is 4 bytes padded to 8)
 *   bpf_u_int32 len                        2L + 4
 * </pre>
 * With a nanosecond-precision handle, {@code tv_usec} holds nanoseconds (pcap_set_tstamp_precision).
 */
final class NextPacket {
    /** pcap_next_ex's results (pcap/pcap.h): a packet, the buffer timeout, an error, the loop broken. */
    static final int PACKET = 1;
    static final int TIMEOUT = 0;
    static final int ERROR = -1;
    static final int BREAK = -2;
    /** Ours: the handle is closed or closing. */
    static final int NOT_OPEN = -100;

    interface Pcap extends Library {
        int pcap_next_ex(Pointer p, PointerByReference header, PointerByReference data);
    }

    private final PcapHandle handle;
    private final Pointer pcap;
    private final Lock readLock;
    private final Pcap lib;
    private final long fractionScale;
    private final PointerByReference header = new PointerByReference();
    private final PointerByReference data = new PointerByReference();
    private byte[] frame;
    private long timeNanos;
    private int originalLength;

    private NextPacket(PcapHandle handle, Pointer pcap, Lock readLock, Pcap lib, boolean nanos) {
        this.handle = handle;
        this.pcap = pcap;
        this.readLock = readLock;
        this.lib = lib;
        this.fractionScale = nanos ? 1 : 1000;
    }

    /** A reader on {@code handle}, or null when pcap4j's method must be used instead. */
    static NextPacket of(PcapHandle handle, boolean nanos) {
        try {
            Field h = PcapHandle.class.getDeclaredField("handle");
            Field l = PcapHandle.class.getDeclaredField("handleLock");
            h.setAccessible(true);
            l.setAccessible(true);
            Pointer pcap = (Pointer) h.get(handle);
            Lock readLock = ((ReentrantReadWriteLock) l.get(handle)).readLock();
            String name = System.getProperty(PcapLibrary.LIB_PROPERTY,
                    System.getProperty("os.name", "").startsWith("Windows") ? "wpcap" : "pcap");
            Pcap lib = Native.load(name, Pcap.class);
            return pcap == null ? null : new NextPacket(handle, pcap, readLock, lib, nanos);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null;
        }
    }

    /** Reads the next packet: {@link #PACKET} (then {@link #frame()} etc.), or why there is none. */
    int next() {
        if (!handle.isOpen() || !readLock.tryLock()) return NOT_OPEN;
        try {
            if (!handle.isOpen()) return NOT_OPEN;
            int rc = lib.pcap_next_ex(pcap, header, data);
            if (rc != PACKET) return rc < 0 && rc != ERROR && rc != BREAK ? ERROR : rc;
            Pointer h = header.getValue();
            int longSize = Native.LONG_SIZE;
            long seconds = longSize == 8 ? h.getLong(0) : h.getInt(0) & 0xffffffffL;
            long fraction = h.getInt(longSize) & 0xffffffffL;
            int capLen = h.getInt(2L * longSize);
            originalLength = h.getInt(2L * longSize + 4);
            timeNanos = seconds * 1_000_000_000L + fraction * fractionScale;
            frame = data.getValue().getByteArray(0, capLen);
            return PACKET;
        } finally {
            readLock.unlock();
        }
    }

    byte[] frame() {
        return frame;
    }

    long timeNanos() {
        return timeNanos;
    }

    int originalLength() {
        return originalLength;
    }
}
