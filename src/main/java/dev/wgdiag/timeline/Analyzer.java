package dev.wgdiag.timeline;

import dev.wgdiag.time.Timestamp;
import dev.wgdiag.net.Endpoint;
import dev.wgdiag.wire.Datagram;
import dev.wgdiag.wire.Protocol;
import dev.wgdiag.wire.WgMessage;
import dev.wgdiag.wire.WgMessageHandler;

import java.util.Set;

import static dev.wgdiag.timeline.TunnelState.mutable;

/**
 * Follows WireGuard tunnels through one capture, message by message, and infers handshakes, initiator
 * swaps, keepalives, endpoint changes, idle gaps, the NAT mapping timeout and loss.
 *
 * <p>Feed it decoded messages in capture order ({@code new WireGuardDecoder(analyzer)}), then call
 * {@link #finish()}. This class only routes each message, once, down the parts that follow it:
 * {@link FlowCache} and {@link EndpointTable} (endpoints to ids), {@link PeerTable} (peers and tunnels),
 * {@link IndexTable} (receiver index to handshake attempt or session direction), {@link HandshakeSeries}
 * with {@link TriggerRules}, {@link SideTimers} and {@link GapTracker}; {@link TunnelAssembler} builds
 * the result. Per message that is a couple of primitive-keyed hash look-ups at most and updates of
 * primitive fields; objects are allocated only for new endpoints, sessions and events, so memory grows
 * with tunnels and events, never with packets.
 *
 * <p>Sessions are tracked by indices as a passive observer must: an initiation's sender index I_i,
 * the response's (sender I_r, receiver I_i); transport to the initiator carries I_i, to the
 * responder I_r (whitepaper 5.4). A capture starting mid-session meets transport with unknown
 * receivers: those open a session whose initiator is unknown.
 */
public final class Analyzer implements WgMessageHandler {
    private final AnalyzerOptions options;
    private final CaptureTotals totals = new CaptureTotals();
    private final EventSink events;
    private final EndpointTable endpoints = new EndpointTable();
    private final FlowCache flows = new FlowCache();
    private final PeerTable peers;
    private final IndexTable index = new IndexTable();
    private final HandshakeLog handshakes = new HandshakeLog();
    private final GapTracker gaps;
    private final NatTopology topology;
    private final long idleGapNanos;
    private String captureName = "capture";
    private int episode = 1;

    public Analyzer() {
        this(AnalyzerOptions.defaults());
    }

    public Analyzer(AnalyzerOptions options) {
        this.options = options;
        this.events = new EventSink(options.listener(), totals);
        this.peers = new PeerTable(endpoints, totals, events, options);
        this.gaps = new GapTracker(endpoints, totals, events, options.idleGapNanos());
        this.topology = new NatTopology(endpoints);
        this.idleGapNanos = options.idleGapNanos();
    }

    /** Continues numbering after an earlier episode of the same capture ({@link Episodes}): peer and tunnel ids stay unique. */
    Analyzer continueIds(int peersBefore, int tunnelsBefore, int episodeNumber) {
        peers.peerBase = peersBefore;
        peers.tunnelBase = tunnelsBefore;
        this.episode = episodeNumber;
        return this;
    }

    /** Peers and tunnels numbered so far, including earlier episodes. */
    int peerCount() {
        return peers.peerBase + peers.peers.size();
    }

    int tunnelCount() {
        return peers.tunnelBase + peers.tunnels.size();
    }

    /** Names the capture in the summary (file name). */
    public Analyzer captureName(String name) {
        this.captureName = name;
        return this;
    }

    // ------------------------------------------------------------------ per message

    @Override
    public void onMessage(Datagram d, WgMessage m) {
        long t = d.timeNanos();
        int type = m.wireType();
        boolean keepalive = m.isKeepalive();
        totals.message(t, d.timeDigits(), type, keepalive);
        int srcEid, dstEid;
        long flow = flows.lookup(d);
        if (flow != FlowCache.MISS) {
            srcEid = (int) (flow >>> 32);
            dstEid = (int) flow;
        } else {
            if (!peers.admits(d)) return;                 // would make a peer: not analysed (the result warns)
            srcEid = endpoints.intern(d.ipVersion(), d.srcHi(), d.srcLo(), d.srcPort());
            dstEid = endpoints.intern(d.ipVersion(), d.dstHi(), d.dstLo(), d.dstPort());
            flows.remember(d, srcEid, dstEid);
        }
        if (type != Protocol.MESSAGE_TRANSPORT_TYPE && !handshakes.full()) {
            handshakes.add(t, type, m.hasSender() ? m.sender() : -1, m.hasReceiver() ? m.receiver() : -1,
                    endpoints.get(srcEid), endpoints.get(dstEid));
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

    /** An initiation: a retry of its side's open handshake, or a new handshake whose trigger {@link TriggerRules} reads. */
    private void onInitiation(long t, int srcEid, int dstEid, long senderIndex, boolean mac2) {
        TunnelState tn = peers.resolve(srcEid, dstEid, t);
        if (tn == null) return;
        int s = tn.sideOf(peers.ownerOf(srcEid));
        packet(tn, s, t, srcEid, dstEid, PacketKind.INITIATION, null, 0);
        SideTimers side = tn.sides[s];
        HandshakeSeries series = side.openSeries;
        if (series == null || !series.retriedAt(t)) {
            if (series != null && !series.responded && series.gaveUp()) {
                events.emit(Event.Kind.HANDSHAKE_GIVEN_UP, series.last, tn, side.peer,
                        new Event.GivenUp(series.attempts, Math.round(Timestamp.seconds(series.last - series.first))));
            }
            series = TriggerRules.open(tn, s, t);
            side.openSeries = series;
            (tn.handshakes = mutable(tn.handshakes)).add(series);
        }
        series.attempts++;
        series.last = t;
        series.mac2 |= mac2;
        index.put(senderIndex, new HandshakeAttempt(series, t));
    }

    /** A response makes a session (whitepaper 5.4.3); a new initiator than the last session's is an initiator swap. */
    private void onResponse(long t, int srcEid, int dstEid, long senderIndex, long receiverIndex) {
        HandshakeAttempt a = index.attempt(receiverIndex);
        TunnelState tn;
        int initiator;
        HandshakeSeries series;
        long attemptTime;
        if (a != null) {
            // The responder is the other side; a response from a new endpoint is that peer moving.
            series = a.series();
            tn = series.tunnel;
            initiator = series.initiatorSide;
            attemptTime = a.time();
        } else {
            // The initiation was not captured (capture started between them, or it was lost before the capture point).
            tn = peers.resolve(srcEid, dstEid, t);
            if (tn == null) return;
            initiator = tn.sideOf(peers.ownerOf(dstEid));
            series = TriggerRules.open(tn, initiator, t);
            series.attempts = 0;
            (tn.handshakes = mutable(tn.handshakes)).add(series);
            attemptTime = -1;
        }
        int responder = 1 - initiator;
        packet(tn, responder, t, srcEid, dstEid, PacketKind.RESPONSE, null, 0);
        if (!series.responded) {
            series.responded = true;
            if (attemptTime >= 0) series.rtt = t - attemptTime;
        }
        Session previous = tn.current;
        Session session = new Session(tn, initiator, t);
        session.series = series;
        session.toInitiator = new SessionDirection(session, responder, receiverIndex);
        session.toResponder = new SessionDirection(session, initiator, senderIndex);
        session.bySender[responder] = session.toInitiator;
        session.bySender[initiator] = session.toResponder;
        index.put(receiverIndex, session.toInitiator);
        index.put(senderIndex, session.toResponder);
        (tn.allSessions = mutable(tn.allSessions)).add(session);
        tn.current = session;
        tn.sessions++;
        PeerState ip = tn.sides[initiator].peer;
        events.emit(Event.Kind.HANDSHAKE, t, tn, ip, new Event.Completed(ip.id, tn.sides[responder].peer.id, series.attempts));
        if (previous != null && previous.initiatorSide >= 0 && previous.initiatorSide != initiator) {
            InitiatorSwap swap = new InitiatorSwap(totals.ts(series.first), tn.sides[previous.initiatorSide].peer.id, ip.id,
                    series.cause, series.causeDetail);
            (tn.swaps = mutable(tn.swaps)).add(swap);
            (tn.swapSeries = mutable(tn.swapSeries)).add(series);
            events.emit(Event.Kind.INITIATOR_SWAP, series.first, tn, ip, new Event.Swapped(ip.id, series.cause, series.causeDetail));
        }
    }

    private void onCookie(long t, int srcEid, int dstEid, long receiverIndex) {
        HandshakeAttempt a = index.attempt(receiverIndex);
        if (a != null) {
            a.series().cookies++;
            packet(a.series().tunnel, 1 - a.series().initiatorSide, t, srcEid, dstEid, PacketKind.COOKIE, null, 0);
        }
    }

    private void onTransport(long t, int srcEid, int dstEid, long receiverIndex, long counter, boolean keepalive) {
        SessionDirection dir = index.transport(receiverIndex);
        if (dir == null) {
            dir = orphanDirection(t, srcEid, dstEid, receiverIndex);
            if (dir == null) return;
            index.remember(receiverIndex, dir);
        }
        packet(dir.session.tunnel, dir.senderSide, t, srcEid, dstEid, keepalive ? PacketKind.KEEPALIVE : PacketKind.DATA, dir, counter);
        dir.transport(t, counter);
    }

    /** Transport whose receiver index was never announced in the capture: the capture started mid-session. */
    private SessionDirection orphanDirection(long t, int srcEid, int dstEid, long receiverIndex) {
        TunnelState tn = peers.resolve(srcEid, dstEid, t);
        if (tn == null) return null;
        int s = tn.sideOf(peers.ownerOf(srcEid));
        Session session = tn.openOrphan;
        if (session == null || session.bySender[s] != null) {
            session = new Session(tn, -1, t);
            tn.openOrphan = session;
            (tn.allSessions = mutable(tn.allSessions)).add(session);
            tn.sessions++;
            if (tn.current == null) tn.current = session;
        }
        SessionDirection dir = new SessionDirection(session, s, receiverIndex);
        session.bySender[s] = dir;
        if (session.bySender[1 - s] != null) tn.openOrphan = null;
        index.put(receiverIndex, dir);
        return dir;
    }

    /**
     * The per-packet timeline update for a packet from side {@code s}: idle gaps, endpoint changes,
     * packets into the other side's silence, keepalive classes, and the timers that explain the next
     * handshake. Primitive fields only.
     */
    private void packet(TunnelState tn, int s, long t, int srcEid, int dstEid, PacketKind kind, SessionDirection dir, long counter) {
        SideTimers me = tn.sides[s];
        SideTimers other = tn.sides[1 - s];
        long silent = tn.lastAny < 0 ? 0 : t - tn.lastAny;
        me.silence(silent);
        other.silence(silent);
        PeerState p = me.peer;
        long idleOut = me.lastOut < 0 ? -1 : t - me.lastOut;
        if (idleOut >= idleGapNanos) gaps.gapEnded(tn, me, t, srcEid, idleOut);
        if (srcEid != p.currentEid) peers.endpointChange(tn, me, t, srcEid, idleOut);
        boolean toOther = dstEid == other.peer.currentEid;
        // Inbound to the other side after its own silence: seen from inside its NAT this proves the mapping alive.
        if (toOther && other.lastOut >= 0 && t - other.lastOut >= idleGapNanos) gaps.packetInto(other, t, p.id);
        if (kind == PacketKind.KEEPALIVE) keepalive(tn, s, t, dir != null && dir.session.initiatorSide == s && counter == 0, silent);
        me.sent(t, kind);
        if (other.received(t, kind, toOther)) suspectedExpiry(tn, other, t);
        tn.lastAny = t;
    }

    // the rare branches of packet(), apart: a small packet() is compiled into its callers

    private void keepalive(TunnelState tn, int s, long t, boolean confirmation, long silent) {
        if (tn.sides[s].keepalive(t, confirmation, Timestamp.seconds(silent)) && events.on()) {
            events.emit(Event.Kind.KEEPALIVE_PERSISTENT, t, tn, tn.sides[s].peer, new Event.Keepalive(Timestamp.seconds(silent)));
        }
    }

    private void suspectedExpiry(TunnelState tn, SideTimers other, long t) {
        events.emit(Event.Kind.SUSPECTED_MAPPING_EXPIRY, t, tn, other.peer, new Event.NotAnswering(other.peer.id,
                other.lastOut < 0 ? null : Math.round(Timestamp.seconds(t - other.lastOut))));
    }

    // ------------------------------------------------------------------ results

    /** What a join reads of this capture (read only). */
    CaptureView view() {
        return new CaptureView(totals, endpoints, peers, index, handshakes);
    }

    /**
     * What the capture inside the NAT-side peer's NAT ({@code inside}) corrects in this (outside)
     * analysis, for {@link #finish(JoinCorrections)}; neither analyzer changes.
     *
     * @param offsetNanos       the inside capture's clock minus this one's
     * @param portPreserving    the join saw the NAT keep the inside port
     * @param insideUpstream    receiver indices of the directions whose sender is on the inside capture's side
     * @param translatedOutside outside endpoints the join saw the NAT translate an inside endpoint to
     */
    JoinCorrections corrections(Analyzer inside, long offsetNanos, boolean portPreserving, Set<Long> insideUpstream,
                                Set<Endpoint> translatedOutside) {
        return JoinEvidence.read(peers.tunnels, topology, inside.view(), offsetNanos, portPreserving, insideUpstream, translatedOutside);
    }

    private TunnelAssembler assembler() {
        return new TunnelAssembler(options, totals, endpoints, peers, topology);
    }

    /**
     * Builds the immutable result: a function of the state, which it does not change, so it can be
     * called again (with an equal result) and the analyzer can keep receiving messages afterwards (live use).
     */
    public Analysis finish() {
        return finish(null);
    }

    /** As {@link #finish()}, with what a join with the capture inside the NAT corrects (null: none). */
    Analysis finish(JoinCorrections join) {
        return assembler().assemble(captureName, episode, join);
    }

    /**
     * As {@link #finish()}, as the last call on this analyzer: its state is let go as the result is built
     * (each tunnel's once its result is made), so that with many tunnels the state and the result are
     * not held at once. For a capture analysed alone (no join reads this analyzer afterwards); the one
     * place where building the result changes the state.
     */
    Analysis finishReleasing() {
        return assembler().assembleReleasing(captureName, episode, () -> {
            index.clear();
            peers.release();
            handshakes.clear();
        });
    }
}
