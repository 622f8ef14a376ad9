package dev.wgdiag.timeline;

import dev.wgdiag.net.Endpoint;

import java.util.ArrayList;
import java.util.List;

/**
 * Every handshake message of the capture (initiation, response, cookie reply; at most {@link #MAX}),
 * kept for joining two captures of one tunnel: the same message seen at both points gives the clock
 * offset, the one-way delay and the NAT's translation ({@link CaptureJoin}). Bounded by events.
 */
final class HandshakeLog {
    static final int MAX = 1_000_000;

    /** One handshake message as seen here: sender index (initiation, response), receiver (response, cookie); -1 when absent. */
    record Message(long time, int type, long sender, long receiver, Endpoint src, Endpoint dst, String senderPeer) {
    }

    private final List<Message> messages = new ArrayList<>();

    boolean full() {
        return messages.size() >= MAX;
    }

    void add(long time, int type, long sender, long receiver, Endpoint src, Endpoint dst) {
        messages.add(new Message(time, type, sender, receiver, src, dst, null));
    }

    /** The messages with their sending peer named (the peer that owns the source endpoint, as the pass ended). */
    List<Message> named(PeerTable peers, EndpointTable endpoints) {
        List<Message> out = new ArrayList<>(messages.size());
        for (Message h : messages) {
            PeerState p = peers.ownerOf(endpoints.find(h.src().version(), h.src().hi(), h.src().lo(), h.src().port()));
            out.add(new Message(h.time(), h.type(), h.sender(), h.receiver(), h.src(), h.dst(), p == null ? null : p.id));
        }
        return out;
    }

    void clear() {
        messages.clear();
    }
}
