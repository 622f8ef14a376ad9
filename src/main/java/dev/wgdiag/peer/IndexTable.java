package dev.wgdiag.peer;

import java.util.HashMap;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Random 32-bit local indices (whitepaper 5.4.2: I_i, I_r) naming either a handshake in progress or a
 * session keypair, as wireguard-go's {@code device/indextable.go}: a new handshake takes a fresh random
 * index, which the derived keypair then inherits. Incoming responses, cookie replies and transport
 * messages are routed by the receiver index they carry. Index 0 is never handed out here, so 0 can
 * mean "none" in {@link PeerState}.
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

    private final Map<Integer, Entry> table = new HashMap<>();
    private final RandomGenerator random;

    IndexTable(RandomGenerator random) {
        this.random = random;
    }

    /** A new random index for a handshake of {@code peer}. */
    int newIndexForHandshake(PeerState peer) {
        while (true) {
            int index = random.nextInt();
            if (index != 0 && !table.containsKey(index)) {
                table.put(index, new HandshakeEntry(peer));
                return index;
            }
        }
    }

    /** The handshake's index now names its derived keypair (wireguard-go SwapIndexForKeypair). */
    void swapForKeypair(int index, Keypair keypair) {
        if (table.containsKey(index)) {
            table.put(index, new KeypairEntry(keypair));
        }
    }

    Entry lookup(int index) {
        return table.get(index);
    }

    void delete(int index) {
        if (index != 0) {
            table.remove(index);
        }
    }

    int size() {
        return table.size();
    }
}
