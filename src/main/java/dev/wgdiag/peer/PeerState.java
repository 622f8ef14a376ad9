package dev.wgdiag.peer;

import dev.wgdiag.crypto.HandshakeInitiator;
import dev.wgdiag.crypto.PrivateKey;
import dev.wgdiag.crypto.PublicKey;
import dev.wgdiag.crypto.Tai64n;
import dev.wgdiag.wire.Protocol;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;

/**
 * Everything the core keeps for one peer (wireguard-go {@code device/peer.go} and the per-peer
 * {@code Handshake} of noise-protocol.go): endpoint (roaming), the handshake slot, sessions, timers,
 * cookie, staged packets and counters. Fields are the core's to change; there is no logic here beyond
 * small helpers.
 */
final class PeerState {
    /** The handshake slot (wireguard-go handshakeState, reduced to what outlives one call). */
    enum HandshakeState { ZEROED, INITIATION_CREATED }

    final PeerSpec spec;
    final PublicKey publicKey;
    final HandshakeInitiator initiator;
    final CookieJar cookies;
    final Timers timers;
    final Keypairs keypairs = new Keypairs();
    /** Inner packets (and keepalive markers) waiting for a session, oldest first, at most QUEUE_STAGED_SIZE. */
    final ArrayDeque<byte[]> staged = new ArrayDeque<>();

    InetSocketAddress endpoint;
    HandshakeState handshakeState = HandshakeState.ZEROED;
    /** The local index of the handshake slot, 0 when none. */
    int handshakeIndex;
    /** The ephemeral private key of the handshake in the slot (for the keylog only). */
    PrivateKey handshakeEphemeral;
    /** The greatest TAI64N timestamp of an initiation consumed from this peer (replay protection). */
    Tai64n lastTimestamp;
    long lastInitiationConsumption = Timers.OFF;
    long lastSentHandshake = Timers.OFF;
    /** A cookie reply was consumed since the last initiation: the next retry carries mac2. */
    boolean cookieSinceLastInitiation;
    long lastHandshakeNanos;
    long rxBytes;
    long txBytes;

    PeerState(PeerSpec spec, HandshakeInitiator initiator, Timers timers) {
        this.spec = spec;
        this.publicKey = spec.publicKey();
        this.initiator = initiator;
        this.cookies = new CookieJar(spec.publicKey());
        this.timers = timers;
        this.endpoint = spec.endpoint();
    }

    /** wireguard-go SendHandshakeInitiation: at most one handshake message per REKEY_TIMEOUT. */
    boolean sentHandshakeRecently(long now) {
        return lastSentHandshake != Timers.OFF && now - lastSentHandshake < Protocol.REKEY_TIMEOUT;
    }

    /** Queues a packet; when full, the oldest is dropped (wireguard-go StagePackets). */
    void stage(byte[] packet) {
        if (staged.size() >= Protocol.QUEUE_STAGED_SIZE) {
            staged.pollFirst();
        }
        staged.addLast(packet);
    }

    String name() {
        return spec.name();
    }
}
