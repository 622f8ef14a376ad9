package dev.wgdiag.timeline;

import dev.wgdiag.net.Endpoint;
import dev.wgdiag.wire.SessionIndex;
import dev.wgdiag.wire.Datagram;
import dev.wgdiag.wire.Protocol;
import dev.wgdiag.wire.WgMessage;
import dev.wgdiag.wire.WgMessageHandler;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Follows WireGuard tunnels through one capture, message by message, and infers handshakes, initiator
 * swaps, keepalives, endpoint changes, idle gaps, the NAT mapping timeout and loss.
 *
 * <p>Feed it decoded messages in capture order ({@code new WireGuardDecoder(analyzer)}), then call
 * {@link #finish()}. Per message it does a couple of primitive-keyed hash lookups (receiver index to
 * session direction, endpoint to id) and updates primitive fields; objects are allocated only for new
 * endpoints, sessions and events, so memory grows with tunnels and events, never with packets.
 *
 * <p>Sessions are tracked by indices as a passive observer must: an initiation's sender index I_i,
 * the response's (sender I_r, receiver I_i); transport to the initiator carries I_i, to the
 * responder I_r (whitepaper 5.4). A capture starting mid-session meets transport with unknown
 * receivers: those open a session whose initiator is unknown. Peers are tied across sessions by
 * endpoints: an authenticated packet of a known session from a new endpoint is that peer moving
 * (whitepaper 6.5 roaming); an initiation from an unknown endpoint whose address is that of a
 * known peer talking to the same counterpart is that peer after a NAT rebinding.
 */
public final class Analyzer implements WgMessageHandler {
    private static final long NANOS = 1_000_000_000L;
    /** wireguard-go timers.go: retries come REKEY_TIMEOUT + up to 333 ms jitter apart; allow one lost retry. */
    private static final long RETRY_WINDOW = 2 * (Protocol.REKEY_TIMEOUT + Protocol.REKEY_TIMEOUT_JITTER_MAX) + NANOS / 2;
    /** Give-up: retries spanning REKEY_ATTEMPT_TIME (timers.go expiredRetransmitHandshake, MaxTimerHandshakes). */
    private static final long GIVE_UP_SPAN = Protocol.REKEY_ATTEMPT_TIME - 2 * Protocol.REKEY_TIMEOUT;
    /** Passive keepalive: KEEPALIVE_TIMEOUT after data received with nothing sent (timers.go timersDataReceived). */
    private static final long PASSIVE_MIN = Protocol.KEEPALIVE_TIMEOUT - 300_000_000L;
    private static final long PASSIVE_MAX = Protocol.KEEPALIVE_TIMEOUT + 1_500_000_000L;
    /** New handshake after data with no reply: KEEPALIVE_TIMEOUT + REKEY_TIMEOUT + jitter (timers.go timersDataSent). */
    private static final long NO_REPLY_MIN = Protocol.NEW_HANDSHAKE_AFTER_NO_REPLY - 500_000_000L;
    private static final long NO_REPLY_MAX = Protocol.NEW_HANDSHAKE_AFTER_NO_REPLY + Protocol.REKEY_TIMEOUT_JITTER_MAX + 2 * NANOS;
    private static final long REKEY_MIN = Protocol.REKEY_AFTER_TIME - NANOS;
    private static final long EXPIRED_MIN = Protocol.REJECT_AFTER_TIME - NANOS;
    private static final int MAX_KEEPALIVE_SAMPLES = 4096;
    /** A peer that sent within this long is alive at its endpoint: a new endpoint at its address is someone else. */
    private static final long STILL_TALKING = 2 * NANOS;
    private static final int MAX_EVIDENCE = 40;
    /** Packets into one idle gap whose times are kept for a join (the first undelivered one is nearly always among them). */
    static final int LATE_KEPT = 16;
    private static final int MAX_INTO_GAPS = 10_000;

    private final AnalyzerOptions options;
    private final AnalysisListener listener;
    private final EndpointTable endpoints = new EndpointTable();
    private final LongObjectMap<Object> byIndex = new LongObjectMap<>(256);
    private PeerState[] owner = new PeerState[64];
    private final List<PeerState> peers = new ArrayList<>();
    private final List<TunnelState> tunnels = new ArrayList<>();
    private final TunnelIndex tunnelIndex = new TunnelIndex();
    private final long[] messageCounts = new long[5];
    /** Messages skipped because following them would exceed {@link AnalyzerOptions#maxPeers()}. */
    private long overLimit;
    private long firstTime = Long.MAX_VALUE;
    private long lastTime = Long.MIN_VALUE;
    private int digits = 6;
    private String captureName = "capture";
    /** Handshake messages (bounded by events) kept for joining two captures. */
    private final List<HandshakeMessage> handshakeMessages = new ArrayList<>();

    /** One handshake message as seen here: sender index (initiation, response), receiver (response, cookie). */
    record HandshakeMessage(long time, int type, long sender, long receiver, Endpoint src, Endpoint dst, String senderPeer) {
    }

    /**
     * Packets the other peer sent to a peer's endpoint while the peer was silent for an idle gap, as seen
     * at this capture point: outside the NAT what was sent into the mapping, inside what was delivered.
     *
     * @param silenceStart the peer's last packet before the gap
     * @param end          when it spoke again (-1: not before the capture ended)
     * @param outcome      what its return said about the mapping (null: no return)
     * @param times        the first {@link #LATE_KEPT} packets' times, in order
     * @param total        how many packets in all
     * @param last         the last packet's time
     * @param gapIndex     the gap in the tunnel's list (-1: none recorded)
     */
    record IntoGap(long silenceStart, long end, GapOutcome outcome, long[] times, long total, long last, int gapIndex) {
    }

    /** One direction of one session: receiver index, the endpoints last used, and its counters. */
    record DirectionView(long receiverIndex, Endpoint src, Endpoint dst, String senderPeer, long first, long last,
                         long lowest, long highest, long received) {
    }

    public Analyzer() {
        this(AnalyzerOptions.defaults());
    }

    public Analyzer(AnalyzerOptions options) {
        this.options = options;
        this.listener = options.listener();
    }

    private int peerBase;
    private int tunnelBase;
    private int episode = 1;

    /** Continues numbering after an earlier episode of the same capture ({@link Episodes}): peer and tunnel ids stay unique. */
    Analyzer continueIds(int peersBefore, int tunnelsBefore, int episodeNumber) {
        this.peerBase = peersBefore;
        this.tunnelBase = tunnelsBefore;
        this.episode = episodeNumber;
        return this;
    }

    /** Peers and tunnels numbered so far, including earlier episodes. */
    int peerCount() {
        return peerBase + peers.size();
    }

    int tunnelCount() {
        return tunnelBase + tunnels.size();
    }

    /** Names the capture in the summary (file name). */
    public Analyzer captureName(String name) {
        this.captureName = name;
        return this;
    }

    // ------------------------------------------------------------------ state

    static final class PeerState {
        final String id;
        /** Its place in this analysis' peer list (keys the {@link TunnelIndex}). */
        final int ordinal;
        int currentEid;
        /** Endpoints it used, in order: the first, then the others (allocated for a second one only). */
        private int firstEid = -1;
        private LinkedHashSet<Integer> moreEids;
        /** Endpoint history: from {@code historyTime[i]} on the peer used {@code historyEid[i]} (one entry per change; null before the first). */
        long[] historyTime;
        int[] historyEid;
        int historyCount;

        void moved(long t, int eid) {
            if (historyTime == null) {
                historyTime = new long[2];
                historyEid = new int[2];
            } else if (historyCount == historyTime.length) {
                historyTime = Arrays.copyOf(historyTime, historyCount * 2);
                historyEid = Arrays.copyOf(historyEid, historyCount * 2);
            }
            historyTime[historyCount] = t;
            historyEid[historyCount++] = eid;
        }

        void addEndpoint(int eid) {
            if (firstEid < 0) {
                firstEid = eid;
            } else if (eid != firstEid) {
                if (moreEids == null) moreEids = new LinkedHashSet<>(4);
                moreEids.add(eid);
            }
        }

        /** The endpoints it used, first one first. */
        int[] endpointIds() {
            if (firstEid < 0) return new int[0];
            int[] out = new int[1 + (moreEids == null ? 0 : moreEids.size())];
            out[0] = firstEid;
            int i = 1;
            if (moreEids != null) for (int e : moreEids) out[i++] = e;
            return out;
        }

        final List<TunnelState> tunnels = new ArrayList<>(1);

        PeerState(String id, int ordinal) {
            this.id = id;
            this.ordinal = ordinal;
        }
    }

    /** One peer's side of one tunnel: its timers as seen at the capture point. */
    static final class Side {
        final PeerState peer;
        long lastOut = -1;
        long lastDataIn = -1;
        boolean sentSinceDataIn = true;
        long firstDataOutSinceIn = -1;
        long maxSilentSinceOut;
        long initProbe = -1;
        long initProbeSilent;
        long dataProbe = -1;
        long dataProbeSilent;
        long packetsIn;
        long initiationsIn;
        long confirmKeepalives;
        long passiveKeepalives;
        long persistentKeepalives;
        /** Persistent keepalive samples (null before the first). */
        double[] keepaliveSamples;
        int keepaliveSampleCount;
        int rebindings;
        List<Evidence> survived = List.of();  // an ArrayList from the first add (most tunnels have none)
        List<Evidence> expired = List.of();  // an ArrayList from the first add (most tunnels have none)
        List<Evidence> inboundSurvived = List.of();  // an ArrayList from the first add (most tunnels have none)
        /** First packet sent to this peer after it was silent for an idle gap (-1: none since its last packet), and how many. */
        long lateProbe = -1;
        long lateProbeSilent;
        long lateCount;
        /** The latest such packet, and the times of the first {@link #LATE_KEPT} of them. */
        long lateLast = -1;
        long[] lateTimes; // null before the first
        /** Its idle gaps with packets sent to it meanwhile (seen here), closed when it spoke again: for a join. */
        List<IntoGap> intoGaps = List.of();  // an ArrayList from the first add (most tunnels have none)
        Series openSeries;

        Side(PeerState peer) {
            this.peer = peer;
        }
    }

    static final class TunnelState {
        final String id;
        /** Its place in this analysis' tunnel list. */
        final int ordinal;
        final Side[] sides = new Side[2];
        /** Per side, the next tunnel in its {@link TunnelIndex} address chain. */
        final TunnelState[] nextAt = new TunnelState[2];
        long lastAny = -1;
        SessionState current;
        SessionState openOrphan;
        int sessions;
        List<SessionState> allSessions = List.of();  // an ArrayList from the first add (most tunnels have none)
        List<Series> handshakes = List.of();  // an ArrayList from the first add (most tunnels have none)
        List<InitiatorSwap> swaps = List.of();  // an ArrayList from the first add (most tunnels have none)
        /** The handshake behind each swap, parallel to {@code swaps} (a join may correct the cause). */
        List<Series> swapSeries = List.of();  // an ArrayList from the first add (most tunnels have none)
        List<EndpointChange> changes = List.of();  // an ArrayList from the first add (most tunnels have none)
        List<IdleGap> gaps = List.of();  // an ArrayList from the first add (most tunnels have none)

        TunnelState(String id, int ordinal, PeerState a, PeerState b) {
            this.id = id;
            this.ordinal = ordinal;
            sides[0] = new Side(a);
            sides[1] = new Side(b);
        }

        int sideOf(PeerState p) {
            return sides[0].peer == p ? 0 : sides[1].peer == p ? 1 : -1;
        }
    }

    static final class Series {
        final TunnelState tunnel;
        final int initiatorSide;
        final long first;
        long last;
        int attempts;
        boolean responded;
        long rtt = -1;
        int cookies;
        boolean mac2;
        HandshakeTrigger trigger;
        SwapCause cause;
        String causeDetail;

        Series(TunnelState tunnel, int initiatorSide, long first, HandshakeTrigger trigger, SwapCause cause, String causeDetail) {
            this.tunnel = tunnel;
            this.initiatorSide = initiatorSide;
            this.first = first;
            this.last = first;
            this.trigger = trigger;
            this.cause = cause;
            this.causeDetail = causeDetail;
        }
    }

    /** An initiation's sender index, until its response arrives. */
    static final class Attempt {
        final Series series;
        final long time;

        Attempt(Series series, long time) {
            this.series = series;
            this.time = time;
        }
    }

    static final class SessionState {
        final TunnelState tunnel;
        final int initiatorSide;
        final long established;
        /** The handshake that made it (null for sessions met mid-way or when only the response was seen). */
        Series series;
        Direction toInitiator;
        Direction toResponder;
        /** For sessions met mid-way: directions by sender side. */
        final Direction[] bySender = new Direction[2];

        SessionState(TunnelState tunnel, int initiatorSide, long established) {
            this.tunnel = tunnel;
            this.initiatorSide = initiatorSide;
            this.established = established;
        }
    }

    static final class Direction {
        final SessionState session;
        final int senderSide;
        final long receiverIndex;
        final CounterWindow window = new CounterWindow();
        long first = -1;
        long last;
        /** The latest run of two or more counters that never reached the capture point: when it ended, how many. */
        long jumpTime = -1;
        long jumpMissing;

        Direction(SessionState session, int senderSide, long receiverIndex) {
            this.session = session;
            this.senderSide = senderSide;
            this.receiverIndex = receiverIndex;
        }
    }

    // ------------------------------------------------------------------ per message

    private int cacheVersion = -1;
    private long cacheAHi, cacheALo, cacheBHi, cacheBLo;
    private int cacheAPort, cacheBPort, cacheAEid, cacheBEid;
    private long cacheReceiver0 = -1, cacheReceiver1 = -1;
    private Direction cacheDirection0, cacheDirection1;

    @Override
    public void onMessage(Datagram d, WgMessage m) {
        long t = d.timeNanos();
        if (t < firstTime) firstTime = t;
        if (t > lastTime) lastTime = t;
        digits = d.timeDigits();
        int type = m.wireType();
        boolean keepalive = m.isKeepalive();
        messageCounts[keepalive ? 4 : type - 1]++;
        // Consecutive packets nearly always belong to the flow of the last one, either way: a one-flow
        // cache saves two hash look-ups per packet on the hot path.
        int srcEid, dstEid;
        int v = d.ipVersion();
        if (v == cacheVersion && d.srcHi() == cacheAHi && d.srcLo() == cacheALo && d.srcPort() == cacheAPort
                && d.dstHi() == cacheBHi && d.dstLo() == cacheBLo && d.dstPort() == cacheBPort) {
            srcEid = cacheAEid;
            dstEid = cacheBEid;
        } else if (v == cacheVersion && d.srcHi() == cacheBHi && d.srcLo() == cacheBLo && d.srcPort() == cacheBPort
                && d.dstHi() == cacheAHi && d.dstLo() == cacheALo && d.dstPort() == cacheAPort) {
            srcEid = cacheBEid;
            dstEid = cacheAEid;
        } else {
            if (peers.size() >= options.maxPeers() && !bothOwned(d)) {
                overLimit++;                              // would make a peer: not analysed (finish() warns)
                return;
            }
            srcEid = endpoints.intern(v, d.srcHi(), d.srcLo(), d.srcPort());
            dstEid = endpoints.intern(v, d.dstHi(), d.dstLo(), d.dstPort());
            cacheVersion = v;
            cacheAHi = d.srcHi();
            cacheALo = d.srcLo();
            cacheAPort = d.srcPort();
            cacheBHi = d.dstHi();
            cacheBLo = d.dstLo();
            cacheBPort = d.dstPort();
            cacheAEid = srcEid;
            cacheBEid = dstEid;
        }
        if (type != Protocol.MESSAGE_TRANSPORT_TYPE && handshakeMessages.size() < 1_000_000) {
            recordHandshake(t, type, m, srcEid, dstEid);
        }
        switch (type) {
            case Protocol.MESSAGE_INITIATION_TYPE -> {
                if (m.hasSender()) onInitiation(t, srcEid, dstEid, m.sender(), m.hasMac2() && m.mac2Set());
            }
            case Protocol.MESSAGE_RESPONSE_TYPE -> {
                if (m.hasSender() && m.hasReceiver()) onResponse(t, srcEid, dstEid, m.sender(), m.receiver());
            }
            case Protocol.MESSAGE_COOKIE_REPLY_TYPE -> {
                if (m.hasReceiver()) onCookie(t, srcEid, dstEid, m.receiver());
            }
            case Protocol.MESSAGE_TRANSPORT_TYPE -> {
                if (m.hasReceiver() && m.hasCounter()) onTransport(t, srcEid, dstEid, m.receiver(), m.counter(), keepalive);
            }
            default -> {
            }
        }
    }

    /** Both endpoints of the datagram are known and belong to peers (looked up without adding them). */
    private boolean bothOwned(Datagram d) {
        int a = endpoints.find(d.ipVersion(), d.srcHi(), d.srcLo(), d.srcPort());
        int b = endpoints.find(d.ipVersion(), d.dstHi(), d.dstLo(), d.dstPort());
        return a >= 0 && b >= 0 && ownerOf(a) != null && ownerOf(b) != null;
    }

    private void recordHandshake(long t, int type, WgMessage m, int srcEid, int dstEid) {
        long sender = m.hasSender() ? m.sender() : -1;
        long receiver = m.hasReceiver() ? m.receiver() : -1;
        handshakeMessages.add(new HandshakeMessage(t, type, sender, receiver, endpoints.get(srcEid), endpoints.get(dstEid), null));
    }

    List<HandshakeMessage> handshakeMessages() {
        List<HandshakeMessage> out = new ArrayList<>(handshakeMessages.size());
        for (HandshakeMessage h : handshakeMessages) {
            int eid = endpoints.intern(h.src().version(), h.src().hi(), h.src().lo(), h.src().port());
            PeerState p = ownerOf(eid);
            out.add(new HandshakeMessage(h.time(), h.type(), h.sender(), h.receiver(), h.src(), h.dst(), p == null ? null : p.id));
        }
        return out;
    }

    List<DirectionView> directions() {
        List<DirectionView> out = new ArrayList<>();
        for (TunnelState tn : tunnels) {
            for (SessionState s : tn.allSessions) {
                for (Direction d : s.bySender) {
                    if (d == null || !d.window.any()) continue;
                    Side snd = tn.sides[d.senderSide];
                    out.add(new DirectionView(d.receiverIndex, endpoints.get(snd.peer.currentEid),
                            endpoints.get(tn.sides[1 - d.senderSide].peer.currentEid), snd.peer.id, d.first, d.last,
                            d.window.lowest(), d.window.highest(), d.window.received()));
                }
            }
        }
        return out;
    }

    /** Whether an endpoint was seen in this capture. */
    boolean hasEndpoint(Endpoint endpoint) {
        for (int i = 0; i < endpoints.size(); i++) {
            if (endpoints.get(i).equals(endpoint)) return true;
        }
        return false;
    }

    /**
     * The endpoint used at {@code time} (this capture's clock) by the peer that also used {@code endpoint};
     * null when no peer used it.
     */
    Endpoint endpointAt(Endpoint endpoint, long time) {
        for (PeerState p : peers) {
            boolean mine = false;
            for (int e : p.endpointIds()) mine |= endpoints.get(e).equals(endpoint);
            if (!mine) continue;
            int eid = p.endpointIds()[0];
            for (int i = 0; i < p.historyCount && p.historyTime[i] <= time; i++) eid = p.historyEid[i];
            return endpoints.get(eid);
        }
        return null;
    }

    /** Endpoint changes of every tunnel, in capture order (for the join's NAT translations). */
    List<EndpointChange> endpointChanges() {
        List<EndpointChange> out = new ArrayList<>();
        for (TunnelState tn : tunnels) out.addAll(tn.changes);
        out.sort((x, y) -> x.time().compareTo(y.time()));
        return out;
    }

    /** Whether this capture ran over the whole of [from, to] (its own clock). */
    boolean covers(long from, long to) {
        return firstTime <= from && to <= lastTime;
    }

    int timeDigits() {
        return digits;
    }

    private void onInitiation(long t, int srcEid, int dstEid, long senderIndex, boolean mac2) {
        TunnelState tn = resolve(srcEid, dstEid, t);
        if (tn == null) return;
        int s = tn.sideOf(owner[srcEid]);
        packet(tn, s, t, srcEid, dstEid, Kind.INITIATION, null, 0);
        Side side = tn.sides[s];
        Series series = side.openSeries;
        if (series == null || series.responded || t - series.last > RETRY_WINDOW) {
            if (series != null && !series.responded) closeSeries(series);
            series = newSeries(tn, s, t);
            side.openSeries = series;
            (tn.handshakes = mutable(tn.handshakes)).add(series);
        }
        series.attempts++;
        series.last = t;
        series.mac2 |= mac2;
        forgetIndexCache();
        byIndex.put(senderIndex, new Attempt(series, t));
    }

    private Series newSeries(TunnelState tn, int s, long t) {
        Side side = tn.sides[s];
        SessionState cur = tn.current;
        // timers.go timersDataSent / expiredNewHandshake: data sent, nothing received for 15 s (+ jitter).
        if (side.firstDataOutSinceIn >= 0) {
            long waited = t - side.firstDataOutSinceIn;
            if (waited >= NO_REPLY_MIN && waited <= NO_REPLY_MAX) {
                return new Series(tn, s, t, HandshakeTrigger.NO_REPLY_AFTER_DATA, SwapCause.NO_REPLY_AFTER_DATA,
                        String.format(Locale.ROOT, "sent data %.1f s earlier and heard nothing back", Timestamp.seconds(waited)));
            }
        }
        if (cur == null) {
            return new Series(tn, s, t, HandshakeTrigger.INITIAL, SwapCause.UNKNOWN, "first handshake seen");
        }
        long age = t - cur.established;
        // send.go: a keypair older than REJECT_AFTER_TIME cannot be used; whoever must send initiates.
        if (age >= EXPIRED_MIN && (cur.initiatorSide != s || age >= Protocol.REJECT_AFTER_TIME + Protocol.REKEY_TIMEOUT)) {
            return new Series(tn, s, t, HandshakeTrigger.SESSION_EXPIRED, SwapCause.SESSION_EXPIRED,
                    String.format(Locale.ROOT, "its keypair was %.1f s old (REJECT_AFTER_TIME 180 s)", Timestamp.seconds(age)));
        }
        // Whitepaper 6.2 / send.go: only the current initiator rekeys at REKEY_AFTER_TIME; not a swap.
        if (cur.initiatorSide == s && age >= REKEY_MIN) {
            return new Series(tn, s, t, HandshakeTrigger.REKEY, SwapCause.UNKNOWN,
                    String.format(Locale.ROOT, "rekey at keypair age %.1f s", Timestamp.seconds(age)));
        }
        if (age >= EXPIRED_MIN) {
            return new Series(tn, s, t, HandshakeTrigger.SESSION_EXPIRED, SwapCause.SESSION_EXPIRED,
                    String.format(Locale.ROOT, "its keypair was %.1f s old (REJECT_AFTER_TIME 180 s)", Timestamp.seconds(age)));
        }
        // Seen downstream of the loss (e.g. inside the NAT): the responder's data stopped arriving (a run of
        // its counters missing) shortly before it initiated on a young session. The only timer rule that makes
        // a responder initiate then is timersDataSent / expiredNewHandshake: its data went unanswered.
        Direction mine = cur.bySender[s];
        if (cur.initiatorSide != s && mine != null && mine.jumpTime >= 0 && t - mine.jumpTime <= Protocol.REKEY_ATTEMPT_TIME) {
            return new Series(tn, s, t, HandshakeTrigger.NO_REPLY_AFTER_DATA, SwapCause.NO_REPLY_AFTER_DATA,
                    String.format(Locale.ROOT, "%d of its transport packets never reached the capture point before it: its data went"
                            + " unanswered (KEEPALIVE_TIMEOUT + REKEY_TIMEOUT)", mine.jumpMissing));
        }
        return new Series(tn, s, t, HandshakeTrigger.UNKNOWN, SwapCause.UNKNOWN, "no timer rule explains it");
    }

    private void closeSeries(Series series) {
        if (!series.responded && series.last - series.first >= GIVE_UP_SPAN) {
            emit(Event.Kind.HANDSHAKE_GIVEN_UP, series.last, series.tunnel, series.tunnel.sides[series.initiatorSide].peer,
                    series.attempts + " initiations unanswered over " + Math.round(Timestamp.seconds(series.last - series.first)) + " s");
        }
    }

    private void onResponse(long t, int srcEid, int dstEid, long senderIndex, long receiverIndex) {
        Object o = byIndex.get(receiverIndex);
        TunnelState tn;
        int initiator;
        Series series;
        long attemptTime;
        if (o instanceof Attempt a) {
            series = a.series;
            tn = series.tunnel;
            initiator = series.initiatorSide;
            attemptTime = a.time;
            // The responder is the other side; a response from a new endpoint is that peer moving.
        } else {
            // The initiation was not captured (capture started between them, or it was lost before the capture point).
            tn = resolve(srcEid, dstEid, t);
            if (tn == null) return;
            initiator = tn.sideOf(owner[dstEid]);
            series = newSeries(tn, initiator, t);
            series.attempts = 0;
            (tn.handshakes = mutable(tn.handshakes)).add(series);
            attemptTime = -1;
        }
        int responder = 1 - initiator;
        packet(tn, responder, t, srcEid, dstEid, Kind.RESPONSE, null, 0);
        if (!series.responded) {
            series.responded = true;
            if (attemptTime >= 0) series.rtt = t - attemptTime;
        }
        SessionState previous = tn.current;
        SessionState session = new SessionState(tn, initiator, t);
        session.series = series;
        session.toInitiator = new Direction(session, responder, receiverIndex);
        session.toResponder = new Direction(session, initiator, senderIndex);
        session.bySender[responder] = session.toInitiator;
        session.bySender[initiator] = session.toResponder;
        forgetIndexCache();
        byIndex.put(receiverIndex, session.toInitiator);
        byIndex.put(senderIndex, session.toResponder);
        (tn.allSessions = mutable(tn.allSessions)).add(session);
        tn.current = session;
        tn.sessions++;
        PeerState ip = tn.sides[initiator].peer;
        emit(Event.Kind.HANDSHAKE, t, tn, ip, ip.id + " initiated, " + tn.sides[responder].peer.id + " responded"
                + (series.attempts > 2 ? " after " + (series.attempts - 1) + " retries" : series.attempts == 2 ? " after 1 retry" : ""));
        if (previous != null && previous.initiatorSide >= 0 && previous.initiatorSide != initiator) {
            InitiatorSwap swap = new InitiatorSwap(ts(series.first), tn.sides[previous.initiatorSide].peer.id, ip.id,
                    series.cause, series.causeDetail);
            (tn.swaps = mutable(tn.swaps)).add(swap);
            (tn.swapSeries = mutable(tn.swapSeries)).add(series);
            emit(Event.Kind.INITIATOR_SWAP, series.first, tn, ip, ip.id + " now initiates: " + series.cause
                    + " (" + series.causeDetail + ")");
        }
    }

    private void onCookie(long t, int srcEid, int dstEid, long receiverIndex) {
        Object o = byIndex.get(receiverIndex);
        if (o instanceof Attempt a) {
            a.series.cookies++;
            packet(a.series.tunnel, 1 - a.series.initiatorSide, t, srcEid, dstEid, Kind.COOKIE, null, 0);
        }
    }

    /** The receiver-index cache mirrors {@code byIndex}: every change of an index's meaning clears it. */
    private void forgetIndexCache() {
        cacheReceiver0 = -1;
        cacheReceiver1 = -1;
        cacheDirection0 = null;
        cacheDirection1 = null;
    }

    private void onTransport(long t, int srcEid, int dstEid, long receiverIndex, long counter, boolean keepalive) {
        Direction dir;
        if (receiverIndex == cacheReceiver0) {
            dir = cacheDirection0;
        } else if (receiverIndex == cacheReceiver1) {
            dir = cacheDirection1;
        } else {
            Object o = byIndex.get(receiverIndex);
            dir = o instanceof Direction known ? known : orphanDirection(t, srcEid, dstEid, receiverIndex);
            if (dir == null) return;
            cacheReceiver1 = cacheReceiver0;
            cacheDirection1 = cacheDirection0;
            cacheReceiver0 = receiverIndex;
            cacheDirection0 = dir;
        }
        TunnelState tn = dir.session.tunnel;
        packet(tn, dir.senderSide, t, srcEid, dstEid, keepalive ? Kind.KEEPALIVE : Kind.DATA, dir, counter);
        if (dir.first < 0) dir.first = t;
        dir.last = t;
        long step = counter - dir.window.highest();
        if (step > 2 && dir.window.any()) {
            dir.jumpTime = t;
            dir.jumpMissing = step - 1;
        }
        dir.window.add(counter);
    }

    /** Transport whose receiver index was never announced in the capture: the capture started mid-session. */
    private Direction orphanDirection(long t, int srcEid, int dstEid, long receiverIndex) {
        TunnelState tn = resolve(srcEid, dstEid, t);
        if (tn == null) return null;
        int s = tn.sideOf(owner[srcEid]);
        SessionState session = tn.openOrphan;
        if (session == null || session.bySender[s] != null) {
            session = new SessionState(tn, -1, t);
            tn.openOrphan = session;
            (tn.allSessions = mutable(tn.allSessions)).add(session);
            tn.sessions++;
            if (tn.current == null) tn.current = session;
        }
        Direction dir = new Direction(session, s, receiverIndex);
        session.bySender[s] = dir;
        if (session.bySender[1 - s] != null) tn.openOrphan = null;
        forgetIndexCache();
        byIndex.put(receiverIndex, dir);
        return dir;
    }

    enum Kind { INITIATION, RESPONSE, COOKIE, DATA, KEEPALIVE }

    /**
     * The per-packet timeline update for a packet from side {@code s}: idle gaps, endpoint changes,
     * keepalive classes, and the timers that explain the next handshake. Primitive fields only.
     */
    private void packet(TunnelState tn, int s, long t, int srcEid, int dstEid, Kind kind, Direction dir, long counter) {
        Side me = tn.sides[s];
        Side other = tn.sides[1 - s];
        long silent = tn.lastAny < 0 ? 0 : t - tn.lastAny;
        if (silent > me.maxSilentSinceOut) me.maxSilentSinceOut = silent;
        if (silent > other.maxSilentSinceOut) other.maxSilentSinceOut = silent;
        PeerState p = me.peer;
        long idleOut = me.lastOut < 0 ? -1 : t - me.lastOut;
        if (idleOut >= options.idleGapNanos()) {
            idleGap(tn, me, t, srcEid, idleOut);
        }
        if (srcEid != p.currentEid) {
            endpointChange(tn, me, t, srcEid, idleOut);
        }
        // Inbound to the other side after its own silence: seen from inside its NAT this proves the mapping alive.
        if (other.lastOut >= 0 && t - other.lastOut >= options.idleGapNanos() && dstEid == other.peer.currentEid) {
            if (other.lateCount < LATE_KEPT) {
                if (other.lateTimes == null) other.lateTimes = new long[LATE_KEPT];
                other.lateTimes[(int) other.lateCount] = t;
            }
            other.lateLast = t;
            other.lateCount++;
            if (other.lateProbe >= 0) {
                // not the first packet into this gap
            } else if (other.inboundSurvived.size() < 10_000) {
                other.lateProbe = t;
                other.lateProbeSilent = other.maxSilentSinceOut;
                (other.inboundSurvived = mutable(other.inboundSurvived)).add(new Evidence(ts(t), GapOutcome.INBOUND_DELIVERED,
                        Timestamp.seconds(t - other.lastOut), Timestamp.seconds(other.maxSilentSinceOut),
                        "packet from " + p.id + " reached the capture point"));
            } else {
                other.lateProbe = t;
                other.lateProbeSilent = other.maxSilentSinceOut;
            }
        }
        // Keepalive classes (timers.go): confirmation after a handshake, passive after data received, else persistent.
        if (kind == Kind.KEEPALIVE) {
            if (dir != null && dir.session.initiatorSide == s && counter == 0) {
                me.confirmKeepalives++;
            } else if (me.lastDataIn >= 0 && !me.sentSinceDataIn && t - me.lastDataIn >= PASSIVE_MIN
                    && t - me.lastDataIn <= PASSIVE_MAX) {
                me.passiveKeepalives++;
            } else {
                me.persistentKeepalives++;
                addSample(me, Timestamp.seconds(silent));
                if (listener != null) {
                    emit(Event.Kind.KEEPALIVE_PERSISTENT, t, tn, p, String.format(Locale.ROOT, "%.1f s after the last packet", Timestamp.seconds(silent)));
                }
            }
        }
        // Sender timers.
        me.sentSinceDataIn = true;
        if (kind == Kind.DATA && me.firstDataOutSinceIn < 0) me.firstDataOutSinceIn = t;
        me.lastOut = t;
        me.maxSilentSinceOut = 0;
        me.initProbe = -1;
        me.dataProbe = -1;
        me.lateProbe = -1;
        me.lateLast = -1;
        me.lateCount = 0;
        me.packetsIn = 0;
        me.initiationsIn = 0;
        // Receiver timers: anything authenticated received stops "stopped hearing back" (timersAnyAuthenticatedPacketReceived).
        other.firstDataOutSinceIn = -1;
        if (kind == Kind.DATA) {
            other.lastDataIn = t;
            other.sentSinceDataIn = false;
        }
        if (dstEid == other.peer.currentEid) {
            other.packetsIn++;
            if (kind == Kind.INITIATION) {
                other.initiationsIn++;
                if (other.initProbe < 0) {
                    other.initProbe = t;
                    other.initProbeSilent = other.maxSilentSinceOut;
                }
                if (other.initiationsIn == 2) {
                    emit(Event.Kind.SUSPECTED_MAPPING_EXPIRY, t, tn, other.peer, other.peer.id + (other.lastOut < 0
                            ? " not heard from yet" : " silent for " + Math.round(Timestamp.seconds(t - other.lastOut)) + " s")
                            + " and not answering initiations");
                }
            } else if (kind == Kind.DATA && other.dataProbe < 0) {
                other.dataProbe = t;
                other.dataProbeSilent = other.maxSilentSinceOut;
            }
        }
        tn.lastAny = t;
    }

    /** The list itself once something was added to it, else a new ArrayList (fields start as the shared empty list). */
    private static <T> List<T> mutable(List<T> list) {
        return list instanceof ArrayList<T> ? list : new ArrayList<>(4);
    }

    private static void addSample(Side me, double v) {
        if (me.keepaliveSamples == null) {
            me.keepaliveSamples = new double[4];
        } else if (me.keepaliveSampleCount == me.keepaliveSamples.length) {
            if (me.keepaliveSampleCount >= MAX_KEEPALIVE_SAMPLES) return;
            me.keepaliveSamples = Arrays.copyOf(me.keepaliveSamples, me.keepaliveSamples.length * 2);
        }
        me.keepaliveSamples[me.keepaliveSampleCount++] = v;
    }

    /**
     * A peer speaks after an idle gap. Same endpoint: its mapping survived (lower bound). New port on the
     * same address: the mapping died within the gap (upper bound), at the latest when the first packet
     * that would have been answered was sent into it (nat-behaviour.md, "Reading a capture").
     */
    private void idleGap(TunnelState tn, Side me, long t, int srcEid, long idleOut) {
        PeerState p = me.peer;
        Endpoint now = endpoints.get(srcEid);
        Endpoint before = endpoints.get(p.currentEid);
        GapOutcome outcome;
        if (srcEid == p.currentEid) {
            outcome = GapOutcome.SURVIVED;
            if (me.survived.size() < 10_000) {
                (me.survived = mutable(me.survived)).add(new Evidence(ts(t), outcome, Timestamp.seconds(idleOut), Timestamp.seconds(me.maxSilentSinceOut),
                        p.id + " spoke again from " + now));
            }
        } else if (now.sameAddress(before)) {
            outcome = GapOutcome.EXPIRED;
            // The mapping was dead when an initiation it would have answered at once, or data it would have
            // answered within KEEPALIVE_TIMEOUT, was sent into it.
            long deadAt = t;
            long silentAtDeath = me.maxSilentSinceOut;
            String how = p.id + " came back from a new port " + now;
            if (me.initProbe >= 0 && t - me.initProbe > NANOS && me.initProbe < deadAt) {
                deadAt = me.initProbe;
                silentAtDeath = me.initProbeSilent;
                how = "initiation into the mapping at " + ts(me.initProbe).clock() + " unanswered; " + how;
            }
            if (me.dataProbe >= 0 && t - me.dataProbe > Protocol.KEEPALIVE_TIMEOUT + NANOS && me.dataProbe < deadAt) {
                deadAt = me.dataProbe;
                silentAtDeath = me.dataProbeSilent;
                how = "data into the mapping at " + ts(me.dataProbe).clock() + " unanswered; " + how;
            }
            me.rebindings++;
            (me.expired = mutable(me.expired)).add(new Evidence(ts(t), outcome, Timestamp.seconds(deadAt - me.lastOut), Timestamp.seconds(silentAtDeath), how));
        } else {
            outcome = GapOutcome.ROAMED;
        }
        if (me.lateProbe >= 0 && outcome != GapOutcome.ROAMED && me.intoGaps.size() < MAX_INTO_GAPS) {
            (me.intoGaps = mutable(me.intoGaps)).add(intoGap(me, t, outcome, tn.gaps.size() < 100_000 ? tn.gaps.size() : -1));
        }
        if (tn.gaps.size() < 100_000) {
            (tn.gaps = mutable(tn.gaps)).add(new IdleGap(ts(me.lastOut), ts(t), p.id, Timestamp.seconds(idleOut), Timestamp.seconds(me.maxSilentSinceOut),
                    outcome, me.packetsIn, me.initiationsIn));
        }
        if (listener != null) {
            emit(Event.Kind.IDLE_GAP, t, tn, p, String.format(Locale.ROOT, "%s idle %.1f s, mapping %s", p.id, Timestamp.seconds(idleOut), outcome));
        }
    }

    private static IntoGap intoGap(Side me, long end, GapOutcome outcome, int gapIndex) {
        int kept = (int) Math.min(me.lateCount, LATE_KEPT);
        long[] times = kept == 0 ? new long[0] : Arrays.copyOf(me.lateTimes, kept);
        return new IntoGap(me.lastOut, end, outcome, times, me.lateCount, me.lateLast, gapIndex);
    }

    /** Its closed gaps with packets into them, and the open one when it had not spoken again by the end of the capture. */
    private static List<IntoGap> intoGaps(Side me) {
        if (me.lateProbe < 0) return me.intoGaps;
        List<IntoGap> all = new ArrayList<>(me.intoGaps);
        all.add(intoGap(me, -1, null, -1));
        return all;
    }

    private void endpointChange(TunnelState tn, Side me, long t, int srcEid, long idleOut) {
        PeerState p = me.peer;
        Endpoint from = endpoints.get(p.currentEid);
        Endpoint to = endpoints.get(srcEid);
        ChangeKind kind = from.sameAddress(to) ? ChangeKind.NAT_REBINDING : ChangeKind.ROAMING;
        if (kind == ChangeKind.NAT_REBINDING && idleOut < options.idleGapNanos()) me.rebindings++;
        (tn.changes = mutable(tn.changes)).add(new EndpointChange(ts(t), p.id, from, to, kind, Math.max(0, Timestamp.seconds(idleOut))));
        if (!from.sameAddress(to)) {
            // a tunnel of a peer with itself is indexed by its side 1 (as the scan it replaces read it)
            for (TunnelState other : p.tunnels) tunnelIndex.moved(other, other.sides[1].peer == p ? 1 : 0, from, to);
        }
        p.currentEid = srcEid;
        p.moved(t, srcEid);
        own(srcEid, p);
        emit(Event.Kind.ENDPOINT_CHANGE, t, tn, p, p.id + " " + kind + " " + from + " -> " + to);
    }

    // ------------------------------------------------------------------ peers and tunnels

    private void own(int eid, PeerState p) {
        if (eid >= owner.length) owner = Arrays.copyOf(owner, Math.max(owner.length * 2, eid + 1));
        if (owner[eid] == null) owner[eid] = p;
        p.addEndpoint(eid);
    }

    private PeerState ownerOf(int eid) {
        return eid < owner.length ? owner[eid] : null;
    }

    private PeerState newPeer(int eid) {
        PeerState p = new PeerState("peer" + (peerBase + peers.size() + 1), peers.size());
        p.currentEid = eid;
        peers.add(p);
        own(eid, p);
        return p;
    }

    /**
     * A peer at an endpoint never seen: a known peer of the counterpart at the same address (rebinding),
     * unless that peer is still talking from its own endpoint, or its session is younger than
     * REKEY_AFTER_TIME: a peer that comes back through a new mapping with a young session sends transport
     * under its known indices (linked by index, whitepaper 6.5), it has no reason to start a handshake, so
     * a handshake from a new port then is another client behind the same NAT address (a CGNAT, a home
     * router with several phones); else new.
     */
    private PeerState findOrCreate(int eid, PeerState counterpart, long t) {
        PeerState p = ownerOf(eid);
        if (p != null) return p;
        if (counterpart != null) {
            // The counterpart's tunnels whose other side is now at this address, in creation order.
            Endpoint e = endpoints.get(eid);
            for (TunnelState tn = tunnelIndex.first(counterpart, e); tn != null; tn = TunnelIndex.next(tn, counterpart)) {
                Side os = tn.sides[1 - tn.sideOf(counterpart)];
                PeerState o = os.peer;
                boolean stillTalking = os.lastOut >= 0 && t - os.lastOut < STILL_TALKING;
                boolean youngSession = tn.current != null && t - tn.current.established < REKEY_MIN;
                if (endpoints.get(o.currentEid).sameAddress(e) && !stillTalking && !youngSession) return o;
            }
        }
        return newPeer(eid);
    }

    /** The tunnel between the peers at two endpoints (both made when new). The source endpoint is owned afterwards. */
    private TunnelState resolve(int srcEid, int dstEid, long t) {
        if (srcEid >= owner.length || dstEid >= owner.length) {
            owner = Arrays.copyOf(owner, Math.max(owner.length * 2, Math.max(srcEid, dstEid) + 1));
        }
        PeerState src = owner[srcEid];
        PeerState dst = owner[dstEid];
        if (src == null && dst == null) {
            dst = newPeer(dstEid);
            src = newPeer(srcEid);
        } else if (src == null) {
            src = findOrCreate(srcEid, dst, t);
        } else if (dst == null) {
            dst = findOrCreate(dstEid, src, t);
        }
        if (owner[srcEid] == null) owner[srcEid] = src;
        if (owner[dstEid] == null) owner[dstEid] = dst;
        TunnelState known = tunnelIndex.between(src, dst);
        if (known != null) return known;
        if (tunnels.size() >= options.maxPeers()) {
            overLimit++;                                  // would make a tunnel: not analysed (finish() warns)
            return null;
        }
        TunnelState tn = new TunnelState("tunnel" + (tunnelBase + tunnels.size() + 1), tunnels.size(), src, dst);
        tunnels.add(tn);
        src.tunnels.add(tn);
        dst.tunnels.add(tn);
        tunnelIndex.added(tn, endpoints.get(src.currentEid), endpoints.get(dst.currentEid));
        return tn;
    }

    private Timestamp ts(long nanos) {
        return Timestamp.of(nanos, digits);
    }

    private void emit(Event.Kind kind, long t, TunnelState tn, PeerState p, String detail) {
        if (listener != null) listener.onEvent(new Event(kind, ts(t), tn.id, p.id, detail));
    }

    // ------------------------------------------------------------------ a second capture, inside the NAT

    /** A capture of the same tunnel inside the NAT-side peer's NAT, merged by {@link CaptureJoin#analyze}. */
    private Analyzer inside;
    /** The inside capture's clock minus this one's. */
    private long insideOffset;
    /** The join saw the NAT keep the inside port: a new mapping gets the old public port back. */
    private boolean portPreserving;
    /** Receiver indices of the directions whose sender is on the inside capture's side (from the join's fates). */
    private java.util.Set<Long> insideUpstream = java.util.Set.of();
    /** Outside endpoints the join saw the NAT translate an inside endpoint to. */
    private java.util.Set<Endpoint> translatedOutside = java.util.Set.of();

    /**
     * Merges what the capture inside the NAT knows better into this (outside) analysis before
     * {@link #finish()}: survivals proven by inbound packets delivered inside, the loss of directions
     * toward the NAT-side peer (the inside capture is downstream of them), handshake causes read where
     * the initiator sits, and whether the NAT preserves ports (then a same-endpoint return proves nothing).
     */
    void absorb(Analyzer inside, long offsetNanos, boolean portPreserving, java.util.Set<Long> insideUpstream,
                java.util.Set<Endpoint> translatedOutside) {
        this.inside = inside;
        this.translatedOutside = translatedOutside;
        this.insideUpstream = insideUpstream;
        this.insideOffset = offsetNanos;
        this.portPreserving = portPreserving;
        for (TunnelState tn : tunnels) {
            int nat = natSide(tn);
            for (SessionState s : tn.allSessions) {
                if (s.series == null || s.toInitiator == null) continue;
                Direction o = inside.directionOf(s.toInitiator.receiverIndex);
                if (o == null || o.session.series == null) continue;
                Series mine = s.series, theirs = o.session.series;
                boolean theirsKnown = theirs.trigger != HandshakeTrigger.UNKNOWN && theirs.trigger != HandshakeTrigger.INITIAL;
                boolean initiatorInside = nat >= 0 && s.initiatorSide == nat;
                if (theirsKnown && (mine.trigger == HandshakeTrigger.UNKNOWN || initiatorInside)) {
                    mine.trigger = theirs.trigger;
                    mine.cause = theirs.cause;
                    mine.causeDetail = theirs.causeDetail + " (seen in the capture inside the NAT)";
                }
            }
            for (int i = 0; i < tn.swaps.size(); i++) {
                InitiatorSwap w = tn.swaps.get(i);
                Series series = tn.swapSeries.get(i);
                tn.swaps.set(i, new InitiatorSwap(w.time(), w.previousInitiator(), w.newInitiator(), series.cause, series.causeDetail));
            }
        }
    }

    private Direction directionOf(long receiverIndex) {
        return byIndex.get(receiverIndex) instanceof Direction d ? d : null;
    }

    /** The inside capture's side that is side {@code side} of this tunnel, found through a shared receiver index; -1 if none. */
    private Direction insideTwin(TunnelState tn, int side) {
        if (inside == null) return null;
        for (SessionState s : tn.allSessions) {
            for (Direction d : s.bySender) {
                if (d == null) continue;
                Direction o = inside.directionOf(d.receiverIndex);
                if (o != null && d.senderSide == side) return o;
            }
        }
        return null;
    }

    /** Inbound packets delivered inside the NAT after the NAT-side peer's outbound silence: the mapping lived. */
    private List<Evidence> insideSurvivals(TunnelState tn, int nat) {
        Direction twin = insideTwin(tn, nat);
        if (twin == null) return List.of();
        Side in = twin.session.tunnel.sides[twin.senderSide];
        List<Evidence> out = new ArrayList<>();
        for (Evidence e : in.inboundSurvived) {
            out.add(new Evidence(ts(e.time().nanos() - insideOffset), e.outcome(), e.idleOutboundSeconds(), e.idleAnySeconds(),
                    "inside the NAT a packet from " + tn.sides[1 - nat].peer.id + " arrived after "
                            + e.idleOutboundSeconds() + " s of outbound silence"));
        }
        return out;
    }

    /**
     * The first packet sent into an idle gap of the NAT-side peer after the last one delivered inside the
     * NAT never arrived there: the mapping was dead when it was sent, so the timeout is at most its idle
     * time (nat-behaviour.md: "an initiation that is never answered while the client is alive was not
     * delivered"; the inside capture shows it directly). Two or more undelivered packets in a row are
     * required (one could be random loss), and the inside capture must have run past the last of them
     * (a capture file does not say how long it ran after its last packet). A same-endpoint return on a
     * NAT that does not keep ports proves survival, so such a gap's losses were loss, not expiry; on a
     * port-preserving NAT the gap is marked EXPIRED.
     */
    private List<JoinExpiry> insideExpiries(TunnelState tn, int nat) {
        Direction twin = insideTwin(tn, nat);
        if (twin == null) return List.of();
        Side me = tn.sides[nat];
        List<IntoGap> delivered = intoGaps(twin.session.tunnel.sides[twin.senderSide]);
        List<JoinExpiry> out = new ArrayList<>();
        for (IntoGap g : intoGaps(me)) {
            if (g.outcome() == GapOutcome.SURVIVED && !portPreserving) continue;
            // The same silence seen inside: it started when the peer's last packet passed the inside capture point.
            long lastDelivered = Long.MIN_VALUE;
            for (IntoGap d : delivered) {
                if (Math.abs(d.silenceStart() - (g.silenceStart() + insideOffset)) <= NANOS) lastDelivered = d.last();
            }
            int first = -1;
            for (int i = 0; i < g.times().length && first < 0; i++) {
                if (g.times()[i] + insideOffset > lastDelivered) first = i;
            }
            if (first < 0) continue;
            long undelivered = g.total() - first;
            long sent = g.times()[first];
            if (undelivered < 2 || !inside.covers(sent + insideOffset, g.last() + insideOffset)) continue;
            long refreshed = lastDelivered == Long.MIN_VALUE ? g.silenceStart() : Math.max(g.silenceStart(), lastDelivered - insideOffset);
            double idle = Timestamp.seconds(sent - g.silenceStart());
            out.add(new JoinExpiry(g.outcome() == GapOutcome.EXPIRED ? g.end() : -1, new Evidence(ts(sent), GapOutcome.EXPIRED,
                    idle, Timestamp.seconds(sent - refreshed), "the packet sent to " + me.peer.id + " after " + fmt(idle) + " s idle never arrived"
                            + " inside the NAT, nor the " + (undelivered - 1) + " after it" + (lastDelivered == Long.MIN_VALUE ? ""
                            : " (the last one delivered inside was sent before it)"))));
            int gi = g.gapIndex();
            if (gi >= 0 && gi < tn.gaps.size() && tn.gaps.get(gi).outcome() == GapOutcome.SURVIVED) {
                IdleGap old = tn.gaps.get(gi);
                tn.gaps.set(gi, new IdleGap(old.start(), old.end(), old.peer(), old.idleOutboundSeconds(), old.idleAnySeconds(),
                        GapOutcome.EXPIRED, old.packetsIntoGap(), old.initiationsIntoGap()));
            }
        }
        return out;
    }

    /** An expiry proven by the join; {@code replaces} is the return time of the rebinding gap it bounds better (-1: none). */
    private record JoinExpiry(long replaces, Evidence evidence) {
    }

    private static String fmt(double seconds) {
        return String.format(Locale.ROOT, "%.1f", seconds);
    }

    /**
     * A port-preserving NAT gives a new mapping the old public port, so "spoke again from the same
     * endpoint" is no evidence of survival (nat-behaviour.md, pitfalls). Joined with the inside capture
     * the translation tells; alone, a public port equal to WireGuard's conventional ListenPort or to the
     * counterpart's port is taken as a fixed ListenPort kept by the NAT.
     */
    private boolean portPreserved(TunnelState tn, int nat) {
        if (inside != null) return portPreserving;
        int port = endpoints.get(tn.sides[nat].peer.currentEid).port();
        return port == Protocol.CONVENTIONAL_PORT || port == endpoints.get(tn.sides[1 - nat].peer.currentEid).port();
    }

    // ------------------------------------------------------------------ results

    /** Drops what ties the tunnels together (indices, peers' tunnel lists, address chains): only tunnel results are built after. */
    private void release() {
        byIndex.clear();
        tunnelIndex.clear();
        forgetIndexCache();
        for (PeerState p : peers) p.tunnels.clear();
        for (TunnelState tn : tunnels) {
            tn.nextAt[0] = null;
            tn.nextAt[1] = null;
        }
        handshakeMessages.clear();
        Arrays.fill(owner, null);
    }

    /** An endpoint as the results hold it: the table's one instance however many tunnels name it. */
    private Endpoint text(int eid) {
        return endpoints.get(eid);
    }

    /** Builds the immutable result. The analyzer can keep receiving messages afterwards (live use). */
    public Analysis finish() {
        return finish(false);
    }

    /**
     * As {@link #finish()}, as the last call on this analyzer: its state is let go as the result is built
     * (each tunnel's once its result is made), so that with many tunnels the state and the result are
     * not held at once. For a capture analysed alone (no join reads this analyzer afterwards).
     */
    Analysis finishReleasing() {
        return finish(true);
    }

    private Analysis finish(boolean release) {
        List<Endpoint> eps = new ArrayList<>();
        for (int i = 0; i < endpoints.size(); i++) {
            if (ownerOf(i) != null) eps.add(text(i));
        }
        if (release) release();
        List<Tunnel> out = new ArrayList<>(tunnels.size());
        for (int i = 0; i < tunnels.size(); i++) {
            out.add(tunnel(tunnels.get(i)));
            if (release) tunnels.set(i, null);
        }
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("initiation", messageCounts[0]);
        counts.put("response", messageCounts[1]);
        counts.put("cookieReply", messageCounts[2]);
        counts.put("data", messageCounts[3]);
        counts.put("keepalive", messageCounts[4]);
        boolean any = firstTime != Long.MAX_VALUE;
        CaptureSummary summary = new CaptureSummary(List.of(captureName), any ? ts(firstTime) : null, any ? ts(lastTime) : null,
                any ? Timestamp.seconds(lastTime - firstTime) : 0, counts, eps);
        List<String> warnings = new ArrayList<>();
        if (!any) warnings.add(captureName + ": no WireGuard messages found");
        if (overLimit > 0) {
            warnings.add(captureName + ": " + overLimit + " messages not analysed: they would have made more than "
                    + options.maxPeers() + " peers or tunnels, the most one analysis follows (AnalyzerOptions.maxPeers)");
        }
        SharedNats.Result pooled = SharedNats.pool(out);
        return new Analysis(Analysis.SCHEMA_VERSION, summary, pooled.tunnels(), null, warnings, pooled.nats());
    }

    private Tunnel tunnel(TunnelState tn) {
        RoleInference.Assessment roles = roles(tn);
        int nat = roles.client();
        MappingTimeout mapping = mappingTimeout(tn, nat); // may mark gaps EXPIRED from the join
        List<Peer> ps = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            PeerState p = tn.sides[i].peer;
            List<Endpoint> eps = new ArrayList<>();
            String name = null;
            for (int e : p.endpointIds()) {
                eps.add(text(e));
                if (name == null) name = options.names().apply(endpoints.get(e));
            }
            List<NatClue> behind = natClues(tn, i, nat, mapping);
            Role role = nat < 0 ? Role.UNKNOWN : nat != i ? Role.SERVER : behind.isEmpty() ? Role.CLIENT : Role.NAT_CLIENT;
            ps.add(new Peer(p.id, name, eps, role, roles.confidence(), nat == i ? roles.clues() : List.of(), behind));
        }
        List<Handshake> hs = new ArrayList<>();
        for (Series s : tn.handshakes) {
            boolean gaveUp = !s.responded && s.last - s.first >= GIVE_UP_SPAN;
            hs.add(new Handshake(ts(s.first), tn.sides[s.initiatorSide].peer.id, tn.sides[1 - s.initiatorSide].peer.id,
                    s.responded, Math.max(0, s.attempts - 1), s.rtt >= 0 ? Timestamp.seconds(s.rtt) : null, gaveUp,
                    s.cookies, s.mac2, s.trigger));
        }
        Map<String, Double> persistent = new LinkedHashMap<>(4);
        List<KeepaliveStats> ks = new ArrayList<>();
        for (Side side : tn.sides) {
            Double interval = persistentInterval(side);
            if (interval != null) persistent.put(side.peer.id, interval);
            ks.add(new KeepaliveStats(side.peer.id, side.confirmKeepalives, side.passiveKeepalives, side.persistentKeepalives, interval));
        }
        List<Loss> loss = new ArrayList<>();
        long[][] totals = new long[2][4];
        long[] totalFirst = {Long.MAX_VALUE, Long.MAX_VALUE};
        long[] totalLast = {Long.MIN_VALUE, Long.MIN_VALUE};
        for (SessionState s : tn.allSessions) {
            for (Direction d : s.bySender) {
                if (d == null || !d.window.any()) continue;
                CounterWindow w = d.window;
                long sent = w.sent(), missing = w.missing(), reordered = w.reordered(), duplicates = w.duplicates();
                Direction twin = inside == null || nat < 0 ? null : inside.directionOf(d.receiverIndex);
                if (twin != null) {
                    // Counted from the capture at the sender (how many it sent) and the one downstream (how many arrived).
                    boolean upInside = insideUpstream.isEmpty() ? d.senderSide == nat : insideUpstream.contains(d.receiverIndex);
                    CounterWindow up = upInside ? twin.window : w, down = upInside ? w : twin.window;
                    sent = up.sent();
                    missing = Math.max(0, sent - Math.min(sent, down.received()));
                    reordered = down.reordered();
                    duplicates = down.duplicates();
                } else if (inside != null && nat >= 0 && d.senderSide != nat && inside.covers(d.first + insideOffset, d.last + insideOffset)) {
                    missing = sent; // nothing of it arrived inside the NAT
                    reordered = 0;
                    duplicates = 0;
                }
                loss.add(new Loss(tn.sides[d.senderSide].peer.id, tn.sides[1 - d.senderSide].peer.id,
                        SessionIndex.of(d.receiverIndex), ts(d.first), ts(d.last), sent, missing,
                        percent(missing, sent), reordered, duplicates));
                long[] tot = totals[d.senderSide];
                tot[0] += sent;
                tot[1] += missing;
                tot[2] += reordered;
                tot[3] += duplicates;
                totalFirst[d.senderSide] = Math.min(totalFirst[d.senderSide], d.first);
                totalLast[d.senderSide] = Math.max(totalLast[d.senderSide], d.last);
            }
        }
        List<Loss> lossTotals = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            if (totals[i][0] == 0) continue;
            lossTotals.add(new Loss(tn.sides[i].peer.id, tn.sides[1 - i].peer.id, null, ts(totalFirst[i]), ts(totalLast[i]),
                    totals[i][0], totals[i][1], percent(totals[i][1], totals[i][0]), totals[i][2], totals[i][3]));
        }
        // compact immutable copies: with many tunnels the results are held together, so every list costs
        return new Tunnel(tn.id, List.copyOf(ps), tn.sessions, List.copyOf(hs), List.copyOf(tn.swaps),
                persistent.isEmpty() ? Map.of() : persistent, List.copyOf(ks), List.copyOf(tn.changes),
                List.copyOf(tn.gaps), mapping, List.copyOf(loss), List.copyOf(lossTotals), episode);
    }

    private static double percent(long missing, long sent) {
        return sent == 0 ? 0 : Math.round(10_000.0 * missing / sent) / 100.0;
    }

    /**
     * The persistent keepalive interval: the median time from the last packet either way to a keepalive
     * that is neither a handshake confirmation nor passive (timers.go: the persistent timer restarts on
     * every authenticated packet sent or received). Reported only when most samples agree within 0.5 s.
     */
    static Double persistentInterval(Side side) {
        int n = side.keepaliveSampleCount;
        if (n < 2) return null;
        double[] v = Arrays.copyOf(side.keepaliveSamples, n);
        Arrays.sort(v);
        double median = v[n / 2];
        int close = 0;
        double sum = 0;
        for (double x : v) {
            if (Math.abs(x - median) <= 0.5) {
                close++;
                sum += x;
            }
        }
        if (close < 2 || close * 2 < n) return null;
        return Math.round(sum / close * 1000) / 1000.0;
    }

    /** The client side (the one behind a NAT, if any), see {@link RoleInference}; -1 when the clues tie. */
    private int natSide(TunnelState tn) {
        return roles(tn).client();
    }

    private RoleInference.Assessment roles(TunnelState tn) {
        Series first = null;
        for (Series s : tn.handshakes) {
            if (s.trigger != HandshakeTrigger.NO_REPLY_AFTER_DATA && s.trigger != HandshakeTrigger.SESSION_EXPIRED) {
                first = s;
                break;
            }
        }
        RoleInference.Facts[] f = new RoleInference.Facts[2];
        for (int i = 0; i < 2; i++) {
            Side side = tn.sides[i];
            List<Endpoint> eps = new ArrayList<>();
            for (int e : side.peer.endpointIds()) eps.add(endpoints.get(e));
            boolean roamed = false;
            for (EndpointChange c : tn.changes) roamed |= c.kind() == ChangeKind.ROAMING && c.peer().equals(side.peer.id);
            boolean mine = first != null && first.initiatorSide == i;
            boolean known = first != null && first.trigger != HandshakeTrigger.UNKNOWN;
            f[i] = new RoleInference.Facts(RoleInference.ports(eps), side.rebindings, roamed, mine && known, mine && !known,
                    persistentInterval(side) != null,
                    isPrivate(endpoints.get(side.peer.currentEid)));
        }
        return RoleInference.assess(f[0], f[1]);
    }

    /** What shows a NAT in front of side {@code i} of a tunnel. */
    private List<NatClue> natClues(TunnelState tn, int i, int nat, MappingTimeout mapping) {
        Side side = tn.sides[i];
        List<NatClue> out = new ArrayList<>();
        for (EndpointChange c : tn.changes) {
            if (c.kind() == ChangeKind.NAT_REBINDING && c.peer().equals(side.peer.id)) {
                out.add(NatClue.NAT_REBINDING);
                break;
            }
        }
        if (i == nat && mapping.expiredGaps() > 0) out.add(NatClue.MAPPING_EXPIRED);
        for (int e : side.peer.endpointIds()) {
            if (translatedOutside.contains(endpoints.get(e))) {
                out.add(NatClue.TRANSLATED);
                break;
            }
        }
        if (isPrivate(endpoints.get(side.peer.currentEid)) && !isPrivate(endpoints.get(tn.sides[1 - i].peer.currentEid))) {
            out.add(NatClue.PRIVATE_ADDRESS);
        }
        return out;
    }

    private Viewpoint viewpoint(TunnelState tn, int nat) {
        if (inside != null) return Viewpoint.OUTSIDE;
        Side s = tn.sides[nat];
        if (s.rebindings > 0) return Viewpoint.OUTSIDE;
        boolean pn = isPrivate(endpoints.get(s.peer.currentEid));
        boolean po = isPrivate(endpoints.get(tn.sides[1 - nat].peer.currentEid));
        if (pn && !po) return Viewpoint.INSIDE;
        return Viewpoint.OUTSIDE;
    }

    /** RFC 1918, RFC 6598 shared (CGNAT), loopback, link-local; IPv6 ULA fc00::/7 and link-local. */
    static boolean isPrivate(Endpoint e) {
        return e.isPrivate();
    }

    private MappingTimeout mappingTimeout(TunnelState tn, int nat) {
        if (nat < 0) {
            return new MappingTimeout(false, null, null, RefreshModel.NOT_OBSERVED, null, Viewpoint.UNKNOWN,
                    new Bracket(null, null, true), new Bracket(null, null, true), 0, 0, List.of(), "not observed: no NAT-side peer identified");
        }
        Side side = tn.sides[nat];
        Viewpoint vp = viewpoint(tn, nat);
        List<Evidence> survived;
        List<Evidence> expired = vp == Viewpoint.INSIDE ? List.of() : side.expired;
        if (inside != null && vp != Viewpoint.INSIDE) {
            List<JoinExpiry> joinExpired = insideExpiries(tn, nat);
            if (!joinExpired.isEmpty()) {
                expired = new ArrayList<>(expired);
                for (JoinExpiry j : joinExpired) {
                    // One gap, one observation: the delivery seen inside bounds a rebinding gap at least as well as its return.
                    expired.removeIf(e -> e.time().nanos() == j.replaces() && e.idleOutboundSeconds() >= j.evidence().idleOutboundSeconds());
                    expired.add(j.evidence());
                }
            }
        }
        boolean preserved = vp != Viewpoint.INSIDE && portPreserved(tn, nat);
        if (vp == Viewpoint.INSIDE) {
            survived = side.inboundSurvived;
        } else {
            survived = new ArrayList<>();
            if (!preserved) survived.addAll(side.survived);
            if (inside != null) survived.addAll(insideSurvivals(tn, nat));
        }
        Double lowOut = null, lowAny = null, upOut = null, upAny = null;
        for (Evidence e : survived) {
            lowOut = lowOut == null ? e.idleOutboundSeconds() : Math.max(lowOut, e.idleOutboundSeconds());
            lowAny = lowAny == null ? e.idleAnySeconds() : Math.max(lowAny, e.idleAnySeconds());
        }
        for (Evidence e : expired) {
            upOut = upOut == null ? e.idleOutboundSeconds() : Math.min(upOut, e.idleOutboundSeconds());
            upAny = upAny == null ? e.idleAnySeconds() : Math.min(upAny, e.idleAnySeconds());
        }
        List<Evidence> ev = new ArrayList<>(expired);
        List<Evidence> sv = new ArrayList<>(survived);
        sv.sort((a, b) -> Double.compare(b.idleOutboundSeconds(), a.idleOutboundSeconds()));
        ev.addAll(sv.subList(0, Math.min(sv.size(), Math.max(5, MAX_EVIDENCE - ev.size()))));
        ev.sort((a, b) -> a.time().compareTo(b.time()));
        String who = side.peer.id;
        if (survived.isEmpty() && expired.isEmpty()) {
            String why = preserved && !side.survived.isEmpty()
                    ? who + " came back from the same public port " + endpoints.get(side.peer.currentEid).port()
                      + " after idle gaps, but its NAT keeps the port (a new mapping looks the same), so that proves no survival"
                    : "no idle gap of " + who + " of " + Timestamp.seconds(options.idleGapNanos()) + " s or more";
            return MappingTimeout.choose(who, vp, lowOut, lowAny, upOut, upAny, 0, 0, List.of(), why);
        }
        String context = null;
        if (vp == Viewpoint.INSIDE) {
            context = "capture inside the NAT: expiries are invisible here, only survivals bound the timeout";
        } else if (inside != null) {
            context = "joined with the capture inside the NAT (delivered inbound packets count as survivals)";
        }
        if (preserved && !side.survived.isEmpty()) {
            String kept = "NAT keeps the port: returns from the same endpoint are not counted as survivals";
            context = context == null ? kept : kept + "; " + context;
        }
        return MappingTimeout.choose(who, vp, lowOut, lowAny, upOut, upAny, survived.size(), expired.size(), ev, context);
    }
}
