package dev.wgdiag.peer;

import java.util.random.RandomGenerator;

/**
 * Random 32-bit local indices (whitepaper 5.4.2: I_i, I_r) naming either a handshake in progress or a
 * session keypair, as wireguard-go's {@code device/indextable.go}: a new handshake takes a fresh random
 * index, which the derived keypair then inherits. Incoming responses, cookie replies and transport
 * messages are routed by the receiver index they carry. Index 0 is never handed out here, so 0 can
 * mean "none" in {@link PeerState}. An open-addressing table keyed by the int itself: a lookup per
 * transport message allocates nothing.
 */
final class IndexTable {
    /** What an index names. */
    sealed interface Entry permits HandshakeEntry, KeypairEntry {
        PeerState peer();
    }

    /** A handshake in progress of {@code peer} (an initiation sent, or a response being made). */
    record HandshakeEntry(PeerState peer) implements Entry {
    }

    /** A session keypair. */
    record KeypairEntry(Keypair keypair) implements Entry {
        @Override
        public PeerState peer() {
            return keypair.peer();
        }
    }

    private static final int EMPTY = 0;
    private int[] keys = new int[64];
    private Entry[] values = new Entry[64];
    private int size;
    private final RandomGenerator random;

    IndexTable(RandomGenerator random) {
        this.random = random;
    }

    /** A new random index for a handshake of {@code peer}. */
    int newIndexForHandshake(PeerState peer) {
        while (true) {
            int index = random.nextInt();
            if (index != EMPTY && lookup(index) == null) {
                put(index, new HandshakeEntry(peer));
                return index;
            }
        }
    }

    /** The handshake's index now names its derived keypair (wireguard-go SwapIndexForKeypair). */
    void swapForKeypair(int index, Keypair keypair) {
        int slot = find(index);
        if (keys[slot] == index && index != EMPTY) {
            values[slot] = new KeypairEntry(keypair);
        }
    }

    Entry lookup(int index) {
        if (index == EMPTY) {
            return null;
        }
        int slot = find(index);
        return keys[slot] == index ? values[slot] : null;
    }

    void delete(int index) {
        if (index == EMPTY) {
            return;
        }
        int slot = find(index);
        if (keys[slot] != index) {
            return;
        }
        keys[slot] = EMPTY;
        values[slot] = null;
        size--;
        // Backward-shift deletion (linear probing): re-place the entries after the hole.
        int mask = keys.length - 1;
        for (int i = (slot + 1) & mask; keys[i] != EMPTY; i = (i + 1) & mask) {
            int k = keys[i];
            Entry v = values[i];
            keys[i] = EMPTY;
            values[i] = null;
            size--;
            put(k, v);
        }
    }

    int size() {
        return size;
    }

    private void put(int index, Entry entry) {
        if ((size + 1) * 2 > keys.length) {
            grow();
        }
        int slot = find(index);
        if (keys[slot] != index) {
            keys[slot] = index;
            size++;
        }
        values[slot] = entry;
    }

    /** The slot holding {@code index}, or the empty slot where it would go. */
    private int find(int index) {
        int mask = keys.length - 1;
        int i = mix(index) & mask;
        while (keys[i] != EMPTY && keys[i] != index) {
            i = (i + 1) & mask;
        }
        return i;
    }

    private void grow() {
        int[] oldKeys = keys;
        Entry[] oldValues = values;
        keys = new int[oldKeys.length * 2];
        values = new Entry[oldKeys.length * 2];
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != EMPTY) {
                put(oldKeys[i], oldValues[i]);
            }
        }
    }

    private static int mix(int x) {
        x *= 0x9E3779B9;
        return x ^ (x >>> 16);
    }
}
