package dev.wgdiag.peer;

import java.net.InetAddress;
import java.util.Objects;

/**
 * One {@code --ping} target, kept the way ping(8) (iputils) keeps it: a request every interval with
 * sequence numbers from 1, replies matched by identifier and sequence (a second reply to one
 * sequence is a duplicate), the round trip from the send time carried in the request, and ping's
 * closing statistics (transmitted, received, loss, min/avg/max/mdev). Pure: the driver passes its
 * clock in. Memory is fixed: duplicates are told apart with a 2^16-bit table of sequence numbers
 * (iputils' {@code rcvd_tbl}), not a list of packets.
 */
public final class Pinger {
    /** iputils' MAXWAIT: seconds to wait for replies after the last request when nothing says otherwise. */
    public static final double DEFAULT_TIMEOUT_SECONDS = 10;

    /** A reply matched to one of our requests. */
    public record Reply(InetAddress from, int sequence, int ttl, int icmpBytes, long rttNanos, boolean duplicate) {
    }

    /**
     * ping(8)'s closing statistics.
     *
     * @param elapsedNanos from the first request to the last request or reply, whichever came later
     *                     (iputils' "time": the wait for replies that never came is not in it)
     * @param minNanos     -1 when nothing was received (as for the avg, max and mdev)
     */
    public record Statistics(InetAddress target, long transmitted, long received, long duplicates, long elapsedNanos,
                             long minNanos, long avgNanos, long maxNanos, long mdevNanos) {
        /** Percent of requests without a reply (0 when none was sent). */
        public double lossPercent() {
            return transmitted == 0 ? 0 : (transmitted - received) * 100.0 / transmitted;
        }
    }

    private final InetAddress target;
    private final int identifier;
    private final long count;
    private final long intervalNanos;
    private final long timeoutNanos;
    private final int dataBytes;
    private final long[] seen = new long[1 << 16 >>> 6];
    private long started = -1;
    private long nextAt;
    private long lastSentAt;
    private long lastReplyAt;
    private long transmitted;
    private long received;
    private long duplicates;
    private long timed;
    private long sum;
    private double sumSquares;
    private long min = Long.MAX_VALUE;
    private long max = -1;
    private long endedAt = -1;

    /**
     * @param identifier    echo identifier of our requests (16 bits; ping uses a random one)
     * @param count         requests to send, 0 to go on until stopped
     * @param intervalNanos between requests
     * @param timeoutNanos  how long to wait for replies after the last request
     * @param dataBytes     ICMP data bytes per request
     */
    public Pinger(InetAddress target, int identifier, long count, long intervalNanos, long timeoutNanos, int dataBytes) {
        if (count < 0 || intervalNanos <= 0 || timeoutNanos < 0) throw new IllegalArgumentException("bad ping schedule");
        this.target = Objects.requireNonNull(target);
        this.identifier = identifier & 0xffff;
        this.count = count;
        this.intervalNanos = intervalNanos;
        this.timeoutNanos = timeoutNanos;
        this.dataBytes = dataBytes;
    }

    public InetAddress target() {
        return target;
    }

    public int identifier() {
        return identifier;
    }

    public int dataBytes() {
        return dataBytes;
    }

    /** The first request goes out at {@code now}. */
    public void start(long now) {
        started = now;
        nextAt = now;
    }

    public boolean started() {
        return started >= 0;
    }

    /** When the next request is due; {@link Long#MAX_VALUE} once all are sent or the pinger ended. */
    public long nextSendAt() {
        return started < 0 || endedAt >= 0 || (count > 0 && transmitted >= count) ? Long.MAX_VALUE : nextAt;
    }

    /**
     * The sequence number (16 bits on the wire, from 1) of the request to send now, or -1 when none is due.
     * The caller builds and sends the request with it.
     */
    public int due(long now) {
        if (now < nextSendAt()) return -1;
        transmitted++;
        lastSentAt = now;
        // catch up without bursts after a stall: the next one an interval after this one at the earliest
        nextAt = Math.max(nextAt + intervalNanos, now + intervalNanos / 2);
        int seq = (int) (transmitted & 0xffff);
        // a sequence number reused after wrapping is fresh again (iputils clears its bit on send)
        seen[seq >>> 6] &= ~(1L << (seq & 63));
        return seq;
    }

    /** Matches an echo reply; null when it is not an answer to one of ours (identifier, sender, sequence). */
    public Reply onReply(InnerStack.EchoReply r, long now) {
        if (r.identifier() != identifier || !r.from().equals(target) || endedAt >= 0 || transmitted == 0) return null;
        int seq = r.sequence();
        if (seq == 0 && transmitted < 0x10000) return null; // never sent (sequences start at 1)
        if (transmitted < 0x10000 && seq > transmitted) return null;
        lastReplyAt = Math.max(lastReplyAt, now);
        long rtt = r.sentNanos() >= 0 && r.sentNanos() <= now ? now - r.sentNanos() : -1;
        int word = seq >>> 6;
        long bit = 1L << (seq & 63);
        boolean duplicate = (seen[word] & bit) != 0;
        if (duplicate) {
            duplicates++;
        } else {
            seen[word] |= bit;
            received++;
            if (rtt >= 0) {
                timed++;
                sum += rtt;
                sumSquares += (double) rtt * rtt;
                min = Math.min(min, rtt);
                max = Math.max(max, rtt);
            }
        }
        return new Reply(r.from(), seq, r.ttl(), r.icmpBytes(), rtt, duplicate);
    }

    /**
     * True once a counted ping is over: every request sent and either all answered or
     * {@code timeout} passed since the last one. An endless ping ends only with {@link #end(long)}.
     */
    public boolean finished(long now) {
        if (endedAt >= 0) return true;
        if (count == 0 || transmitted < count) return false;
        return received >= transmitted || now - lastSentAt >= timeoutNanos;
    }

    /** Ends the ping now (Ctrl-C, --duration); later replies are ignored. */
    public void end(long now) {
        if (endedAt < 0) endedAt = now;
    }

    /** ping's closing statistics. */
    public Statistics statistics() {
        long elapsed = started < 0 || transmitted == 0 ? 0 : Math.max(0, Math.max(lastSentAt, lastReplyAt) - started);
        long measured = timed; // replies with a round trip
        if (measured == 0) return new Statistics(target, transmitted, received, duplicates, elapsed, -1, -1, -1, -1);
        double avg = (double) sum / measured;
        // iputils: mdev = sqrt(mean(rtt^2) - mean(rtt)^2)
        double mdev = Math.sqrt(Math.max(0, sumSquares / measured - avg * avg));
        return new Statistics(target, transmitted, received, duplicates, elapsed, min, Math.round(avg), max, Math.round(mdev));
    }
}
