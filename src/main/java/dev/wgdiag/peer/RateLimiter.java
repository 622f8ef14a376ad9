package dev.wgdiag.peer;

import dev.wgdiag.wire.Protocol;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Token bucket per source IP address for handshake messages under load, wireguard-go's
 * {@code ratelimiter/ratelimiter.go} (and the Linux driver's ratelimiter.c): 20 packets per second with
 * a burst of 5; a bucket idle for more than 1 s is garbage-collected, so memory follows the sources of
 * the last second. The clock is the caller's. Not thread-safe.
 */
final class RateLimiter {
    /** Nanoseconds of tokens one packet costs (ratelimiter.go packetCost). */
    static final long PACKET_COST = 1_000_000_000L / Protocol.RATE_LIMIT_PACKETS_PER_SECOND;
    /** ratelimiter.go maxTokens. */
    static final long MAX_TOKENS = PACKET_COST * Protocol.RATE_LIMIT_PACKETS_BURSTABLE;

    private static final class Entry {
        long lastTime;
        long tokens;
    }

    private final Map<InetAddress, Entry> table = new HashMap<>();
    private long lastCleanup = Long.MIN_VALUE;

    /** True when a handshake message from {@code ip} may be processed at {@code now}. */
    boolean allow(InetAddress ip, long now) {
        Entry e = table.get(ip);
        if (e == null) {
            e = new Entry();
            e.tokens = MAX_TOKENS - PACKET_COST;
            e.lastTime = now;
            table.put(ip, e);
            return true;
        }
        e.tokens += now - e.lastTime;
        e.lastTime = now;
        if (e.tokens > MAX_TOKENS) {
            e.tokens = MAX_TOKENS;
        }
        if (e.tokens > PACKET_COST) {
            e.tokens -= PACKET_COST;
            return true;
        }
        return false;
    }

    /** Drops buckets idle for more than 1 s (ratelimiter.go cleanup). */
    void cleanup(long now) {
        lastCleanup = now;
        Iterator<Entry> it = table.values().iterator();
        while (it.hasNext()) {
            if (now - it.next().lastTime > Protocol.RATE_LIMIT_GARBAGE_COLLECT_TIME) {
                it.remove();
            }
        }
    }

    /** Runs {@link #cleanup} when the last one is at least 1 s old (ratelimiter.go runs it every second). */
    void maybeCleanup(long now) {
        if (lastCleanup == Long.MIN_VALUE || now - lastCleanup >= Protocol.RATE_LIMIT_GARBAGE_COLLECT_TIME) {
            cleanup(now);
        }
    }

    int size() {
        return table.size();
    }
}
