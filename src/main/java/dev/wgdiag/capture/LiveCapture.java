package dev.wgdiag.capture;

import org.pcap4j.core.BpfProgram;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapAddress;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.PcapNetworkInterface;
import org.pcap4j.core.PcapStat;
import org.pcap4j.core.Pcaps;

import java.io.EOFException;
import java.io.IOException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeoutException;

/**
 * Live capture through pcap4j and libpcap.
 *
 * <pre>
 *   LiveCapture c = LiveCapture.open(LiveOptions.builder("eth0").build());
 *   c.run(sink);          // blocks until stop(), the packet or time limit, or an error
 *   c.stats(); c.close();
 * </pre>
 *
 * <p>{@link #stop()} may be called from any thread (a shutdown hook, a timer): it wakes libpcap
 * with {@code pcap_breakloop} (libpcap 1.10 wakes a blocked read at once; older versions at the
 * next packet or read timeout). Frames come as raw bytes ({@code pcap_next_ex} through
 * {@link PcapHandle#getNextRawPacketEx()}), never as pcap4j packet objects; pcap4j still allocates
 * the byte array and a timestamp per frame, which is the one per-packet allocation left.
 *
 * <p>Timestamps are nanoseconds when libpcap can give them ({@code PCAP_TSTAMP_PRECISION_NANO}).
 */
public final class LiveCapture implements AutoCloseable {
    /** Read timeout: how long libpcap may hold frames before handing them over (TPACKET_V3 block timeout). */
    static final int READ_TIMEOUT_MILLIS = 100;

    /** Why {@link #run} returned. */
    public enum StopReason { STOPPED, PACKET_LIMIT, DURATION, SINK_FAILED, CAPTURE_FAILED }

    private final PcapHandle handle;
    /** pcap_next_ex without per-packet native allocations, or null for pcap4j's own method. */
    private final NextPacket reader;
    private final LiveOptions options;
    private final int linkType;
    private final int timeDigits;
    private volatile boolean stopRequested;
    private volatile StopReason stopReason;
    private volatile long packets;
    private volatile long bytes;
    private LiveStats finalStats;

    private LiveCapture(PcapHandle handle, LiveOptions options, int linkType, int timeDigits) {
        this.handle = handle;
        this.options = options;
        this.linkType = linkType;
        this.timeDigits = timeDigits;
        this.reader = NextPacket.of(handle, timeDigits == 9);
    }

    /** The interfaces libpcap can capture on (needs no privileges). */
    public static List<InterfaceInfo> interfaces() throws CaptureSetupException {
        PcapLibrary.prepare();
        List<PcapNetworkInterface> devs;
        try {
            devs = Pcaps.findAllDevs();
        } catch (PcapNativeException e) {
            throw new CaptureSetupException(CaptureSetupException.Kind.FAILED,
                    "cannot list interfaces: " + firstLine(e.getMessage()), e);
        } catch (LinkageError e) {
            throw PcapLibrary.missing(e);
        }
        List<InterfaceInfo> out = new ArrayList<>();
        for (PcapNetworkInterface d : devs) {
            List<String> addrs = new ArrayList<>();
            for (PcapAddress a : d.getAddresses()) {
                if (a.getAddress() != null) addrs.add(dev.wgdiag.net.Endpoint.of(a.getAddress(), 0).address());
            }
            out.add(new InterfaceInfo(d.getName(), d.getDescription(), d.isUp(), d.isLoopBack(), List.copyOf(addrs)));
        }
        return out;
    }

    /**
     * Opens the interface and installs the filter.
     *
     * @throws CaptureSetupException with a message naming the fix: missing libpcap (which package),
     *                               no permission (root or CAP_NET_RAW + CAP_NET_ADMIN), unknown
     *                               interface (the valid names), a filter libpcap rejects
     */
    public static LiveCapture open(LiveOptions options) throws CaptureSetupException {
        List<InterfaceInfo> known = interfaces();
        String name = options.interfaceName();
        if (known.stream().noneMatch(i -> i.name().equals(name))) {
            throw unknownInterface(name, known);
        }
        PcapHandle handle;
        try {
            handle = build(options, PcapHandle.TimestampPrecision.NANO);
        } catch (PcapNativeException e) {
            if (lower(e.getMessage()).contains("precision")) {
                try {
                    handle = build(options, PcapHandle.TimestampPrecision.MICRO);
                } catch (PcapNativeException e2) {
                    throw openFailure(name, e2, known);
                }
            } else {
                throw openFailure(name, e, known);
            }
        }
        try {
            handle.setFilter(options.filter(), BpfProgram.BpfCompileMode.OPTIMIZE);
        } catch (PcapNativeException e) {
            handle.close();
            String why = firstLine(e.getMessage()).replaceFirst("^Error occurred in pcap_compile: ", "");
            throw new CaptureSetupException(CaptureSetupException.Kind.BAD_FILTER,
                    "bad capture filter '" + options.filter() + "': " + why, e);
        } catch (NotOpenException e) {
            throw new IllegalStateException(e);
        }
        int digits = handle.getTimestampPrecision() == PcapHandle.TimestampPrecision.NANO ? 9 : 6;
        return new LiveCapture(handle, options, handle.getDlt().value(), digits);
    }

    private static PcapHandle build(LiveOptions o, PcapHandle.TimestampPrecision precision) throws PcapNativeException {
        return new PcapHandle.Builder(o.interfaceName())
                .snaplen(o.snaplen())
                .bufferSize(o.bufferBytes())
                .promiscuousMode(o.promiscuous() ? PcapNetworkInterface.PromiscuousMode.PROMISCUOUS
                        : PcapNetworkInterface.PromiscuousMode.NONPROMISCUOUS)
                .timeoutMillis(READ_TIMEOUT_MILLIS)
                .timestampPrecision(precision)
                .build();
    }

    static CaptureSetupException unknownInterface(String name, List<InterfaceInfo> known) {
        List<String> names = new ArrayList<>();
        for (InterfaceInfo i : known) names.add(i.name());
        return new CaptureSetupException(CaptureSetupException.Kind.NO_SUCH_INTERFACE,
                "no interface '" + name + "'; capture on one of: " + String.join(", ", names)
                        + " (wgdiag capture --list shows their addresses)");
    }

    static CaptureSetupException openFailure(String name, PcapNativeException e, List<InterfaceInfo> known) {
        String m = firstLine(e.getMessage());
        String l = lower(m);
        if (l.contains("permission") || l.contains("operation not permitted")) {
            return new CaptureSetupException(CaptureSetupException.Kind.PERMISSION, permissionMessage(name, m), e);
        }
        if (l.contains("no such device")) {
            return unknownInterface(name, known);
        }
        return new CaptureSetupException(CaptureSetupException.Kind.FAILED, "cannot capture on " + name + ": " + m, e);
    }

    static String permissionMessage(String name, String libpcapMessage) {
        return "no permission to capture on " + name + " (" + libpcapMessage + "); run as root, or give the "
                + "capabilities CAP_NET_RAW and CAP_NET_ADMIN: sudo setpriv --reuid=$(id -u) --regid=$(id -g) "
                + "--init-groups --inh-caps=+net_raw,+net_admin --ambient-caps=+net_raw,+net_admin wgdiag capture "
                + name + "  (or once: sudo setcap cap_net_raw,cap_net_admin+ep $(readlink -f $(command -v java)))";
    }

    private static String lower(String s) {
        return s == null ? "" : s.toLowerCase(Locale.ROOT);
    }

    private static String firstLine(String s) {
        if (s == null) return "unknown error";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** LINKTYPE_ value of the frames (what the capture file header must say). */
    public int linkType() {
        return linkType;
    }

    /** Fractional digits of a second the timestamps hold: 9 (nanoseconds) or 6. */
    public int timeDigits() {
        return timeDigits;
    }

    public LiveOptions options() {
        return options;
    }

    /**
     * Captures until {@link #stop()}, a limit, a sink failure or a capture error. Runs on the
     * calling thread.
     *
     * @throws IOException the sink's exception (the capture has stopped; {@link #stopReason()} is SINK_FAILED)
     * @throws CaptureSetupException when libpcap fails while capturing (e.g. the interface went away)
     */
    public StopReason run(PacketSink sink) throws IOException, CaptureSetupException {
        final long limit = options.packetLimit();
        final long deadline = options.durationNanos() > 0 ? System.nanoTime() + options.durationNanos() : Long.MAX_VALUE;
        long n = 0;
        long b = 0;
        Thread timer = null;
        if (deadline != Long.MAX_VALUE) {
            timer = new Thread(() -> {
                try {
                    long left;
                    while ((left = deadline - System.nanoTime()) > 0) {
                        Thread.sleep(Math.max(1, left / 1_000_000), 0);
                    }
                    stopForDuration();
                } catch (InterruptedException ignored) {
                    // run returned first
                }
            }, "wgdiag-capture-timer");
            timer.setDaemon(true);
            timer.start();
        }
        try {
            while (true) {
                if (stopRequested) return finish(StopReason.STOPPED);
                if (deadline != Long.MAX_VALUE && System.nanoTime() - deadline >= 0) return finish(StopReason.DURATION);
                byte[] frame;
                long nanos;
                int orig;
                if (reader != null) {
                    int rc = reader.next();
                    if (rc == NextPacket.TIMEOUT) continue;
                    if (rc == NextPacket.NOT_OPEN) return finish(StopReason.STOPPED);
                    if (rc == NextPacket.BREAK) return finish(brokenLoop(deadline));
                    if (rc == NextPacket.ERROR) {
                        String why;
                        try {
                            why = handle.getError();
                        } catch (NotOpenException e) {
                            return finish(StopReason.STOPPED);
                        }
                        finish(StopReason.CAPTURE_FAILED);
                        throw new CaptureSetupException(CaptureSetupException.Kind.FAILED,
                                "capture on " + options.interfaceName() + " failed: " + firstLine(why));
                    }
                    frame = reader.frame();
                    nanos = reader.timeNanos();
                    orig = reader.originalLength();
                } else {
                    try {
                        frame = handle.getNextRawPacketEx();
                    } catch (TimeoutException e) {
                        continue;
                    } catch (EOFException e) {
                        return finish(brokenLoop(deadline));
                    } catch (PcapNativeException e) {
                        finish(StopReason.CAPTURE_FAILED);
                        throw new CaptureSetupException(CaptureSetupException.Kind.FAILED,
                                "capture on " + options.interfaceName() + " failed: " + firstLine(e.getMessage()), e);
                    } catch (NotOpenException e) {
                        return finish(StopReason.STOPPED);
                    }
                    Timestamp ts = handle.getTimestamp();
                    nanos = Math.floorDiv(ts.getTime(), 1000L) * 1_000_000_000L + ts.getNanos();
                    Integer o = handle.getOriginalLength();
                    orig = o == null ? frame.length : o;
                }
                n++;
                b += frame.length;
                packets = n;
                bytes = b;
                try {
                    sink.onPacket(n, nanos, frame, frame.length, orig);
                } catch (IOException e) {
                    finish(StopReason.SINK_FAILED);
                    throw e;
                }
                if (limit > 0 && n >= limit) return finish(StopReason.PACKET_LIMIT);
            }
        } finally {
            if (timer != null) timer.interrupt();
            if (stopReason == null) finish(StopReason.CAPTURE_FAILED);
        }
    }

    /** Why pcap_breakloop ended the read: the duration timer once the deadline has passed, else stop(). */
    private StopReason brokenLoop(long deadline) {
        return !stopRequested && deadline != Long.MAX_VALUE && System.nanoTime() - deadline >= 0
                ? StopReason.DURATION : StopReason.STOPPED;
    }

    private StopReason finish(StopReason reason) {
        stopReason = reason;
        finalStats = stats();
        return reason;
    }

    /**
     * Asks {@link #run} to return soon; any thread, any time, idempotent. Frames libpcap has already
     * captured but not handed over are not read.
     */
    public void stop() {
        stopRequested = true;
        try {
            if (handle.isOpen()) handle.breakLoop();
        } catch (NotOpenException | RuntimeException ignored) {
            // closed meanwhile: run has returned already
        }
    }

    /** Breaks the loop for the duration limit (same as stop, but reported as DURATION). */
    void stopForDuration() {
        try {
            if (handle.isOpen()) handle.breakLoop();
        } catch (NotOpenException | RuntimeException ignored) {
            // closed meanwhile
        }
    }

    public StopReason stopReason() {
        return stopReason;
    }

    /** Counters now (any thread); after {@link #run} returns, the counters at that moment. */
    public LiveStats stats() {
        if (finalStats != null) return finalStats;
        long received = -1;
        long dropped = -1;
        long ifDropped = -1;
        try {
            if (handle.isOpen()) {
                PcapStat s = handle.getStats();
                received = s.getNumPacketsReceived();
                dropped = s.getNumPacketsDropped();
                ifDropped = s.getNumPacketsDroppedByIf();
            }
        } catch (PcapNativeException | NotOpenException | RuntimeException ignored) {
            // stats unavailable: reported as -1
        }
        return new LiveStats(packets, bytes, received, dropped, ifDropped);
    }

    @Override
    public void close() {
        if (finalStats == null) finalStats = stats();
        handle.close();
    }
}
