package dev.wgdiag.keys;

import dev.wgdiag.crypto.PublicKey;
import dev.wgdiag.net.Endpoint;
import dev.wgdiag.pcap.IcmpError;
import dev.wgdiag.pcap.IcmpHandler;
import dev.wgdiag.time.Timestamp;
import dev.wgdiag.wire.Datagram;
import dev.wgdiag.wire.MessageType;
import dev.wgdiag.wire.WgMessage;
import dev.wgdiag.wire.WgMessageHandler;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Tells why a tunnel does not connect ({@link NoConnectCause}). Reads every WireGuard message for the
 * handshakes that are answered and never confirmed, and takes from {@link PeerIdentifier} what the keys
 * proved about each initiation (mac1 receiver, decrypted initiator). Memory grows with handshakes
 * (bounded) and causes, not packets.
 */
public final class NoConnect implements WgMessageHandler, IcmpHandler {
    private static final int MAX_PENDING = 4096;
    private static final int FRAMES_KEPT = 5;
    /**
     * Answered handshakes never confirmed needed to name a PresharedKey mismatch: at least one the
     * initiator gave up on (it initiated again, REKEY_TIMEOUT later) and one more, the last possibly
     * still open at the end of the capture.
     */
    static final int MIN_UNCONFIRMED = 2;

    private final Map<String, Acc> found = new LinkedHashMap<>();

    /** An initiation not yet answered, or answered (responder index set) and not yet confirmed. */
    private record Pending(long frame, long timeNanos, int digits, Endpoint from, Endpoint to, long responderIndex) {
    }

    private final Map<Long, Pending> byInitiator = bounded();
    private final Map<Long, Pending> byResponder = bounded();
    /** Per initiator>responder endpoints: the last answered, unconfirmed handshake. */
    private final Map<String, Pending> lastAnswered = bounded();
    private final Map<String, Pair> pairs = new LinkedHashMap<>();
    /** initiator>responder endpoints of every initiation seen (bounded): what an ICMP error may quote. */
    private final Map<String, Boolean> initiated = bounded();
    private final KeyRing ring;
    /** For joining two captures: initiations seen (sender index), answers seen (by their sender index), the capture's span. */
    private final Map<Long, Boolean> initiationsSeen = bounded();
    private final Map<Long, Answer> answersSeen = bounded();
    private long lastNanos = Long.MIN_VALUE;

    private record Answer(long sender, long receiver, long frame, long timeNanos, int digits, Endpoint from, Endpoint to) {
    }
    /** Initiations with a decrypted timestamp, by sender index: initiator/responder key pair and TAI64N nanos. */
    private record Stamped(String who, long tsNanos, long frame, long timeNanos, int digits, Endpoint from, Endpoint to,
                           PublicKey initiator, PublicKey responder) {
    }

    private final Map<Long, Stamped> stamped = bounded();
    /** The newest timestamp the responder answered, per initiator/responder. */
    private final Map<String, Long> accepted = new LinkedHashMap<>();
    /** Initiations not after an accepted timestamp and not (yet) answered, by sender index. */
    private final Map<Long, Stamped> stale = bounded();

    private final String capture;
    private final InnerTraffic inner = new InnerTraffic();
    private long firstNanos = Long.MAX_VALUE;
    /** Per initiator>responder endpoints: initiations (count, first frames), answered or not, what the keys proved. */
    private final Map<String, Tries> tries = bounded();
    /** Per sender>receiver endpoints: transport data and keepalives (connected but nothing works, no keys). */
    private final Map<Dir, Flow> transport = bounded();

    /** A direction between two endpoints, as raw fields (compared with a datagram without allocating). */
    private record Dir(int version, long srcHi, long srcLo, int srcPort, long dstHi, long dstLo, int dstPort) {
        static Dir of(Endpoint from, Endpoint to) {
            return new Dir(from.version(), from.hi(), from.lo(), from.port(), to.hi(), to.lo(), to.port());
        }

        boolean matches(Datagram d) {
            return d.ipVersion() == version && d.srcPort() == srcPort && d.dstPort() == dstPort && d.srcLo() == srcLo
                    && d.dstLo() == dstLo && d.srcHi() == srcHi && d.dstHi() == dstHi;
        }
    }

    /**
     * The last two directions' transport flows: consecutive transport messages of a tunnel reuse them, so
     * the per-packet path allocates nothing (the analysis promises nothing per packet; docs/benchmarks.md).
     */
    private final Dir[] recentDir = new Dir[2];
    private final Flow[] recentFlow = new Flow[2];
    /** The last two sessions' flows by receiver index, for the same reason. */
    private final long[] recentIndex = {-1, -1};
    private final Flow[] recentSession = new Flow[2];

    private Flow transportFlow(Datagram d) {
        for (int i = 0; i < 2; i++) {
            if (recentDir[i] != null && recentDir[i].matches(d)) return recentFlow[i];
        }
        Dir k = new Dir(d.ipVersion(), d.srcHi(), d.srcLo(), d.srcPort(), d.dstHi(), d.dstLo(), d.dstPort());
        Flow f = transport.computeIfAbsent(k, x -> new Flow());
        recentDir[1] = recentDir[0];
        recentFlow[1] = recentFlow[0];
        recentDir[0] = k;
        recentFlow[0] = f;
        return f;
    }

    /** Whether transport (with {@code data}: data messages, else any, keepalives too) went from {@code from} to {@code to}. */
    private boolean anyTransport(Endpoint from, Endpoint to, boolean data) {
        Flow f = transport.get(Dir.of(from, to));
        if (f != null && (f.data > 0 || (!data && f.keepalives > 0))) return true;
        for (Flow s : sessionFlows.values()) {
            if (from.equals(s.fromEp) && to.equals(s.toEp) && (s.data > 0 || (!data && s.keepalives > 0))) return true;
        }
        return false;
    }

    /** The session flow of a transport message to {@code receiver}, or null when its handshake was not seen. */
    private Flow sessionFlow(long receiver) {
        for (int i = 0; i < 2; i++) {
            if (recentIndex[i] == receiver) return recentSession[i];
        }
        Flow f = sessionFlows.get(receiver);
        recentIndex[1] = recentIndex[0];
        recentSession[1] = recentSession[0];
        recentIndex[0] = receiver;
        recentSession[0] = f;
        return f;
    }

    private static final class Tries {
        int initiations;
        final List<Long> frames = new ArrayList<>();
        long firstNanos;
        long lastNanos;
        int digits;
        boolean answered;
        boolean mac1Right;
        boolean peerKnown;
        boolean explained;
        Endpoint from;
        Endpoint to;
        /** The ListenPort of the server's config whose key mac1 was made with, or -1. */
        int serverPort = -1;
        String serverFile;
        int endpointLine;
        String clientFile;
    }

    /** Transport data of one session whose handshake this capture saw, per direction, by the receiving side's index. */
    private final Map<Long, Flow> sessionFlows = bounded();
    /** The reverse direction of each session flow (same keys). */
    private final Map<Long, Long> reverse = bounded();

    private static final class Flow {
        String from;
        String to;
        Endpoint fromEp;
        Endpoint toEp;
        int data;
        int keepalives;
        int smallest = Integer.MAX_VALUE;
        int largest = -1;
        final List<Long> frames = new ArrayList<>();
        long firstNanos;
        long lastNanos;
        int digits;
    }

    /** Without configs: the causes the capture alone shows. */
    public NoConnect() {
        this(KeyRing.EMPTY, null);
    }

    /** With the configs given (fixes name their file and line), for the capture named {@code capture}. */
    public NoConnect(KeyRing ring, String capture) {
        this.ring = ring;
        this.capture = capture;
    }

    private static final class Pair {
        int confirmed;
        Acc unconfirmed;
    }

    private static final class Acc {
        final NoConnectCause cause;
        final String key;
        final String keyName;
        final NoConnectFinding.Fix fix;
        final String settledBy;
        int count;
        final List<Long> frames = new ArrayList<>();
        Timestamp first;
        Timestamp last;
        String from;
        String to;

        Acc(NoConnectCause cause, String key, String keyName, NoConnectFinding.Fix fix, String settledBy) {
            this.cause = cause;
            this.key = key;
            this.keyName = keyName;
            this.fix = fix;
            this.settledBy = settledBy;
        }

        void add(long frame, long timeNanos, int digits, Endpoint src, Endpoint dst) {
            count++;
            if (frames.size() < FRAMES_KEPT) frames.add(frame);
            Timestamp t = Timestamp.of(timeNanos, digits);
            if (first == null) {
                first = t;
                from = src.toString();
                to = dst.toString();
            }
            last = t;
        }

        NoConnectFinding finding(String capture) {
            return new NoConnectFinding(capture, cause, count, frames, first, last, from, to, key, keyName, fix, settledBy);
        }
    }

    private static <K, V> Map<K, V> bounded() {
        return new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > MAX_PENDING;
            }
        };
    }

    @Override
    public void onMessage(Datagram d, WgMessage m) {
        MessageType type = m.type();
        lastNanos = Math.max(lastNanos, d.timeNanos());
        firstNanos = Math.min(firstNanos, d.timeNanos());
        if (type == MessageType.INITIATION) {
            String dir = d.source() + ">" + d.destination();
            Tries t = tries.computeIfAbsent(dir, k -> new Tries());
            if (t.initiations++ == 0) {
                t.from = d.source();
                t.to = d.destination();
                t.firstNanos = d.timeNanos();
                t.digits = d.timeDigits();
            }
            if (t.frames.size() < FRAMES_KEPT) t.frames.add(d.frameNumber());
            t.lastNanos = d.timeNanos();
        } else if (type == MessageType.RESPONSE) {
            Tries t = tries.get(d.destination() + ">" + d.source());
            if (t != null) t.answered = true;
            // a session: data to the responder carries its index (the response's sender), data back the initiator's
            Flow up = new Flow();
            up.fromEp = d.destination();
            up.toEp = d.source();
            up.from = up.fromEp.toString();
            up.to = up.toEp.toString();
            Flow down = new Flow();
            down.fromEp = d.source();
            down.toEp = d.destination();
            down.from = down.fromEp.toString();
            down.to = down.toEp.toString();
            sessionFlows.put(m.sender(), up);
            sessionFlows.put(m.receiver(), down);
            reverse.put(m.sender(), m.receiver());
            reverse.put(m.receiver(), m.sender());
            recentIndex[0] = recentIndex[1] = -1; // a cached miss may be this session's index
        }
        if (type == MessageType.TRANSPORT || type == MessageType.KEEPALIVE) {
            Flow sf = sessionFlow(m.receiver());
            // a session this capture saw counts its own transport; the rest (a capture begun mid-session) by direction
            count(sf != null ? sf : transportFlow(d), d, m);
        }
        if (type == MessageType.INITIATION) initiationsSeen.put(m.sender(), Boolean.TRUE);
        if (type == MessageType.RESPONSE) {
            answersSeen.put(m.sender(), new Answer(m.sender(), m.receiver(), d.frameNumber(), d.timeNanos(), d.timeDigits(), d.source(), d.destination()));
        }
        if (type == MessageType.INITIATION) {
            String pair = d.source() + ">" + d.destination();
            initiated.put(pair, Boolean.TRUE);
            Pending before = lastAnswered.remove(pair);
            if (before != null) {
                // the initiator tried again without ever using the answered session
                Pair p = pairs.computeIfAbsent(pair, k -> new Pair());
                if (p.unconfirmed == null) {
                    p.unconfirmed = new Acc(NoConnectCause.PRESHARED_KEY_MISMATCH, null, null,
                            new NoConnectFinding.Fix(null, 0, "client and server", "[Peer]", "PresharedKey", null),
                            "a capture at the initiator (the answers reach it) rules out answers lost on the way back");
                }
                p.unconfirmed.add(before.frame(), before.timeNanos(), before.digits(), before.from(), before.to());
            }
            byInitiator.put(m.sender(), new Pending(d.frameNumber(), d.timeNanos(), d.timeDigits(), d.source(), d.destination(), -1));
        } else if (type == MessageType.RESPONSE) {
            Stamped st = stamped.remove(m.receiver());
            if (st != null) {
                accepted.merge(st.who(), st.tsNanos(), Math::max);
                stale.remove(m.receiver());
            }
            Pending init = byInitiator.remove(m.receiver());
            if (init == null) return;
            Pending answered = new Pending(init.frame(), init.timeNanos(), init.digits(), init.from(), init.to(), m.sender());
            byResponder.put(m.sender(), answered);
            lastAnswered.put(init.from() + ">" + init.to(), answered);
        } else if (type == MessageType.TRANSPORT || type == MessageType.KEEPALIVE) {
            // nearly always empty (a session's first transport empties it): no boxed look-up per packet
            Pending p = byResponder.isEmpty() ? null : byResponder.remove(m.receiver());
            if (p == null) return;
            String pair = p.from() + ">" + p.to();
            lastAnswered.remove(pair);
            pairs.computeIfAbsent(pair, k -> new Pair()).confirmed++;
        }
    }

    /** An ICMP error quoting a datagram of an initiator to its responder: the initiations do not get there. */
    @Override
    public void onIcmpError(IcmpError e) {
        if (e.kind() != IcmpError.PORT_UNREACHABLE && e.kind() != IcmpError.UNREACHABLE) return;
        Endpoint src = e.quotedSource();
        Endpoint dst = e.quotedDestination();
        if (!initiated.containsKey(src + ">" + dst)) return;
        Tries t = tries.get(src + ">" + dst);
        if (t != null) t.explained = true;
        String kind = e.kindName();
        String file = null;
        int line = 0;
        for (KeyRing.ConfigKeys c : ring.configs()) {
            Integer l = c.endpointLines().get(dst.toString());
            if (l != null) {
                file = c.file();
                line = l;
                break;
            }
        }
        NoConnectFinding.Fix fix = new NoConnectFinding.Fix(file, line, "client", "[Peer]", "Endpoint", null);
        found.computeIfAbsent(NoConnectCause.UNREACHABLE + "/" + dst + "/" + kind, k -> new Acc(NoConnectCause.UNREACHABLE, null,
                        e.reporter() + " said " + kind, fix,
                        "the server's capture (no initiation arrives) and its ListenPort (wg show) tell a wrong Endpoint from a firewall"))
                .add(e.frameNumber(), e.timeNanos(), e.timeDigits(), src, dst);
    }

    /**
     * An initiation whose mac1 matched {@code receiver} (null: no key given). Names
     * {@link NoConnectCause#WRONG_SERVER_KEY} when the server's config is given and the key mac1 was
     * made with is not the server's.
     */
    void onInitiationMac1(Datagram d, KnownPeer receiver, KeyRing ring) {
        if (receiver != null && ring.configOf(receiver.publicKey()) != null) {
            Tries t = tries.get(d.source() + ">" + d.destination());
            if (t != null) {
                t.mac1Right = true;
                KeyRing.ConfigKeys server = ring.configOf(receiver.publicKey());
                t.serverPort = server.listenPort();
                t.serverFile = server.file();
                for (KeyRing.ConfigKeys c : ring.configs()) {
                    Integer l = c.endpointLines().get(d.destination().toString());
                    if (l != null) {
                        t.clientFile = c.file();
                        t.endpointLine = l;
                    }
                }
            }
            return; // made for a config's own key: right
        }
        // the server: a config with a private key listening on the port the initiation went to
        // (a config without ListenPort only when none has it)
        List<KeyRing.ConfigKeys> servers = new ArrayList<>();
        for (KeyRing.ConfigKeys c : ring.configs()) {
            if (c.iface() != null && c.listenPort() == d.dstPort()) servers.add(c);
        }
        if (servers.isEmpty()) {
            for (KeyRing.ConfigKeys c : ring.configs()) {
                if (c.iface() != null && c.listenPort() < 0) servers.add(c);
            }
        }
        if (servers.isEmpty()) return; // no server key given: nothing to compare mac1 with
        if (receiver != null) {
            for (KeyRing.ConfigKeys s : servers) {
                if (s.hasPeer(receiver.publicKey())) return; // the server initiating to one of its peers
            }
        }
        // the client's config, when given: it lists the key mac1 was made with
        KeyRing.ConfigKeys client = null;
        int line = 0;
        if (receiver != null) {
            for (KeyRing.ConfigKeys c : ring.configs()) {
                Integer l = c.peerLines().get(receiver.publicKey().toBase64());
                if (l != null && c.iface() != null && !servers.contains(c)) {
                    client = c;
                    line = l;
                    break;
                }
            }
        }
        KeyRing.ConfigKeys server = servers.size() == 1 ? servers.get(0) : null;
        if (client != null) {
            for (KeyRing.ConfigKeys s : servers) {
                if (s.hasPeer(client.iface())) server = s;
            }
        }
        add(NoConnectCause.WRONG_SERVER_KEY, receiver == null ? null : receiver.publicKey().shortForm(),
                receiver == null ? null : receiver.name(),
                new NoConnectFinding.Fix(client == null ? null : client.file(), line, "client", "[Peer]", "PublicKey",
                        server == null ? null : server.iface().toBase64()),
                client == null ? "the client's config (--config) names the file and line" : null, d);
    }

    /** An initiation's decrypted TAI64N timestamp (nanoseconds since the epoch). */
    void onTimestamp(Datagram d, long senderIndex, KnownPeer responder, PublicKey initiator, long tsNanos) {
        String who = initiator.toBase64() + "/" + responder.publicKey().toBase64();
        Stamped s = new Stamped(who, tsNanos, d.frameNumber(), d.timeNanos(), d.timeDigits(), d.source(), d.destination(),
                initiator, responder.publicKey());
        stamped.put(senderIndex, s);
        Long last = accepted.get(who);
        if (last != null && tsNanos <= last) stale.put(senderIndex, s);
    }

    /**
     * An initiation decrypted with the responder's private key: names {@link NoConnectCause#UNKNOWN_PEER}
     * when the responder's config has no [Peer] with the initiator's static key.
     */
    void onInitiator(Datagram d, KnownPeer responder, PublicKey initiator, KeyRing ring) {
        KeyRing.ConfigKeys server = ring.configOf(responder.publicKey());
        if (server != null && server.hasPeer(initiator)) {
            Tries t = tries.get(d.source() + ">" + d.destination());
            if (t != null) t.peerKnown = true;
        }
        if (server == null || server.hasPeer(initiator)) return;
        KeyRing.ConfigKeys client = ring.configOf(initiator);
        KnownPeer known = ring.peer(initiator);
        add(NoConnectCause.UNKNOWN_PEER, initiator.shortForm(), client != null ? client.file() : known != null ? known.name() : null,
                new NoConnectFinding.Fix(server.file(), 0, "server", "[Peer]", "PublicKey", initiator.toBase64()), null, d);
    }

    private void add(NoConnectCause cause, String key, String keyName, NoConnectFinding.Fix fix, String settledBy, Datagram d) {
        Tries t = tries.get(d.source() + ">" + d.destination());
        if (t != null) t.explained = true;
        found.computeIfAbsent(cause + "/" + key + "/" + fix, k -> new Acc(cause, key, keyName, fix, settledBy))
                .add(d.frameNumber(), d.timeNanos(), d.timeDigits(), d.source(), d.destination());
    }

    /**
     * Two captures of one tunnel: answers {@code here} sent to initiations {@code there} also saw, that
     * never showed {@code there} although its capture went on at least {@link #ANSWER_GRACE_NANOS} longer
     * (clocks of two machines differ; the grace covers it). A cause only when no such answer arrived.
     */
    public static List<NoConnectFinding> lostAnswers(NoConnect here, NoConnect there) {
        Acc lost = null;
        for (Answer a : here.answersSeen.values()) {
            if (!there.initiationsSeen.containsKey(a.receiver())) continue; // that handshake did not pass the other point
            if (there.answersSeen.containsKey(a.sender())) return List.of(); // one answer got through
            if (there.lastNanos < a.timeNanos() + ANSWER_GRACE_NANOS) continue; // the other capture stopped too soon
            if (lost == null) {
                lost = new Acc(NoConnectCause.ANSWERS_LOST, null, null, new NoConnectFinding.Fix(null, 0, "network", null, null, null),
                        null);
            }
            lost.add(a.frame(), a.timeNanos(), a.digits(), a.from(), a.to());
        }
        return lost == null ? List.of() : List.of(lost.finding(here.capture));
    }

    /** Answers must have arrived within this much of the other capture's end to count as lost (clock offset, delay). */
    static final long ANSWER_GRACE_NANOS = 2_000_000_000L;

    /** The causes found, in {@link NoConnectCause} order. */
    public List<NoConnectFinding> result() {
        for (Stamped s : stale.values()) {
            KeyRing.ConfigKeys server = ring.configOf(s.responder());
            Integer line = server == null ? null : server.peerLines().get(s.initiator().toBase64());
            KnownPeer known = ring.peer(s.initiator());
            NoConnectFinding.Fix fix = new NoConnectFinding.Fix(server == null ? null : server.file(), line == null ? 0 : line,
                    "server", "[Peer]", "PublicKey", s.initiator().toBase64());
            found.computeIfAbsent(NoConnectCause.STALE_TIMESTAMP + "/" + s.who(), k -> new Acc(NoConnectCause.STALE_TIMESTAMP,
                            s.initiator().shortForm(), known != null ? known.name() : null, fix, null))
                    .add(s.frame(), s.timeNanos(), s.digits(), s.from(), s.to());
            Tries t = tries.get(s.from() + ">" + s.to());
            if (t != null) t.explained = true;
        }
        stale.clear();
        List<NoConnectFinding> out = new ArrayList<>();
        for (Acc a : found.values()) out.add(a.finding(capture));
        for (Map.Entry<String, Pair> e : pairs.entrySet()) {
            Pair p = e.getValue();
            if (p.confirmed > 0 || p.unconfirmed == null) continue;
            Pending open = lastAnswered.get(e.getKey());
            int n = p.unconfirmed.count + (open != null ? 1 : 0);
            if (n < MIN_UNCONFIRMED) continue;
            NoConnectFinding f = p.unconfirmed.finding(capture);
            Boolean agree = presharedKeysAgree();
            if (Boolean.TRUE.equals(agree)) {
                // both configs given and their PresharedKeys are the same: the answers are lost, not refused
                f = new NoConnectFinding(f.capture(), NoConnectCause.ANSWERS_LOST, f.messages(), f.frames(), f.firstTime(), f.lastTime(),
                        f.from(), f.to(), null, null, new NoConnectFinding.Fix(null, 0, "network", null, null, null),
                        "a capture at the initiator (the answers never arrive there)", NoConnectFinding.Confidence.MEDIUM, List.of(), null);
            }
            if (open != null) {
                List<Long> frames = new ArrayList<>(f.frames());
                if (frames.size() < FRAMES_KEPT) frames.add(open.frame());
                f = new NoConnectFinding(f.capture(), f.cause(), n, frames, f.firstTime(), Timestamp.of(open.timeNanos(), open.digits()),
                        f.from(), f.to(), f.key(), f.keyName(), f.fix(), f.settledBy(), f.confidence(), f.alternatives(), f.inner());
            }
            if (f.cause() == NoConnectCause.PRESHARED_KEY_MISMATCH && agree == null) {
                // one capture, PresharedKeys not both known: from the answering side lost answers look the same
                f = new NoConnectFinding(f.capture(), f.cause(), f.messages(), f.frames(), f.firstTime(), f.lastTime(), f.from(), f.to(),
                        f.key(), f.keyName(), f.fix(), f.settledBy(), NoConnectFinding.Confidence.MEDIUM,
                        List.of(NoConnectCause.ANSWERS_LOST), null);
            }
            out.add(f);
        }
        notAnswered(out);
        List<NoConnectFinding> innerCauses = inner.result(ring, capture);
        out.addAll(innerCauses);
        if (innerCauses.isEmpty()) oneWay(out);
        out.sort((x, y) -> x.cause().compareTo(y.cause()));
        return out;
    }

    /**
     * Two configs given that are each other's [Peer]: whether they have the same PresharedKey for each other
     * (none on both sides counts as the same), or null when no such pair was given. Compared in constant
     * time, never shown.
     */
    private Boolean presharedKeysAgree() {
        for (KeyRing.ConfigKeys a : ring.configs()) {
            for (KeyRing.ConfigKeys b : ring.configs()) {
                if (a == b || a.iface() == null || b.iface() == null || !a.hasPeer(b.iface()) || !b.hasPeer(a.iface())) continue;
                dev.wgdiag.crypto.PresharedKey ab = a.inner().presharedKeys().get(b.iface().toBase64());
                dev.wgdiag.crypto.PresharedKey ba = b.inner().presharedKeys().get(a.iface().toBase64());
                if (ab != null && ba != null) return ab.matches(ba.toBytes(), 0);
            }
        }
        return null;
    }

    /** Initiations, at least this many, never answered and with no ICMP error, for {@link NoConnectCause#NOT_ANSWERED}. */
    static final int MIN_UNANSWERED_INITIATIONS = 3;
    /** Data datagrams one way with none back, for {@link NoConnectCause#TRANSPORT_ONE_WAY}. */
    static final int MIN_ONE_WAY = 3;

    private void notAnswered(List<NoConnectFinding> out) {
        for (Map.Entry<String, Tries> e : tries.entrySet()) {
            Tries t = e.getValue();
            if (t.answered || t.explained || t.initiations < MIN_UNANSWERED_INITIATIONS) continue;
            // answered the other way (the roles swapped), or transport both ways: a tunnel that works
            String[] ends = e.getKey().split(">", 2);
            String back = ends[1] + ">" + ends[0];
            if (anyTransport(t.to, t.from, false) || (tries.containsKey(back) && tries.get(back).answered)) continue;
            int port = Integer.parseInt(ends[1].substring(ends[1].lastIndexOf(':') + 1));
            if (t.serverPort > 0 && port != t.serverPort) {
                // the server's config listens elsewhere: the Endpoint's port is wrong (no ICMP: something drops it)
                out.add(new NoConnectFinding(capture, NoConnectCause.UNREACHABLE, t.initiations, t.frames,
                        Timestamp.of(t.firstNanos, t.digits), Timestamp.of(t.lastNanos, t.digits), ends[0], ends[1],
                        null, t.serverFile + " listens on port " + t.serverPort + ", not " + port,
                        new NoConnectFinding.Fix(t.clientFile, t.endpointLine, "client", "[Peer]", "Endpoint",
                                ends[1].substring(0, ends[1].lastIndexOf(':') + 1) + t.serverPort),
                        "the server's capture (nothing arrives on port " + t.serverPort + ")",
                        NoConnectFinding.Confidence.MEDIUM, List.of(), null));
                continue;
            }
            List<NoConnectCause> alt = new ArrayList<>(List.of(NoConnectCause.ANSWERS_LOST, NoConnectCause.UNREACHABLE));
            if (!t.mac1Right) alt.add(NoConnectCause.WRONG_SERVER_KEY);
            if (!t.peerKnown) alt.add(NoConnectCause.UNKNOWN_PEER);
            String settled = "the server's capture: initiations arriving and answers leaving mean lost on the way back;"
                    + " nothing arriving means they never reach it"
                    + (t.mac1Right ? "" : "; the server's config or public key (--config) checks mac1")
                    + (t.peerKnown ? "" : "; the server's config with its private key checks its [Peer]s");
            out.add(new NoConnectFinding(capture, NoConnectCause.NOT_ANSWERED, t.initiations, t.frames,
                    Timestamp.of(t.firstNanos, t.digits), Timestamp.of(t.lastNanos, t.digits), ends[0], ends[1],
                    null, null, new NoConnectFinding.Fix(null, 0, "network", null, null, null), settled,
                    NoConnectFinding.Confidence.LOW, alt, null));
        }
    }

    private static void count(Flow f, Datagram d, WgMessage m) {
        if (m.type() == MessageType.KEEPALIVE) {
            f.keepalives++;
            return;
        }
        if (f.data++ == 0) {
            f.firstNanos = d.timeNanos();
            f.digits = d.timeDigits();
        }
        f.lastNanos = d.timeNanos();
        f.smallest = Math.min(f.smallest, m.length());
        f.largest = Math.max(f.largest, m.length());
        if (f.frames.size() < FRAMES_KEPT) f.frames.add(d.frameNumber());
    }

    /** Sessions whose handshake this capture saw and whose data went one way only (a capture begun mid-session proves nothing). */
    private void oneWay(List<NoConnectFinding> out) {
        java.util.Set<String> named = new java.util.HashSet<>();
        for (Map.Entry<Long, Flow> e : sessionFlows.entrySet()) {
            Flow f = e.getValue();
            if (f.data < MIN_ONE_WAY) continue;
            Long r = reverse.get(e.getKey());
            Flow back = r == null ? null : sessionFlows.get(r);
            if (back == null || back.data > 0) continue;
            String[] ends = {f.from, f.to};
            // the endpoints' data back in any session of this capture: not one way
            if (anyTransport(f.toEp, f.fromEp, true)) continue;
            if (!named.add(f.from + ">" + f.to)) continue;
            // sizes are the transport messages' lengths: inner packet + 32 bytes of header and tag, padded to 16
            out.add(new NoConnectFinding(capture, NoConnectCause.TRANSPORT_ONE_WAY, f.data, f.frames,
                    Timestamp.of(f.firstNanos, f.digits), Timestamp.of(f.lastNanos, f.digits), ends[0], ends[1],
                    null, null, new NoConnectFinding.Fix(null, 0, "server", null, null, null),
                    "--decrypt with the session keys (a wgdiag peer -w capture carries them, or --keylog) tells which cause",
                    NoConnectFinding.Confidence.LOW, List.of(NoConnectCause.SOURCE_NOT_ALLOWED, NoConnectCause.NOT_FORWARDED,
                    NoConnectCause.DNS_UNANSWERED), new NoConnectFinding.Inner(null, List.of(), null, f.data, 0, f.smallest, f.largest,
                    -1, -1, back == null ? 0 : back.keepalives)));
        }
    }

    /** A decrypted inner packet that {@code sender} sent to {@code receiver} (connected but nothing works). */
    void onInner(Datagram d, dev.wgdiag.crypto.InnerPacket p, PublicKey sender, PublicKey receiver) {
        inner.onInner(d, p, sender, receiver);
    }

    /**
     * Two captures of one tunnel: initiations {@code here} that {@code there} never saw, although its capture
     * covered their time, and none of them at all: they never reach the other point (no ICMP needed).
     */
    public static List<NoConnectFinding> lostInitiations(NoConnect here, NoConnect there) {
        // an empty other capture cannot show that it ran while these were sent: less sure
        boolean empty = there.firstNanos == Long.MAX_VALUE;
        Acc lost = null;
        for (Map.Entry<String, Tries> e : here.tries.entrySet()) {
            Tries t = e.getValue();
            if (t.answered || t.explained || t.initiations < MIN_UNANSWERED_INITIATIONS) continue;
            if (!empty && (t.firstNanos < there.firstNanos - ANSWER_GRACE_NANOS || t.lastNanos > there.lastNanos)) continue;
            if (!there.initiationsSeen.isEmpty()) {
                boolean any = false;
                for (Long sender : here.initiationsSeen.keySet()) any |= there.initiationsSeen.containsKey(sender);
                if (any) return List.of();
            }
            String[] ends = e.getKey().split(">", 2);
            if (lost == null) {
                lost = new Acc(NoConnectCause.UNREACHABLE, null, empty ? "the other capture (" + there.capture
                        + ") holds no WireGuard message at all" : "the other capture (" + there.capture + ") saw none of them",
                        new NoConnectFinding.Fix(null, 0, "client", "[Peer]", "Endpoint", null),
                        empty ? "a capture at the server that shows other traffic while these were sent" : null);
            }
            for (long fr : t.frames) {
                if (lost.frames.size() < FRAMES_KEPT) lost.frames.add(fr);
            }
            lost.count += t.initiations;
            lost.first = Timestamp.of(t.firstNanos, t.digits);
            lost.last = Timestamp.of(t.lastNanos, t.digits);
            lost.from = ends[0];
            lost.to = ends[1];
        }
        if (lost == null) return List.of();
        NoConnectFinding f = lost.finding(here.capture);
        if (!empty) return List.of(f);
        return List.of(new NoConnectFinding(f.capture(), f.cause(), f.messages(), f.frames(), f.firstTime(), f.lastTime(), f.from(), f.to(),
                f.key(), f.keyName(), f.fix(), f.settledBy(), NoConnectFinding.Confidence.MEDIUM, List.of(), null));
    }
}
