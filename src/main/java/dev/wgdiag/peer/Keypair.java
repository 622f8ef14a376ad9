package dev.wgdiag.peer;

import dev.wgdiag.crypto.TransportCipher;
import dev.wgdiag.crypto.TransportKeys;

/**
 * One session (whitepaper 5.4.5, wireguard-go {@code device/keypair.go}): the two transport ciphers,
 * the send counter, the receive replay window, who initiated it and when it was derived.
 */
final class Keypair {
    private final PeerState peer;
    final TransportCipher sending;
    final TransportCipher receiving;
    final ReplayWindow replay = new ReplayWindow();
    final boolean initiator;
    final long created;
    final int localIndex;
    final int remoteIndex;
    /** The next counter to send (whitepaper 5.4.6: N_send), unsigned. */
    long sendCounter;

    Keypair(PeerState peer, TransportKeys keys, long created) {
        this.peer = peer;
        this.sending = keys.sending();
        this.receiving = keys.receiving();
        this.initiator = keys.isInitiator();
        this.created = created;
        this.localIndex = keys.localIndex();
        this.remoteIndex = keys.remoteIndex();
    }

    PeerState peer() {
        return peer;
    }

    /** Zeroes both transport keys; the keypair can no longer seal or open. */
    void wipe() {
        sending.wipe();
        receiving.wipe();
    }
}
