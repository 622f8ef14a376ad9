package dev.wgdiag.peer;

import dev.wgdiag.crypto.PublicKey;
import java.net.InetSocketAddress;

/**
 * What the sans-IO core ({@code WgInterface}) asks its driver to do, in order. The core never
 * touches a socket, a thread or a clock; the driver (sockets, one thread, the clock) executes these.
 * Shaped like boringtun's {@code TunnResult}.
 */
public sealed interface Action {
    /** Send {@code bytes} as one UDP datagram to {@code to}. The array is the driver's to keep. */
    record SendDatagram(InetSocketAddress to, byte[] bytes) implements Action {
    }

    /** An authenticated inner IP packet from {@code peer}, already checked against its AllowedIPs. */
    record DeliverInner(PublicKey peer, byte[] packet) implements Action {
    }

    /**
     * Work to run off the interface's thread, then hand back with {@link WgInterface#onWorkDone} (only
     * after {@link WgInterface#offloadHandshakes(boolean)}): a responder handshake's public-key crypto.
     */
    record Compute(HandshakeWork work) implements Action {
    }

    /** Something worth telling a person or a log. */
    record Emit(PeerEvent event) implements Action {
    }
}
