package dev.wgdiag.peer;

import dev.wgdiag.wire.Endian;

import dev.wgdiag.crypto.HandshakeInitiator;
import dev.wgdiag.crypto.HandshakeResponder;
import dev.wgdiag.crypto.PrivateKey;
import dev.wgdiag.crypto.PublicKey;
import dev.wgdiag.crypto.Tai64n;
import dev.wgdiag.crypto.X25519;
import dev.wgdiag.wire.Protocol;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * The sans-IO WireGuard interface of the reference peer: datagrams, inner packets and clock values in,
 * {@link Action}s out, shaped like boringtun's {@code Tunn} and behaving like wireguard-go's
 * {@code device/} (receive.go, send.go, timers.go, noise-protocol.go, cookie.go). It never reads a
 * clock, opens a socket or starts a thread: {@code now} is nanoseconds since the Unix epoch as the
 * driver reads its clock (monotonic, epoch-anchored); it is also the source of TAI64N timestamps, so it
 * must not go backwards across a restart with the same keys.
 *
 * <p>Per peer, the handshake and sessions follow the whitepaper (section 5) and wireguard-go exactly;
 * {@link Timers} holds the timers of whitepaper section 6 with their contracts, {@link CookieChecker},
 * {@link LoadMonitor} and {@link RateLimiter} the denial-of-service defences of section 5.3. Message
 * handling is split into {@link Handshakes} (types 1-3) and {@link Transport} (type 4 and staged packets).
 *
 * <p>Not thread-safe: one driver thread calls it.
 */
public final class WgInterface {
    final PrivateKey privateKey;
    final PublicKey publicKey;
    final RandomGenerator random;
    final Map<PublicKey, PeerState> peers = new LinkedHashMap<>();
    final AllowedIps<PeerState> allowedIps = new AllowedIps<>();
    final IndexTable indices;
    final CookieChecker cookieChecker;
    final LoadMonitor load = new LoadMonitor();
    final RateLimiter rateLimiter = new RateLimiter();
    final EventThrottle throttle = new EventThrottle();
    final HandshakeResponder responder;
    final Handshakes handshakes;
    final Transport transport;
    /** Secrets of new sessions for the keylog, newest last; bounded so an unread queue cannot grow. */
    private final ArrayDeque<SessionSecrets> secrets = new ArrayDeque<>();
    /** At most this many session secrets wait for {@link #takeSessionSecrets()} (ours). */
    static final int MAX_PENDING_SECRETS = 64;

    /** The clock value of the call in progress (for timestamps made deep inside crypto). */
    long now;
    /** The last ephemeral key handed to the crypto layer (remembered for the keylog). */
    PrivateKey lastEphemeral;
    /** Responder handshakes' crypto is handed out as {@link Action.Compute} instead of done inline. */
    boolean offload;
    /** The actions of the call in progress. */
    List<Action> out;
    /** Whether the datagram of the last call set its peer's endpoint (was authenticated). */
    private boolean authenticated;

    /**
     * @param random source of indices, ephemeral keys, jitter, cookie secrets and nonces (tests pass a
     *               seeded one; the driver a {@link java.security.SecureRandom})
     */
    public WgInterface(InterfaceSpec spec, RandomGenerator random) {
        if (spec.peers().size() > Protocol.MAX_PEERS) {
            throw new IllegalArgumentException("more than " + Protocol.MAX_PEERS + " peers (wireguard-go MaxPeers)");
        }
        this.privateKey = spec.privateKey();
        this.publicKey = privateKey.publicKey();
        this.random = random;
        this.indices = new IndexTable(random);
        this.cookieChecker = new CookieChecker(publicKey, random);
        this.responder = new HandshakeResponder(privateKey, this::presharedKeyOf, this::newEphemeral);
        for (PeerSpec ps : spec.peers()) {
            if (ps.publicKey().equals(publicKey)) {
                throw new IllegalArgumentException("peer " + ps.name() + " has this interface's own public key");
            }
            if (peers.containsKey(ps.publicKey())) {
                throw new IllegalArgumentException("peer " + ps.name() + ": public key listed twice");
            }
            HandshakeInitiator initiator = new HandshakeInitiator(privateKey, ps.publicKey(), ps.presharedKey(),
                    this::newEphemeral, this::timestamp);
            PeerState p = new PeerState(ps, initiator, new Timers(random, ps.persistentKeepaliveSeconds()));
            peers.put(ps.publicKey(), p);
            ps.allowedIps().forEach(prefix -> allowedIps.insert(prefix, p));
        }
        this.handshakes = new Handshakes(this);
        this.transport = new Transport(this);
    }

    /**
     * Brings the interface up: every peer with an endpoint and a PersistentKeepalive gets a keepalive,
     * which, with no session yet, starts a handshake (cause STARTUP), as wireguard-go does when
     * {@code persistent_keepalive_interval} is set on a running device (uapi.go).
     */
    public List<Action> start(long now) {
        begin(now);
        for (PeerState p : peers.values()) {
            if (p.endpoint != null && p.timers.persistentKeepaliveEnabled()) {
                transport.sendKeepalive(p, PeerEvent.Cause.PERSISTENT_KEEPALIVE, PeerEvent.Cause.STARTUP);
            }
        }
        return end();
    }

    /** One UDP datagram {@code buf[off..off+len)} received from {@code from}. The buffer is not kept. */
    public List<Action> onDatagram(byte[] buf, int off, int len, InetSocketAddress from, long now) {
        begin(now);
        if (len < Protocol.MESSAGE_TRANSPORT_SIZE) {
            reject(null, from, PeerEvent.Cause.TOO_SHORT);
            return end();
        }
        // The type is a little-endian 32-bit word: reserved bytes must be zero (receive.go).
        int type = Endian.le32(buf, off);
        switch (type) {
            case Protocol.MESSAGE_TRANSPORT_TYPE -> transport.receive(buf, off, len, from);
            case Protocol.MESSAGE_INITIATION_TYPE, Protocol.MESSAGE_RESPONSE_TYPE, Protocol.MESSAGE_COOKIE_REPLY_TYPE ->
                    handshakes.receive(type, buf, off, len, from);
            default -> reject(null, from, PeerEvent.Cause.UNKNOWN_TYPE);
        }
        return end();
    }

    /**
     * Whether the datagram of the last {@link #onDatagram} call was authenticated (a valid initiation,
     * response or transport packet: its peer's endpoint was set from it). A driver that can send from
     * several local addresses sends to that endpoint from the address this datagram arrived on, as
     * wireguard-go keeps the source address with the endpoint (device/peer.go SetEndpointFromPacket).
     */
    public boolean authenticated() {
        return authenticated;
    }

    /**
     * With {@code true}, a valid-looking initiation that passed the denial-of-service gate is not
     * answered inside {@link #onDatagram}: its public-key work comes out as an {@link Action.Compute}
     * for the driver to run on a worker thread and hand back with {@link #onWorkDone} (wireguard-go's
     * handshake workers). The state changes are the same as inline, applied when the work comes back.
     */
    public void offloadHandshakes(boolean on) {
        this.offload = on;
    }

    /**
     * A {@link HandshakeWork} of this interface, run (or not yet: then it runs here): the initiation's
     * replay and flood checks, the session, timers and endpoint, and the response. {@link #authenticated()}
     * tells afterwards whether it was accepted.
     */
    public List<Action> onWorkDone(HandshakeWork work, long now) {
        if (work.owner != this) {
            throw new IllegalArgumentException("handshake work of another interface");
        }
        begin(now);
        work.run();
        handshakes.applyInitiation(work);
        return end();
    }

    /** Runs the timers due at {@code now}; the driver calls it at least every 100 ms. */
    public List<Action> onTick(long now) {
        begin(now);
        rateLimiter.maybeCleanup(now);
        throttle.flush(now, out);
        for (PeerState p : peers.values()) {
            Timers.Expiry e;
            for (int guard = 0; guard < 16 && (e = p.timers.nextExpired(now)) != null; guard++) {
                switch (e) {
                    case RETRANSMIT_HANDSHAKE -> handshakes.expiredRetransmitHandshake(p);
                    case SEND_KEEPALIVE -> {
                        transport.sendKeepalive(p, PeerEvent.Cause.PASSIVE_KEEPALIVE, PeerEvent.Cause.PASSIVE_KEEPALIVE);
                        if (p.timers.needAnotherKeepalive) {
                            p.timers.needAnotherKeepalive = false;
                            p.timers.sendKeepalive = now + Protocol.KEEPALIVE_TIMEOUT;
                        }
                    }
                    case NEW_HANDSHAKE -> handshakes.sendInitiation(p, false, PeerEvent.Cause.NO_REPLY_AFTER_DATA);
                    case ZERO_KEY_MATERIAL -> zeroAndFlushAll(p);
                    case PERSISTENT_KEEPALIVE -> transport.sendKeepalive(p, PeerEvent.Cause.PERSISTENT_KEEPALIVE,
                            PeerEvent.Cause.PERSISTENT_KEEPALIVE);
                }
            }
        }
        return end();
    }

    /**
     * An inner IP packet to send: routed by its destination through AllowedIPs (longest match), sent at
     * once on a usable session, else staged (at most 128 per peer, oldest dropped) while a handshake
     * starts (cause DATA_QUEUED, or SESSION_EXPIRED). No route: dropped without an action. The array is
     * not kept after the call.
     */
    public List<Action> send(byte[] innerIpPacket, long now) {
        begin(now);
        PeerState p = route(innerIpPacket);
        if (p != null) {
            transport.sendData(p, innerIpPacket);
        }
        return end();
    }

    /** Starts a handshake with {@code peer} now (cause STARTUP), unless one was sent less than REKEY_TIMEOUT ago. */
    public List<Action> connect(PublicKey peer, long now) {
        PeerState p = peers.get(peer);
        if (p == null) {
            throw new IllegalArgumentException("not a peer of this interface: " + peer.shortForm());
        }
        begin(now);
        handshakes.sendInitiation(p, false, PeerEvent.Cause.STARTUP);
        return end();
    }

    /** A snapshot of every peer, in configuration order. */
    public List<PeerStatus> status() {
        List<PeerStatus> list = new ArrayList<>(peers.size());
        for (PeerState p : peers.values()) {
            Keypair c = p.keypairs.current;
            PeerStatus.Role role = c == null ? PeerStatus.Role.NONE
                    : c.initiator ? PeerStatus.Role.INITIATOR : PeerStatus.Role.RESPONDER;
            list.add(new PeerStatus(p.name(), p.publicKey, p.endpoint, p.lastHandshakeNanos, p.rxBytes, p.txBytes, role,
                    p.timers.handshakeAttempts, p.spec.persistentKeepaliveSeconds(), p.staged.size(),
                    c == null ? 0 : c.created));
        }
        return list;
    }

    /**
     * The secrets of the oldest session not yet taken, for {@code -w} (a pcapng Decryption Secrets
     * Block) or {@code --keylog}; each new session emits SESSION_KEYS, and a driver that wants keys takes
     * them then. At most 64 wait; older ones are dropped. Call only when the user asked for keys.
     */
    public Optional<SessionSecrets> takeSessionSecrets() {
        return Optional.ofNullable(secrets.pollFirst());
    }

    // ---- shared helpers for Handshakes and Transport ----

    private void begin(long now) {
        this.now = now;
        this.out = new ArrayList<>(2);
        this.authenticated = false;
    }

    private List<Action> end() {
        List<Action> result = out;
        out = null;
        return result;
    }

    void sendDatagram(PeerState p, InetSocketAddress to, byte[] bytes) {
        out.add(new Action.SendDatagram(to, bytes));
        if (p != null) {
            p.txBytes += bytes.length;
        }
    }

    void emit(PeerState p, PeerEvent.Kind kind, InetSocketAddress endpoint, PeerEvent.Cause cause, long count) {
        out.add(new Action.Emit(new PeerEvent(now, p == null ? null : p.publicKey, kind, endpoint, cause, count)));
    }

    /** A datagram dropped: a DATAGRAM_REJECTED event, throttled ({@link EventThrottle}). */
    void reject(PeerState p, InetSocketAddress from, PeerEvent.Cause cause) {
        PeerEvent e = throttle.event(now, p == null ? null : p.publicKey, PeerEvent.Kind.DATAGRAM_REJECTED, from, cause);
        if (e != null) {
            out.add(new Action.Emit(e));
        }
    }

    /** Roaming (whitepaper 2.1, wireguard-go SetEndpointFromPacket): the endpoint follows authenticated packets. */
    void setEndpointFromPacket(PeerState p, InetSocketAddress from) {
        authenticated = true;
        if (!from.equals(p.endpoint)) {
            p.endpoint = from;
            emit(p, PeerEvent.Kind.ENDPOINT_CHANGED, from, PeerEvent.Cause.NONE, 0);
        }
    }

    void sessionDerived(PeerState p, Keypair k) {
        if (secrets.size() >= MAX_PENDING_SECRETS) {
            secrets.pollFirst();
        }
        secrets.addLast(new SessionSecrets(p.publicKey, privateKey, p.handshakeEphemeral, p.spec.presharedKey(),
                k.initiator, k.localIndex, k.remoteIndex, now));
        p.handshakeEphemeral = null;
        emit(p, PeerEvent.Kind.SESSION_KEYS, null, PeerEvent.Cause.NONE, 0);
    }

    /** wireguard-go ZeroAndFlushAll: all sessions, the handshake slot and staged packets are dropped. */
    void zeroAndFlushAll(PeerState p) {
        p.keypairs.clear(indices);
        indices.delete(p.handshakeIndex);
        p.handshakeIndex = 0;
        p.handshakeState = PeerState.HandshakeState.ZEROED;
        p.handshakeEphemeral = null;
        p.staged.clear();
        emit(p, PeerEvent.Kind.KEYS_ZEROED, null, PeerEvent.Cause.NONE, 0);
    }

    PrivateKey newEphemeral() {
        byte[] b = new byte[32];
        random.nextBytes(b);
        X25519.clamp(b);
        lastEphemeral = PrivateKey.of(b);
        java.util.Arrays.fill(b, (byte) 0);
        return lastEphemeral;
    }

    /** TAI64N of the current call's clock, whitened to 2^24 ns (wireguard-go tai64n.go). */
    Tai64n timestamp() {
        return Tai64n.whitened(Instant.ofEpochSecond(Math.floorDiv(now, 1_000_000_000L), Math.floorMod(now, 1_000_000_000L)));
    }

    PeerState peer(PublicKey key) {
        return peers.get(key);
    }

    /** The responder's peer lookup: reads only what the constructor built, so handshake workers may call it. */
    private Optional<dev.wgdiag.crypto.PresharedKey> presharedKeyOf(PublicKey initiator) {
        PeerState p = peers.get(initiator);
        return p == null ? Optional.empty() : Optional.of(p.spec.presharedKey());
    }

    /** The peer an inner packet goes to: longest AllowedIPs match of its destination (send.go RoutineReadFromTUN). */
    private PeerState route(byte[] packet) {
        if (packet.length < 1) {
            return null;
        }
        int version = (packet[0] >> 4) & 0xf;
        if (version == 4 && packet.length >= 20) {
            return allowedIps.lookup(packet, 16, 4);
        }
        if (version == 6 && packet.length >= 40) {
            return allowedIps.lookup(packet, 24, 16);
        }
        return null;
    }
}
