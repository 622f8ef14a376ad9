package dev.wgdiag.peer;

import dev.wgdiag.crypto.HandshakeException;
import dev.wgdiag.crypto.HandshakeResponder;
import dev.wgdiag.crypto.PrivateKey;
import java.net.InetSocketAddress;

/**
 * The public-key half of answering one handshake initiation (four X25519 multiplications: es, the
 * response's ephemeral, ee, se; ss is precomputed per peer), cut out of {@link WgInterface} so it can run
 * on another thread: wireguard-go consumes initiations on one handshake worker per CPU (device.go
 * RoutineHandshake). {@link #run()} touches no state of the interface (its inputs are copied, the
 * ephemeral key was drawn on the interface's thread); everything that reads or changes state (replay
 * and flood checks, the index table, the session, timers, endpoint) happens when the work is handed
 * back with {@link WgInterface#onWorkDone}, on the interface's thread, in the order the driver chooses.
 * The interface gives these out only after {@link WgInterface#offloadHandshakes(boolean)}; otherwise it
 * runs them inline in {@link WgInterface#onDatagram}.
 */
public final class HandshakeWork {
    final WgInterface owner;
    private final HandshakeResponder responder;
    private final byte[] initiation;
    private final InetSocketAddress from;
    final PrivateKey ephemeral;
    private HandshakeResponder.Prepared prepared;
    private PeerEvent.Cause failure;
    private volatile boolean done;

    HandshakeWork(WgInterface owner, byte[] buf, int off, int len, InetSocketAddress from, PrivateKey ephemeral) {
        this.owner = owner;
        this.responder = owner.responder;
        this.initiation = java.util.Arrays.copyOfRange(buf, off, off + len);
        this.from = from;
        this.ephemeral = ephemeral;
    }

    /** Where the initiation came from (the reply goes there, from the local address it arrived on). */
    public InetSocketAddress from() {
        return from;
    }

    /** Does the work; on any thread, once (later calls do nothing). */
    public void run() {
        if (done) return;
        try {
            prepared = responder.prepare(initiation, 0, initiation.length, ephemeral);
        } catch (HandshakeException e) {
            failure = e.unknownPeer() ? PeerEvent.Cause.UNKNOWN_PEER : PeerEvent.Cause.DECRYPTION_FAILED;
        }
        done = true;
    }

    boolean done() {
        return done;
    }

    /** The consumed initiation and its response to finish, or null when it failed ({@link #failure()}). */
    HandshakeResponder.Prepared prepared() {
        return prepared;
    }

    PeerEvent.Cause failure() {
        return failure;
    }
}
