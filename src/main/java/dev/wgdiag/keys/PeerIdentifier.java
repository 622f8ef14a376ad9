package dev.wgdiag.keys;

import dev.wgdiag.crypto.AeadException;
import dev.wgdiag.crypto.HandshakeException;
import dev.wgdiag.crypto.InnerPacket;
import dev.wgdiag.crypto.Keylog;
import dev.wgdiag.crypto.KeylogException;
import dev.wgdiag.crypto.Mac1;
import dev.wgdiag.crypto.PassiveHandshake;
import dev.wgdiag.crypto.TransportCipher;
import dev.wgdiag.net.Endpoint;
import dev.wgdiag.pcap.SecretsHandler;
import dev.wgdiag.time.Timestamp;
import dev.wgdiag.wire.Datagram;
import dev.wgdiag.wire.MessageType;
import dev.wgdiag.wire.Protocol;
import dev.wgdiag.wire.WgMessage;
import dev.wgdiag.wire.WgMessageHandler;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Attributes handshake messages to known peers and, when keys allow, looks inside them.
 * <ul>
 *   <li>Public keys only: an initiation's mac1 names its responder, a response's mac1 its initiator
 *       (whitepaper 5.4.4: mac1 is keyed with the receiver's static public key), so each message's
 *       destination endpoint belongs to the named peer.</li>
 *   <li>The responder's private key: the initiation's encrypted static key names the initiator
 *       (so its source endpoint too) and its TAI64N timestamp gives the initiator's clock (skew) and
 *       replays (a timestamp not after the previous one; wireguard-go rejects those,
 *       device/noise-protocol.go ConsumeMessageInitiation).</li>
 *   <li>Session keys (keylog files or pcapng Decryption Secrets Blocks) and {@code decrypt}: transport
 *       data is opened to count inner protocols and time in-tunnel pings. Payload bytes are never kept.</li>
 * </ul>
 * Memory is bounded by handshakes and sessions (pending initiations and pings are capped), not packets.
 */
public final class PeerIdentifier implements WgMessageHandler, SecretsHandler {
    private static final int MAX_PENDING = 4096;
    private static final int MAX_HANDSHAKES = 10_000;
    /**
     * Keys taken from a capture's Decryption Secrets Blocks, at most: each block rebuilds the keyring
     * and each response is tried against every keylog, so a capture of thousands of blocks would cost
     * time quadratic in them (20 000 one-key blocks did not finish in 5 minutes). Real captures carry
     * one block, or one per handshake of a short capture.
     */
    static final int MAX_SECRET_KEYS = 1024;

    private KeyRing ring;
    private final boolean decrypt;
    private Mac1.Verifier[] verifiers;

    private final Map<Endpoint, Set<String>> endpointNames = new LinkedHashMap<>();
    private final Map<String, Integer> proofs = new LinkedHashMap<>();
    private final Map<String, List<Double>> skews = new HashMap<>();
    private final Map<String, Long> lastTimestampNanos = new HashMap<>();
    private final List<Identification.HandshakeIdentity> handshakes = new ArrayList<>();
    /** Initiations by sender index: the bytes (for keylog sessions) and who sent / received them. */
    private final Map<Long, Pending> pending = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Pending> eldest) {
            return size() > MAX_PENDING;
        }
    };
    private final Map<Long, TransportCipher> ciphers = new HashMap<>();
    /** Per receiver index: who sends with that cipher and who receives (for what the inner packets show). */
    private final Map<Long, dev.wgdiag.crypto.PublicKey[]> directions = new HashMap<>();
    private int sessions;
    private int secretKeys;
    private long secretBlocksIgnored;
    private long secretBlocksUnreadable;
    private long decrypted;
    private long failures;
    private final Map<String, Long> inner = new TreeMap<>();
    private final Map<String, Long> pingsOut = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > MAX_PENDING;
        }
    };
    private final List<Double> rtts = new ArrayList<>();

    private record Pending(byte[] bytes, String initiator, String responder) {
    }

    private String capture = "";
    private NoConnect noConnect;

    /** Also tells {@code n} what the keys prove about each initiation (why a tunnel does not connect). */
    public PeerIdentifier reportingTo(NoConnect n) {
        this.noConnect = n;
        return this;
    }

    /**
     * Starts a new capture file. Replays are judged within one capture: the same initiation seen in
     * a second capture of the same tunnel is the same packet, not a replay.
     */
    public void startCapture(String name) {
        this.capture = name;
    }

    public PeerIdentifier(KeyRing ring, boolean decrypt) {
        this.decrypt = decrypt;
        setRing(ring);
    }

    private void setRing(KeyRing ring) {
        this.ring = ring;
        this.verifiers = ring.peers().stream().map(p -> new Mac1.Verifier(p.publicKey())).toArray(Mac1.Verifier[]::new);
    }

    /** A pcapng Decryption Secrets Block: a WireGuard keylog joins the keyring from here on. */
    @Override
    public void onSecrets(int secretsType, byte[] data) {
        if (secretsType != WIREGUARD_KEY_LOG) return;
        try {
            // pcapng pads the block's data with zeros to 32 bits: the keylog text ends at the first NUL.
            if (secretKeys >= MAX_SECRET_KEYS) {
                secretBlocksIgnored++;
                return;
            }
            String text = new String(data, StandardCharsets.US_ASCII);
            int nul = text.indexOf('\0');
            Keylog keylog = Keylog.parse("Decryption Secrets Block", new StringReader(nul < 0 ? text : text.substring(0, nul)));
            int keys = keylog.localStatics().size() + keylog.remoteStatics().size() + keylog.ephemerals().size();
            if (secretKeys + keys > MAX_SECRET_KEYS) {
                secretBlocksIgnored++;
                return;
            }
            secretKeys += keys;
            setRing(ring.withKeylog(keylog, "pcapng Decryption Secrets Block"));
        } catch (KeylogException e) {
            // A malformed block in someone else's capture is not fatal: its keys are simply unknown.
            failures++;
            secretBlocksUnreadable++;
        }
    }

    @Override
    public void onMessage(Datagram d, WgMessage m) {
        MessageType type = m.type();
        if (type == MessageType.INITIATION && m.captured() == Protocol.MESSAGE_INITIATION_SIZE) {
            onInitiation(d, m);
        } else if (type == MessageType.RESPONSE && m.captured() == Protocol.MESSAGE_RESPONSE_SIZE) {
            onResponse(d, m);
        } else if (decrypt && (type == MessageType.TRANSPORT || type == MessageType.KEEPALIVE)
                && m.captured() == m.length() && !ciphers.isEmpty()) {
            onTransport(d, m);
        }
    }

    private KnownPeer mac1Receiver(WgMessage m) {
        for (int i = 0; i < verifiers.length; i++) {
            if (verifiers[i].verify(m.buffer(), m.offset(), m.length())) return ring.peers().get(i);
        }
        return null;
    }

    private void onInitiation(Datagram d, WgMessage m) {
        KnownPeer responder = mac1Receiver(m);
        if (noConnect != null) noConnect.onInitiationMac1(d, responder, ring);
        if (responder == null) return;
        prove(d.destination(), responder.name());
        String initiator = null;
        String proof = "mac1";
        Timestamp timestamp = null;
        Boolean replayed = null;
        if (responder.hasPrivateKey()) {
            try {
                PassiveHandshake.InitiationContents c = PassiveHandshake.decryptInitiation(responder.privateKey(),
                        m.buffer(), m.offset(), m.length());
                KnownPeer known = ring.peer(c.initiator());
                if (noConnect != null) noConnect.onInitiator(d, responder, c.initiator(), ring);
                initiator = known != null ? known.name() : c.initiator().shortForm();
                prove(d.source(), initiator);
                proof = "static key decrypted";
                long tsNanos = c.timestamp().toInstant().getEpochSecond() * 1_000_000_000L + c.timestamp().toInstant().getNano();
                timestamp = Timestamp.of(tsNanos, 9);
                if (noConnect != null) noConnect.onTimestamp(d, m.sender(), responder, c.initiator(), tsNanos);
                skews.computeIfAbsent(initiator, k -> new ArrayList<>()).add((tsNanos - d.timeNanos()) / 1e9);
                Long last = lastTimestampNanos.put(capture + "\u0000" + initiator + "/" + responder.name(), tsNanos);
                replayed = last != null && tsNanos <= last;
            } catch (HandshakeException e) {
                proof = "mac1 (static key did not decrypt: " + e.getMessage() + ")";
            }
        }
        pending.put(m.sender(), new Pending(ring.keylogs().isEmpty() ? null
                : Arrays.copyOfRange(m.buffer(), m.offset(), m.offset() + m.length()), initiator, responder.name()));
        record(d, "initiation", m.sender(), initiator, responder.name(), proof, timestamp, replayed);
    }

    private void onResponse(Datagram d, WgMessage m) {
        KnownPeer initiator = mac1Receiver(m);
        Pending init = pending.get(m.receiver());
        String responder = init != null ? init.responder() : null;
        if (initiator == null && responder == null) return;
        if (initiator != null) prove(d.destination(), initiator.name());
        if (responder != null) prove(d.source(), responder);
        record(d, "response", m.sender(), responder, initiator != null ? initiator.name() : null,
                initiator != null ? "mac1" : "answers an attributed initiation", null, null);
        if (init != null && init.bytes() != null) {
            for (Keylog keylog : ring.keylogs()) {
                try {
                    PassiveHandshake.Session s = PassiveHandshake.deriveSession(keylog, init.bytes(), 0, init.bytes().length,
                            m.buffer(), m.offset(), m.length());
                    ciphers.put(s.initiatorIndex() & 0xffffffffL, s.responderToInitiator());
                    ciphers.put(s.responderIndex() & 0xffffffffL, s.initiatorToResponder());
                    directions.put(s.initiatorIndex() & 0xffffffffL, new dev.wgdiag.crypto.PublicKey[] {s.responder(), s.initiator()});
                    directions.put(s.responderIndex() & 0xffffffffL, new dev.wgdiag.crypto.PublicKey[] {s.initiator(), s.responder()});
                    sessions++;
                    break;
                } catch (HandshakeException e) {
                    // this keylog does not hold this handshake's ephemeral key; try the next one
                }
            }
        }
    }

    private void onTransport(Datagram d, WgMessage m) {
        TransportCipher cipher = ciphers.get(m.receiver());
        if (cipher == null) return;
        byte[] plain;
        try {
            plain = cipher.openMessage(m.buffer(), m.offset(), m.length());
        } catch (AeadException e) {
            failures++;
            return;
        }
        decrypted++;
        InnerPacket p = InnerPacket.classify(plain, 0, plain.length);
        Arrays.fill(plain, (byte) 0);
        dev.wgdiag.crypto.PublicKey[] dir = directions.get(m.receiver());
        if (noConnect != null && dir != null) noConnect.onInner(d, p, dir[0], dir[1]);
        String proto = p == null ? "not IP" : p == InnerPacket.EMPTY ? "keepalive" : protocolName(p);
        inner.merge(proto, 1L, Long::sum);
        if (p != null && p.isEchoRequest()) {
            pingsOut.put(p.source() + ">" + p.destination() + "#" + p.echoIdentifier() + "/" + p.echoSequence(), d.timeNanos());
        } else if (p != null && p.isEchoReply()) {
            Long sent = pingsOut.remove(p.destination() + ">" + p.source() + "#" + p.echoIdentifier() + "/" + p.echoSequence());
            if (sent != null) rtts.add((d.timeNanos() - sent) / 1e6);
        }
    }

    private static String protocolName(InnerPacket p) {
        String v = p.ipVersion() == 6 ? "IPv6 " : "IPv4 ";
        return v + switch (p.protocol()) {
            case InnerPacket.PROTO_ICMP -> "ICMP";
            case InnerPacket.PROTO_ICMPV6 -> "ICMPv6";
            case InnerPacket.PROTO_TCP -> "TCP";
            case InnerPacket.PROTO_UDP -> "UDP";
            default -> "protocol " + p.protocol();
        };
    }

    private void prove(Endpoint endpoint, String name) {
        endpointNames.computeIfAbsent(endpoint, e -> new LinkedHashSet<>()).add(name);
        proofs.merge(name, 1, Integer::sum);
    }

    private void record(Datagram d, String type, long sender, String from, String to, String proof, Timestamp ts, Boolean replayed) {
        if (handshakes.size() < MAX_HANDSHAKES) {
            handshakes.add(new Identification.HandshakeIdentity(Timestamp.of(d.timeNanos(), d.timeDigits()), type,
                    sender, from, to, proof, ts, replayed));
        }
    }

    /** One-line warnings for a person: what the identification left out (e.g. secrets blocks beyond the bound). */
    public List<String> warnings() {
        List<String> w = new ArrayList<>();
        if (secretBlocksUnreadable > 0) {
            w.add(secretBlocksUnreadable + " Decryption Secrets Blocks are not a WireGuard keylog wgdiag can read; their keys are unknown");
        }
        if (secretBlocksIgnored > 0) {
            w.add(secretBlocksIgnored + " Decryption Secrets Blocks ignored: the captures' blocks held more than "
                    + MAX_SECRET_KEYS + " keys, the most wgdiag takes from them");
        }
        return w;
    }

    /** The name of the one peer proven to own this endpoint, or null (none, or more than one). */
    public String nameOf(Endpoint endpoint) {
        Set<String> names = endpointNames.get(endpoint);
        return names != null && names.size() == 1 ? names.iterator().next() : null;
    }

    public Identification result() {
        List<Identification.IdentifiedPeer> peers = new ArrayList<>();
        for (Map.Entry<String, Integer> e : proofs.entrySet()) {
            String name = e.getKey();
            List<String> eps = new ArrayList<>();
            endpointNames.forEach((ep, names) -> {
                if (names.contains(name)) eps.add(ep.toString());
            });
            KnownPeer kp = ring.peers().stream().filter(p -> p.name().equals(name)).findFirst().orElse(null);
            List<Double> s = skews.get(name);
            peers.add(new Identification.IdentifiedPeer(name, kp == null ? null : kp.publicKey().toBase64(), eps,
                    e.getValue(), s == null ? null : median(s)));
        }
        Identification.Decryption dec = null;
        if (decrypt) {
            List<Double> sorted = new ArrayList<>(rtts);
            sorted.sort(null);
            dec = new Identification.Decryption(sessions, decrypted, failures, new TreeMap<>(inner),
                    new Identification.PingStats(sorted.size(), sorted.isEmpty() ? null : sorted.get(0),
                            sorted.isEmpty() ? null : median(sorted), sorted.isEmpty() ? null : sorted.get(sorted.size() - 1)));
        }
        return new Identification(peers, List.copyOf(handshakes), dec);
    }

    private static double median(List<Double> values) {
        List<Double> v = new ArrayList<>(values);
        v.sort(null);
        int n = v.size();
        return n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
    }
}
