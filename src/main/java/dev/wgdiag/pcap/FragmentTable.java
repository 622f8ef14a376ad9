package dev.wgdiag.pcap;

/**
 * Pending IPv4/IPv6 reassemblies of UDP datagrams, bounded in number and in capture time.
 *
 * <p>Coverage is tracked by the lengths the IP headers claim (what was on the wire), so fragments
 * cut by the snaplen still complete a datagram; {@link Entry#capturedPrefix} then says how many
 * leading bytes of the reassembled payload were really captured. (A cut first fragment is delivered
 * on its own by the decoder; its entry is then only completed and dropped.) Memory: at most {@code capacity} entries of 64 KiB, allocated on
 * first use and reused.
 *
 * <p>Overlaps: where fragments overlap, the bytes that arrived first are kept, as tshark keeps them;
 * a datagram whose overlapping fragments disagree is marked {@link Entry#conflicting} (receivers
 * drop such datagrams: RFC 5722 for IPv6, Linux for IPv4 too), and the reader warns about it.
 */
final class FragmentTable {
    /** Largest reassembled IP payload: the 16-bit total/payload length (RFC 791, RFC 8200). */
    static final int MAX_PAYLOAD = 65535;

    static final class Entry {
        boolean used;
        int version;
        long srcHi;
        long srcLo;
        long dstHi;
        long dstLo;
        int id;
        long firstTime;
        int fragments;
        /** The first fragment was cut by the snaplen and delivered on its own. */
        boolean delivered;
        /** Overlapping fragments carried different bytes for the same offsets. */
        boolean conflicting;
        /** Bytes 0..total of the IP payload once the last fragment (MF=0) is seen, else -1. */
        int total;
        /** Smallest offset where captured data stops short of what the wire carried. */
        int capturedPrefix;
        byte[] data;
        /** One bit per 8-byte unit received (RFC 791: offsets are in 8-byte units). */
        final long[] have = new long[(MAX_PAYLOAD + 1 + 8 * 64 - 1) / (8 * 64)];
    }

    private final Entry[] entries;
    private final long timeout;
    private long droppedTimeoutFrames;
    private long droppedFullFrames;
    private int inUse;

    FragmentTable(int capacity, long timeoutNanos) {
        entries = new Entry[capacity];
        for (int i = 0; i < capacity; i++) {
            entries[i] = new Entry();
        }
        this.timeout = timeoutNanos;
    }

    int capacity() {
        return entries.length;
    }

    long timeoutSeconds() {
        return timeout / 1_000_000_000L;
    }

    long droppedTimeoutFrames() {
        return droppedTimeoutFrames;
    }

    long droppedFullFrames() {
        return droppedFullFrames;
    }

    /** Fragment frames still waiting at the end of the capture. */
    long pendingFrames() {
        long n = 0;
        for (Entry e : entries) {
            if (e.used) n += e.fragments;
        }
        return n;
    }

    /**
     * Adds one fragment. Returns the entry when this fragment completes the datagram (the caller reads
     * it and then calls {@link #release}), else null. Returns null and adds nothing for a fragment
     * reaching beyond 64 KiB.
     *
     * @param offset    byte offset of this fragment in the original IP payload
     * @param wireLen   bytes of this fragment on the wire (from the IP header)
     * @param capLen    bytes of it present in the capture (less than wireLen when cut by snaplen)
     */
    Entry add(int version, long srcHi, long srcLo, long dstHi, long dstLo, int id, long time,
              int offset, boolean more, byte[] b, int start, int wireLen, int capLen, boolean delivered) {
        // wireLen may be anything a jumbogram's hop-by-hop option claims: compare without overflowing
        if (wireLen < 0 || wireLen > MAX_PAYLOAD - offset) {
            return null;
        }
        int end = offset + wireLen;
        expire(time);
        Entry e = find(version, srcHi, srcLo, dstHi, dstLo, id);
        if (e == null) {
            e = allocate();
            e.used = true;
            inUse++;
            e.version = version;
            e.srcHi = srcHi;
            e.srcLo = srcLo;
            e.dstHi = dstHi;
            e.dstLo = dstLo;
            e.id = id;
            e.firstTime = time;
            e.fragments = 0;
            e.delivered = false;
            e.conflicting = false;
            e.total = -1;
            e.capturedPrefix = Integer.MAX_VALUE;
            java.util.Arrays.fill(e.have, 0L);
            if (e.data == null) {
                e.data = new byte[MAX_PAYLOAD];
            }
        }
        e.fragments++;
        e.delivered |= delivered;
        int copy = Math.max(0, Math.min(capLen, wireLen));
        if (copy < wireLen) {
            e.capturedPrefix = Math.min(e.capturedPrefix, offset + copy);
        }
        if (!more) {
            e.total = end;
        }
        // Units [offset/8, ceil(end/8)): bytes of a unit already received are kept (the first copy
        // wins, as in tshark); different bytes there mark the datagram as conflicting.
        int lastUnit = (end + 7) >>> 3;
        int copyEnd = offset + copy;
        for (int u = offset >>> 3; u < lastUnit; u++) {
            int from = Math.max(u << 3, offset);
            int to = Math.min((u + 1) << 3, copyEnd);
            long bit = 1L << u;
            if ((e.have[u >>> 6] & bit) == 0) {
                if (to > from) System.arraycopy(b, start + from - offset, e.data, from, to - from);
                e.have[u >>> 6] |= bit;
            } else if (to > from && !e.conflicting && e.capturedPrefix >= to) {
                e.conflicting = !java.util.Arrays.equals(b, start + from - offset, start + to - offset, e.data, from, to);
            }
        }
        if (e.total >= 0 && complete(e)) {
            if (e.capturedPrefix > e.total) e.capturedPrefix = e.total;
            return e;
        }
        return null;
    }

    void release(Entry e) {
        if (e.used) {
            e.used = false;
            inUse--;
        }
    }

    private static boolean complete(Entry e) {
        int units = (e.total + 7) >>> 3;
        int full = units >>> 6;
        for (int i = 0; i < full; i++) {
            if (e.have[i] != -1L) return false;
        }
        int rest = units & 63;
        if (rest != 0) {
            long mask = (1L << rest) - 1;
            return (e.have[full] & mask) == mask;
        }
        return true;
    }

    private Entry find(int version, long srcHi, long srcLo, long dstHi, long dstLo, int id) {
        if (inUse == 0) return null;
        for (Entry e : entries) {
            if (e.used && e.id == id && e.srcLo == srcLo && e.dstLo == dstLo && e.version == version
                    && e.srcHi == srcHi && e.dstHi == dstHi) {
                return e;
            }
        }
        return null;
    }

    private Entry allocate() {
        Entry oldest = null;
        for (Entry e : entries) {
            if (!e.used) return e;
            if (oldest == null || e.firstTime < oldest.firstTime) oldest = e;
        }
        droppedFullFrames += oldest.fragments;
        release(oldest);
        return oldest;
    }

    private void expire(long now) {
        if (inUse == 0) return;
        for (Entry e : entries) {
            if (e.used && now - e.firstTime > timeout) {
                droppedTimeoutFrames += e.fragments;
                release(e);
            }
        }
    }
}
