package dev.wgdiag.peer;

import dev.wgdiag.wire.Endian;

import dev.wgdiag.crypto.HandshakeException;
import dev.wgdiag.crypto.HandshakeResponder;
import dev.wgdiag.crypto.Mac2;
import dev.wgdiag.crypto.TransportKeys;
import dev.wgdiag.wire.Protocol;
import java.net.InetSocketAddress;

/**
 * Handshake messages of the interface (types 1, 2, 3): the denial-of-service gate (mac1, load, mac2 and
 * cookie replies, rate limit; whitepaper 5.3, wireguard-go receive.go RoutineHandshake), initiations
 * and responses in both roles (noise-protocol.go, send.go SendHandshakeInitiation/Response), and
 * consumed cookie replies. Never answers a datagram whose mac1 is wrong; what it sends to an
 * unauthenticated source (a 64-byte cookie reply, a 92-byte response) is never longer than what came.
 */
final class Handshakes {
    private final WgInterface wg;

    Handshakes(WgInterface wg) {
        this.wg = wg;
    }

    void receive(int type, byte[] buf, int off, int len, InetSocketAddress from) {
        int size = switch (type) {
            case Protocol.MESSAGE_INITIATION_TYPE -> Protocol.MESSAGE_INITIATION_SIZE;
            case Protocol.MESSAGE_RESPONSE_TYPE -> Protocol.MESSAGE_RESPONSE_SIZE;
            default -> Protocol.MESSAGE_COOKIE_REPLY_SIZE;
        };
        if (len != size) {
            wg.reject(null, from, PeerEvent.Cause.WRONG_SIZE);
            return;
        }
        // Every handshake-type message would enter wireguard-go's handshake queue: count it.
        wg.load.record(wg.now);
        if (type == Protocol.MESSAGE_COOKIE_REPLY_TYPE) {
            consumeCookieReply(buf, off, len, from);
            return;
        }
        if (!wg.cookieChecker.checkMac1(buf, off, len)) {
            wg.reject(null, from, PeerEvent.Cause.BAD_MAC1);
            return;
        }
        if (wg.load.isUnderLoad(wg.now)) {
            if (!wg.cookieChecker.checkMac2(buf, off, len, from, wg.now)) {
                sendCookieReply(buf, off, len, from);
                return;
            }
            if (!wg.rateLimiter.allow(from.getAddress(), wg.now)) {
                wg.reject(null, from, PeerEvent.Cause.RATE_LIMITED);
                return;
            }
        }
        if (type == Protocol.MESSAGE_INITIATION_TYPE) {
            consumeInitiation(buf, off, len, from);
        } else {
            consumeResponse(buf, off, len, from);
        }
    }

    /** send.go SendHandshakeCookie: under load, a missing or stale mac2 is answered with a cookie reply. */
    private void sendCookieReply(byte[] buf, int off, int len, InetSocketAddress from) {
        int sender = Endian.le32(buf, off + 4); // both initiation and response carry their sender at 4
        byte[] reply = wg.cookieChecker.createReply(buf, off, len, sender, from, wg.now);
        wg.sendDatagram(null, from, reply);
        PeerEvent.Cause why = Mac2.isZero(buf, off, len) ? PeerEvent.Cause.NONE : PeerEvent.Cause.BAD_MAC2;
        PeerEvent e = wg.throttle.event(wg.now, null, PeerEvent.Kind.COOKIE_REPLY_SENT, from, why);
        if (e != null) {
            wg.out.add(new Action.Emit(e));
        }
    }

    /** receive.go, MessageCookieReplyType: a reply for one of our indices stores the cookie for mac2. */
    private void consumeCookieReply(byte[] buf, int off, int len, InetSocketAddress from) {
        IndexTable.Entry entry = wg.indices.lookup(Endian.le32(buf, off + 4));
        if (entry == null) {
            wg.reject(null, from, PeerEvent.Cause.UNKNOWN_INDEX);
            return;
        }
        PeerState p = entry.peer();
        if (!p.cookies.consumeReply(buf, off, len, wg.now)) {
            wg.reject(p, from, PeerEvent.Cause.DECRYPTION_FAILED);
            return;
        }
        p.cookieSinceLastInitiation = true;
        PeerEvent e = wg.throttle.event(wg.now, p.publicKey, PeerEvent.Kind.COOKIE_REPLY_RECEIVED, from, PeerEvent.Cause.NONE);
        if (e != null) {
            wg.out.add(new Action.Emit(e));
        }
    }

    /**
     * noise-protocol.go ConsumeMessageInitiation: the public-key work ({@link HandshakeWork}) inline, or
     * handed to the driver's workers; {@link #applyInitiation} follows either way.
     */
    private void consumeInitiation(byte[] buf, int off, int len, InetSocketAddress from) {
        HandshakeWork work = new HandshakeWork(wg, buf, off, len, from, wg.newEphemeral());
        if (wg.offload) {
            wg.out.add(new Action.Compute(work));
            return;
        }
        work.run();
        applyInitiation(work);
    }

    /** The state half of a consumed initiation (receive.go): replay and flood checks, timers, endpoint, response. */
    void applyInitiation(HandshakeWork work) {
        InetSocketAddress from = work.from();
        HandshakeResponder.Prepared init = work.prepared();
        if (init == null) {
            wg.reject(null, from, work.failure());
            return;
        }
        PeerState p = wg.peer(init.initiator());
        // Replay protection: the timestamp must grow (whitepaper 5.1); flood: one per 20 ms per peer.
        if (p.lastTimestamp != null && init.timestamp().compareTo(p.lastTimestamp) <= 0) {
            wg.reject(p, from, PeerEvent.Cause.STALE_TIMESTAMP);
            return;
        }
        if (p.lastInitiationConsumption != Timers.OFF
                && wg.now - p.lastInitiationConsumption <= Protocol.HANDSHAKE_INITIATION_RATE) {
            wg.reject(p, from, PeerEvent.Cause.INITIATION_FLOOD);
            return;
        }
        p.lastTimestamp = init.timestamp();
        p.lastInitiationConsumption = wg.now;
        p.timers.anyAuthenticatedPacketTraversal(wg.now);
        p.timers.anyAuthenticatedPacketReceived();
        wg.setEndpointFromPacket(p, from);
        p.rxBytes += Protocol.MESSAGE_INITIATION_SIZE;
        sendResponse(p, init, work.ephemeral);
    }

    /** send.go SendHandshakeResponse and noise-protocol.go CreateMessageResponse / BeginSymmetricSession (responder). */
    private void sendResponse(PeerState p, HandshakeResponder.Prepared init, dev.wgdiag.crypto.PrivateKey ephemeral) {
        p.lastSentHandshake = wg.now;
        // The slot now holds this handshake: an initiation of ours in flight is abandoned (noise-protocol.go).
        wg.indices.delete(p.handshakeIndex);
        p.handshakeState = PeerState.HandshakeState.ZEROED;
        p.handshakeIndex = wg.indices.newIndexForHandshake(p);
        HandshakeResponder.Response r = init.finish(p.handshakeIndex, p.cookies.cookie(wg.now));
        p.handshakeEphemeral = ephemeral;
        p.cookies.sent(r.message());
        Keypair k = new Keypair(p, r.keys(), wg.now);
        wg.indices.swapForKeypair(p.handshakeIndex, k);
        p.handshakeIndex = 0;
        p.keypairs.installAsResponder(k, wg.indices);
        wg.emit(p, PeerEvent.Kind.HANDSHAKE_RESPONDED, p.endpoint, PeerEvent.Cause.NONE, 0);
        wg.sessionDerived(p, k);
        p.timers.sessionDerived(wg.now);
        p.timers.anyAuthenticatedPacketTraversal(wg.now);
        p.timers.anyAuthenticatedPacketSent();
        wg.sendDatagram(p, p.endpoint, r.message());
    }

    /** noise-protocol.go ConsumeMessageResponse, then receive.go: endpoint, timers, session, keepalive. */
    private void consumeResponse(byte[] buf, int off, int len, InetSocketAddress from) {
        int receiver = Endian.le32(buf, off + 8);
        if (!(wg.indices.lookup(receiver) instanceof IndexTable.HandshakeEntry h)
                || h.peer().handshakeState != PeerState.HandshakeState.INITIATION_CREATED
                || h.peer().handshakeIndex != receiver) {
            wg.reject(null, from, PeerEvent.Cause.UNKNOWN_INDEX);
            return;
        }
        PeerState p = h.peer();
        TransportKeys keys;
        try {
            keys = p.initiator.consumeResponse(buf, off, len);
        } catch (HandshakeException e) {
            wg.reject(p, from, PeerEvent.Cause.DECRYPTION_FAILED);
            return;
        }
        wg.setEndpointFromPacket(p, from);
        p.rxBytes += len;
        p.timers.anyAuthenticatedPacketTraversal(wg.now);
        p.timers.anyAuthenticatedPacketReceived();
        Keypair k = new Keypair(p, keys, wg.now);
        wg.indices.swapForKeypair(p.handshakeIndex, k);
        p.handshakeIndex = 0;
        p.handshakeState = PeerState.HandshakeState.ZEROED;
        p.keypairs.installAsInitiator(k, wg.indices);
        wg.emit(p, PeerEvent.Kind.HANDSHAKE_ANSWERED, from, PeerEvent.Cause.NONE, p.timers.handshakeAttempts + 1L);
        wg.sessionDerived(p, k);
        p.timers.sessionDerived(wg.now);
        p.timers.handshakeComplete();
        p.lastHandshakeNanos = wg.now;
        // The initiator confirms the session at once: staged data, or a keepalive (receive.go SendKeepalive).
        wg.transport.sendKeepalive(p, PeerEvent.Cause.KEY_CONFIRMATION, PeerEvent.Cause.DATA_QUEUED);
    }

    /**
     * send.go SendHandshakeInitiation: a new initiation unless one was sent less than REKEY_TIMEOUT ago;
     * a first attempt (not a retry) restarts the retry count. Needs an endpoint (else nothing is sent
     * and no timer armed: the peer must talk first).
     */
    void sendInitiation(PeerState p, boolean isRetry, PeerEvent.Cause cause) {
        if (!isRetry) {
            p.timers.handshakeAttempts = 0;
        }
        if (p.sentHandshakeRecently(wg.now) || p.endpoint == null) {
            return;
        }
        p.lastSentHandshake = wg.now;
        wg.indices.delete(p.handshakeIndex);
        p.handshakeIndex = wg.indices.newIndexForHandshake(p);
        byte[] cookie = p.cookies.cookie(wg.now);
        byte[] msg;
        try {
            msg = p.initiator.createInitiation(p.handshakeIndex, cookie);
        } catch (HandshakeException e) {
            wg.indices.delete(p.handshakeIndex); // a low-order peer public key: no handshake is possible
            p.handshakeIndex = 0;
            p.handshakeState = PeerState.HandshakeState.ZEROED;
            return;
        }
        p.handshakeEphemeral = wg.lastEphemeral;
        p.handshakeState = PeerState.HandshakeState.INITIATION_CREATED;
        p.cookies.sent(msg);
        PeerEvent.Cause why = isRetry && cookie != null && p.cookieSinceLastInitiation ? PeerEvent.Cause.COOKIE : cause;
        p.cookieSinceLastInitiation = false;
        p.timers.anyAuthenticatedPacketTraversal(wg.now);
        p.timers.anyAuthenticatedPacketSent();
        wg.sendDatagram(p, p.endpoint, msg);
        p.timers.handshakeInitiated(wg.now);
        wg.emit(p, PeerEvent.Kind.HANDSHAKE_SENT, p.endpoint, why, p.timers.handshakeAttempts + 1L);
    }

    /** timers.go expiredRetransmitHandshake: retry, or give up after MAX_TIMER_HANDSHAKES retries. */
    void expiredRetransmitHandshake(PeerState p) {
        if (p.timers.handshakeAttempts > Protocol.MAX_TIMER_HANDSHAKES) {
            p.timers.sendKeepalive = Timers.OFF;
            p.staged.clear();
            if (p.timers.zeroKeyMaterial == Timers.OFF) {
                p.timers.zeroKeyMaterial = wg.now + Protocol.ZERO_KEY_MATERIAL_AFTER;
            }
            wg.emit(p, PeerEvent.Kind.HANDSHAKE_GIVEN_UP, p.endpoint, PeerEvent.Cause.NONE, p.timers.handshakeAttempts + 1L);
        } else {
            p.timers.handshakeAttempts++;
            sendInitiation(p, true, PeerEvent.Cause.RETRY);
        }
    }
}
