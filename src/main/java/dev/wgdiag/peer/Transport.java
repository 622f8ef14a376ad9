package dev.wgdiag.peer;

import dev.wgdiag.wire.Endian;

import dev.wgdiag.crypto.AeadException;
import dev.wgdiag.wire.Protocol;
import java.net.InetSocketAddress;

/**
 * Transport data (type 4, whitepaper 5.4.6) of the interface: staging and sending inner packets and
 * keepalives on the current session (wireguard-go send.go SendStagedPackets, RoutineEncryption,
 * keepKeyFreshSending), and receiving them: expiry, decryption, replay window, key confirmation,
 * inner-packet length and AllowedIPs source check, roaming and timers (receive.go).
 *
 * <pre>
 *  0      1      4              8                      16
 *  +------+------+--------------+----------------------+--------------------------------+
 *  | 0x04 | 0 0 0| receiver LE  | counter LE (8)       | AEAD(packet || zero padding)   |
 *  +------+------+--------------+----------------------+--------------------------------+
 *  padding to a multiple of 16 (PaddingMultiple); a keepalive encrypts nothing: 32 bytes in all
 * </pre>
 */
final class Transport {
    /** Staged keepalive markers, told apart by identity: why the keepalive was sent. */
    static final byte[] KEEPALIVE_PASSIVE = new byte[0];
    static final byte[] KEEPALIVE_PERSISTENT = new byte[0];
    static final byte[] KEEPALIVE_CONFIRMATION = new byte[0];

    private final WgInterface wg;
    /** Plaintext scratch for sealing and opening; grows to the largest packet seen. */
    private byte[] scratch = new byte[2048];

    Transport(WgInterface wg) {
        this.wg = wg;
    }

    /** An inner packet for {@code p}: staged, then sent if a session allows (send.go RoutineReadFromTUN). */
    void sendData(PeerState p, byte[] packet) {
        p.stage(packet);
        sendStaged(p, PeerEvent.Cause.DATA_QUEUED);
        if (p.staged.peekLast() == packet) {
            p.staged.pollLast();
            p.staged.addLast(packet.clone()); // the caller's array is not kept
        }
    }

    /** send.go SendKeepalive: a keepalive is staged only if nothing else is, then the queue is sent. */
    void sendKeepalive(PeerState p, PeerEvent.Cause keepaliveCause, PeerEvent.Cause handshakeCause) {
        if (p.staged.isEmpty()) {
            p.staged.addLast(switch (keepaliveCause) {
                case PERSISTENT_KEEPALIVE -> KEEPALIVE_PERSISTENT;
                case KEY_CONFIRMATION -> KEEPALIVE_CONFIRMATION;
                default -> KEEPALIVE_PASSIVE;
            });
        }
        sendStaged(p, handshakeCause);
    }

    /**
     * send.go SendStagedPackets: with no current session, or one older than REJECT_AFTER_TIME or used up
     * (REJECT_AFTER_MESSAGES), a handshake starts and the packets wait; else they all go out, each with
     * the next counter.
     */
    void sendStaged(PeerState p, PeerEvent.Cause handshakeCause) {
        if (p.staged.isEmpty()) {
            return;
        }
        Keypair k = p.keypairs.current;
        if (k == null || !usable(k)) {
            wg.handshakes.sendInitiation(p, false, k == null ? handshakeCause : PeerEvent.Cause.SESSION_EXPIRED);
            return;
        }
        if (p.endpoint == null) {
            return;
        }
        boolean dataSent = false;
        while (!p.staged.isEmpty()) {
            if (Long.compareUnsigned(k.sendCounter, Protocol.REJECT_AFTER_MESSAGES) >= 0) {
                wg.handshakes.sendInitiation(p, false, PeerEvent.Cause.SESSION_EXPIRED);
                break;
            }
            byte[] packet = p.staged.pollFirst();
            // timers.go: traversal before sending any authenticated packet
            p.timers.anyAuthenticatedPacketTraversal(wg.now);
            p.timers.anyAuthenticatedPacketSent();
            wg.sendDatagram(p, p.endpoint, seal(k, k.sendCounter++, packet));
            if (packet.length > 0) {
                dataSent = true;
            } else {
                PeerEvent.Cause why = packet == KEEPALIVE_PERSISTENT ? PeerEvent.Cause.PERSISTENT_KEEPALIVE
                        : packet == KEEPALIVE_CONFIRMATION ? PeerEvent.Cause.KEY_CONFIRMATION : PeerEvent.Cause.PASSIVE_KEEPALIVE;
                wg.emit(p, PeerEvent.Kind.KEEPALIVE_SENT, p.endpoint, why, k.sendCounter - 1);
            }
        }
        if (dataSent) {
            p.timers.dataSent(wg.now);
        }
        keepKeyFreshSending(p);
    }

    private boolean usable(Keypair k) {
        return Long.compareUnsigned(k.sendCounter, Protocol.REJECT_AFTER_MESSAGES) < 0
                && wg.now - k.created < Protocol.REJECT_AFTER_TIME;
    }

    /** send.go keepKeyFreshSending: rekey past REKEY_AFTER_MESSAGES, or, as initiator, past REKEY_AFTER_TIME. */
    private void keepKeyFreshSending(PeerState p) {
        Keypair k = p.keypairs.current;
        if (k == null) {
            return;
        }
        if (Long.compareUnsigned(k.sendCounter, Protocol.REKEY_AFTER_MESSAGES) > 0) {
            wg.handshakes.sendInitiation(p, false, PeerEvent.Cause.REKEY_AFTER_MESSAGES);
        } else if (k.initiator && wg.now - k.created > Protocol.REKEY_AFTER_TIME) {
            wg.handshakes.sendInitiation(p, false, PeerEvent.Cause.REKEY_AFTER_TIME);
        }
    }

    /** A type-4 message: header, counter, then the packet zero-padded to 16 and sealed. */
    private byte[] seal(Keypair k, long counter, byte[] packet) {
        int padded = (packet.length + Protocol.MESSAGE_PADDING_MULTIPLE - 1) & -Protocol.MESSAGE_PADDING_MULTIPLE;
        byte[] msg = new byte[Protocol.MESSAGE_TRANSPORT_SIZE + padded];
        msg[0] = Protocol.MESSAGE_TRANSPORT_TYPE;
        Endian.putLe32(msg, 4, k.remoteIndex);
        Endian.putLe64(msg, 8, counter);
        byte[] plain = scratch(padded);
        System.arraycopy(packet, 0, plain, 0, packet.length);
        java.util.Arrays.fill(plain, packet.length, padded, (byte) 0);
        k.sending.seal(counter, plain, 0, padded, msg, Protocol.MESSAGE_TRANSPORT_HEADER_SIZE);
        return msg;
    }

    /** receive.go RoutineReceiveIncoming / RoutineDecryption / RoutineSequentialReceiver for one message. */
    void receive(byte[] buf, int off, int len, InetSocketAddress from) {
        if (!(wg.indices.lookup(Endian.le32(buf, off + 4)) instanceof IndexTable.KeypairEntry entry)) {
            wg.reject(null, from, PeerEvent.Cause.UNKNOWN_INDEX);
            return;
        }
        Keypair k = entry.keypair();
        PeerState p = k.peer();
        if (wg.now - k.created > Protocol.REJECT_AFTER_TIME) {
            wg.reject(p, from, PeerEvent.Cause.KEYPAIR_EXPIRED);
            return;
        }
        long counter = Endian.le64(buf, off + 8);
        int sealedLen = len - Protocol.MESSAGE_TRANSPORT_HEADER_SIZE;
        int plainLen = len - Protocol.MESSAGE_TRANSPORT_SIZE;
        byte[] plain = scratch(sealedLen);
        try {
            k.receiving.open(counter, buf, off + Protocol.MESSAGE_TRANSPORT_HEADER_SIZE, sealedLen, plain, 0);
        } catch (AeadException e) {
            wg.reject(p, from, PeerEvent.Cause.DECRYPTION_FAILED);
            return;
        }
        if (!k.replay.validate(counter, Protocol.REJECT_AFTER_MESSAGES)) {
            wg.reject(p, from, PeerEvent.Cause.REPLAYED_COUNTER);
            return;
        }
        if (p.keypairs.confirm(k, wg.indices)) {
            // Key confirmation (whitepaper 5.4.6): the responder's new session becomes current.
            wg.setEndpointFromPacket(p, from);
            p.timers.handshakeComplete();
            p.lastHandshakeNanos = wg.now;
            wg.emit(p, PeerEvent.Kind.SESSION_CONFIRMED, from, PeerEvent.Cause.NONE, 0);
            sendStaged(p, PeerEvent.Cause.DATA_QUEUED);
        }
        p.rxBytes += plainLen + Protocol.MESSAGE_TRANSPORT_SIZE;
        boolean data = plainLen > 0;
        if (data) {
            deliver(p, plain, plainLen, from);
        } else {
            wg.emit(p, PeerEvent.Kind.KEEPALIVE_RECEIVED, from, PeerEvent.Cause.NONE, counter);
        }
        wg.setEndpointFromPacket(p, from);
        keepKeyFreshReceiving(p);
        p.timers.anyAuthenticatedPacketTraversal(wg.now);
        p.timers.anyAuthenticatedPacketReceived();
        if (data) {
            p.timers.dataReceived(wg.now);
        }
    }

    /**
     * The inner packet, trimmed to its IP length, if its source address routes back to {@code p}
     * (cryptokey routing, whitepaper 2; receive.go RoutineSequentialReceiver). The session still counts
     * as heard from either way, as in wireguard-go.
     */
    private void deliver(PeerState p, byte[] plain, int plainLen, InetSocketAddress from) {
        int version = (plain[0] >> 4) & 0xf;
        int length;
        PeerState source;
        if (version == 4 && plainLen >= 20) {
            length = Endian.be16(plain, 2);
            if (length > plainLen || length < 20) {
                wg.reject(p, from, PeerEvent.Cause.MALFORMED_INNER);
                return;
            }
            source = wg.allowedIps.lookup(plain, 12, 4);
        } else if (version == 6 && plainLen >= 40) {
            length = Endian.be16(plain, 4) + 40;
            if (length > plainLen) {
                wg.reject(p, from, PeerEvent.Cause.MALFORMED_INNER);
                return;
            }
            source = wg.allowedIps.lookup(plain, 8, 16);
        } else {
            wg.reject(p, from, PeerEvent.Cause.MALFORMED_INNER);
            return;
        }
        if (source != p) {
            wg.reject(p, from, PeerEvent.Cause.NOT_ALLOWED_SOURCE);
            return;
        }
        wg.out.add(new Action.DeliverInner(p.publicKey, java.util.Arrays.copyOf(plain, length)));
    }

    /** receive.go keepKeyFreshReceiving: the initiator rekeys once when its session nears REJECT_AFTER_TIME. */
    private void keepKeyFreshReceiving(PeerState p) {
        if (p.timers.sentLastMinuteHandshake) {
            return;
        }
        Keypair k = p.keypairs.current;
        if (k != null && k.initiator && wg.now - k.created > Protocol.REKEY_ON_RECEIVE_AGE) {
            p.timers.sentLastMinuteHandshake = true;
            wg.handshakes.sendInitiation(p, false, PeerEvent.Cause.REKEY_ON_RECEIVE);
        }
    }

    private byte[] scratch(int size) {
        if (scratch.length < size) {
            scratch = new byte[Math.max(size, scratch.length * 2)];
        }
        return scratch;
    }
}
