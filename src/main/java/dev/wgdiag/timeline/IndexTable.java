package dev.wgdiag.timeline;

/**
 * Receiver index to what it stands for ({@link IndexEntry}), as a passive observer must follow sessions
 * (whitepaper 5.4: peers address each other's sessions only by these random 32-bit indices). Transport
 * look-ups go through a two-entry cache (the two directions of the busiest session) that every change
 * of an index's meaning clears, so the hot path is usually no hash look-up at all.
 */
final class IndexTable {
    private final LongObjectMap<IndexEntry> byIndex = new LongObjectMap<>(256);
    private long cacheReceiver0 = -1, cacheReceiver1 = -1;
    private SessionDirection cacheDirection0, cacheDirection1;

    /** The index now stands for {@code entry} (an initiation's sender, or a session direction). */
    void put(long index, IndexEntry entry) {
        forgetCache();
        byIndex.put(index, entry);
    }

    /** The initiation waiting for a response under this index, or null. */
    HandshakeAttempt attempt(long index) {
        IndexEntry e = byIndex.get(index);
        return e == null ? null : e.asAttempt();
    }

    /** The session direction this receiver index keys, or null (not cached: for reading another capture's view). */
    SessionDirection direction(long index) {
        IndexEntry e = byIndex.get(index);
        return e == null ? null : e.asDirection();
    }

    /** As {@link #direction}, through the cache, for transport; a hit found in the table is remembered. */
    SessionDirection transport(long receiverIndex) {
        if (receiverIndex == cacheReceiver0) return cacheDirection0;
        if (receiverIndex == cacheReceiver1) return cacheDirection1;
        SessionDirection d = direction(receiverIndex);
        if (d != null) remember(receiverIndex, d);
        return d;
    }

    /** Puts a direction at the head of the cache. */
    void remember(long receiverIndex, SessionDirection d) {
        cacheReceiver1 = cacheReceiver0;
        cacheDirection1 = cacheDirection0;
        cacheReceiver0 = receiverIndex;
        cacheDirection0 = d;
    }

    private void forgetCache() {
        cacheReceiver0 = -1;
        cacheReceiver1 = -1;
        cacheDirection0 = null;
        cacheDirection1 = null;
    }

    /** Forgets every index (the analysis is done with them). */
    void clear() {
        byIndex.clear();
        forgetCache();
    }
}
