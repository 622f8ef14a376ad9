package dev.wgdiag.timeline;

import dev.wgdiag.time.Timestamp;
import dev.wgdiag.wire.SessionIndex;

import dev.wgdiag.net.Endpoint;
import dev.wgdiag.wire.Protocol;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Two captures of one tunnel (e.g. server side and client side of the NAT), each analysed on its own,
 * then joined: handshake messages matched by their indices give the clock offset and the one-way
 * delay; the same messages seen with different source endpoints give the NAT's translation; transport
 * directions matched by receiver index give each direction's fate (seen upstream, delivered downstream,
 * lost in between); handshake initiations seen upstream and never downstream, two or more in a row,
 * mark the moment a mapping was found dead. Memory: per handshake message and per session direction.
 *
 * <p>Clock offset: for a message sent from A's side to B's side, tB - tA = offset + delay; the other
 * way tB - tA = offset - delay. The minimum per sending peer filters queueing; with symmetric minimum
 * delay, offset = (m1 + m2) / 2 and delay = |m1 - m2| / 2.
 */
public final class CaptureJoin {
    private CaptureJoin() {
    }

    /** The NAT's translation of a peer's inside endpoint to its outside endpoint. */
    public record Translation(Timestamp time, Endpoint inside, Endpoint outside) {
    }

    /**
     * One session direction seen at both capture points.
     *
     * @param seenUpstream distinct counters seen at the capture nearer the sender
     * @param delivered    of those, seen at the other capture
     * @param lost         lost between the two capture points
     */
    public record Fate(SessionIndex receiverIndex, Endpoint from, Endpoint to, String upstreamCapture, String downstreamCapture,
                       long seenUpstream, long delivered, long lost, double percent) {
    }

    /** A mapping found dead: handshake initiations sent into it at one point never reached the other. */
    public record DeadMapping(Timestamp time, Endpoint to, int initiationsLost, Unreached detail) {
    }

    /** {@code initiations} initiations to {@code to} seen at capture {@code seenAt} never reached capture {@code neverAt}. */
    public record Unreached(int initiations, Endpoint to, String seenAt, String neverAt) {
    }

    /**
     * @param clockOffsetSeconds second capture's clock minus the first's (null when no message matched both ways)
     * @param lossTotals         per sending endpoint (at the upstream capture): all sessions' fates together
     */
    public record Result(List<String> captures, int matchedHandshakeMessages, Double clockOffsetSeconds,
                         Double oneWayDelaySeconds, List<Translation> translations, List<Fate> fates,
                         List<Fate> lossTotals, List<DeadMapping> deadMappings, List<Analysis> perCapture) {
    }

    /**
     * Two captures of one tunnel, each read into its {@link Episodes}: joined (see {@link #joined}) when
     * neither has a hole, else the first alone with both captures' warnings (which episode of one capture
     * goes with which of the other is not known). What {@code wgdiag analyze FILE FILE2} gives.
     */
    public static Analysis of(String nameA, Episodes a, String nameB, Episodes b) {
        if (a.hasHoles() || b.hasHoles()) {
            Analysis first = a.finish();
            List<AnalysisWarning> warnings = new ArrayList<>(first.warnings());
            warnings.addAll(b.finish().warnings());
            warnings.add(new AnalysisWarning.NotJoined(nameB));
            return new Analysis(first.schemaVersion(), first.summary(), first.tunnels(), null, warnings, first.sharedNats());
        }
        return joined(nameA, a.analyzers().get(0), nameB, b.analyzers().get(0));
    }

    /**
     * Two captures of one tunnel, in whichever order: the capture outside the NAT (where the NAT-side
     * peer's public endpoints, rebindings and expiries show) goes first, the one inside second, so the
     * result does not depend on the order of the files. The tunnels are the outside capture's, with what
     * the inside capture knows better applied as it is built ({@link Analyzer#corrections}); neither
     * analyzer changes.
     */
    static Analysis joined(String nameA, Analyzer a, String nameB, Analyzer b) {
        Result r = join(nameA, a, nameB, b);
        if (insideFirst(r, a, b, nameA, nameB)) {
            String n = nameA;
            nameA = nameB;
            nameB = n;
            Analyzer x = a;
            a = b;
            b = x;
            r = join(nameA, a, nameB, b);
        }
        long offset = r.clockOffsetSeconds() == null ? 0 : Math.round(r.clockOffsetSeconds() * 1e9);
        r = withChangeTranslations(r, a, b, offset);
        boolean preserving = false;
        for (Translation t : r.translations()) {
            preserving |= t.inside().port() == t.outside().port();
        }
        java.util.Set<Long> insideUpstream = new java.util.HashSet<>();
        for (Fate f : r.fates()) {
            if (f.upstreamCapture().equals(nameB)) insideUpstream.add(f.receiverIndex().value());
        }
        java.util.Set<Endpoint> translated = new java.util.HashSet<>();
        for (Translation t : r.translations()) translated.add(t.outside());
        Analysis merged = a.finish(a.corrections(b, offset, preserving, insideUpstream, translated));
        CaptureSummary s = merged.summary();
        List<AnalysisWarning> warnings = new ArrayList<>(merged.warnings());
        warnings.addAll(r.perCapture().get(1).warnings());
        return new Analysis(merged.schemaVersion(), new CaptureSummary(List.of(nameA, nameB), s.start(), s.end(),
                s.durationSeconds(), s.messages(), s.endpoints()), merged.tunnels(), r, warnings, merged.sharedNats());
    }

    /**
     * NAT translations after the handshakes: each endpoint change seen outside (a rebinding, a roam) is a
     * new mapping of the endpoint the peer used inside at that moment.
     */
    private static Result withChangeTranslations(Result r, Analyzer outsideAnalyzer, Analyzer insideAnalyzer, long offsetNanos) {
        CaptureView outside = outsideAnalyzer.view(), inside = insideAnalyzer.view();
        if (r.translations().isEmpty()) return r;
        Map<Mapping, Translation> all = new LinkedHashMap<>();
        for (Translation t : r.translations()) all.put(new Mapping(t.inside(), t.outside()), t);
        Endpoint known = r.translations().get(0).inside();
        for (EndpointChange c : outside.endpointChanges()) {
            Endpoint in = inside.endpointAt(known, c.time().nanos() + offsetNanos);
            if (in == null || !outside.hasEndpoint(c.to()) || inside.hasEndpoint(c.to())) continue;
            all.putIfAbsent(new Mapping(in, c.to()), new Translation(c.time(), in, c.to()));
        }
        return new Result(r.captures(), r.matchedHandshakeMessages(), r.clockOffsetSeconds(), r.oneWayDelaySeconds(),
                new ArrayList<>(all.values()), r.fates(), r.lossTotals(), r.deadMappings(), r.perCapture());
    }

    /** Whether capture A sits inside the NAT: a translation's inside endpoint is one of A's; else by viewpoint, else by name. */
    private static boolean insideFirst(Result r, Analyzer analyzerA, Analyzer analyzerB, String nameA, String nameB) {
        CaptureView a = analyzerA.view(), b = analyzerB.view();
        for (Translation t : r.translations()) {
            if (a.hasEndpoint(t.inside())) return true;
            if (b.hasEndpoint(t.inside())) return false;
        }
        Viewpoint va = viewpointOf(r.perCapture().get(0)), vb = viewpointOf(r.perCapture().get(1));
        if (va != vb) return va == Viewpoint.INSIDE || vb == Viewpoint.OUTSIDE;
        return nameA.compareTo(nameB) > 0;
    }

    private static Viewpoint viewpointOf(Analysis a) {
        for (Tunnel t : a.tunnels()) {
            if (t.natMappingTimeout().viewpoint() != Viewpoint.UNKNOWN) return t.natMappingTimeout().viewpoint();
        }
        return Viewpoint.UNKNOWN;
    }

    static Result join(String nameA, Analyzer analyzerA, String nameB, Analyzer analyzerB) {
        CaptureView a = analyzerA.view(), b = analyzerB.view();
        int digits = Math.max(a.timeDigits(), b.timeDigits());
        List<HandshakeLog.Message> ha = a.handshakeMessages();
        // in capture B's order: the unmatched ones left over are read in that order (ties in time keep it)
        Map<MessageKey, HandshakeLog.Message> inB = new LinkedHashMap<>();
        for (HandshakeLog.Message h : b.handshakeMessages()) inB.putIfAbsent(MessageKey.of(h), h);
        // Minimum tB - tA per sending peer (named as in capture A).
        Map<String, Long> minDelta = new LinkedHashMap<>();
        List<HandshakeLog.Message[]> matched = new ArrayList<>();
        List<HandshakeLog.Message> unmatchedA = new ArrayList<>();
        for (HandshakeLog.Message h : ha) {
            HandshakeLog.Message o = inB.remove(MessageKey.of(h));
            if (o == null) {
                unmatchedA.add(h);
                continue;
            }
            matched.add(new HandshakeLog.Message[] {h, o});
            String who = String.valueOf(h.senderPeer());
            long d = o.time() - h.time();
            minDelta.merge(who, d, Math::min);
        }
        Double offset = null, delay = null;
        Map<String, Boolean> flowsAtoB = new HashMap<>();
        if (minDelta.size() == 2) {
            List<String> who = new ArrayList<>(minDelta.keySet());
            long m1 = minDelta.get(who.get(0)), m2 = minDelta.get(who.get(1));
            offset = Timestamp.seconds((m1 + m2) / 2);
            delay = Timestamp.seconds(Math.abs(m1 - m2) / 2);
            flowsAtoB.put(who.get(0), m1 >= m2);
            flowsAtoB.put(who.get(1), m2 > m1);
        }
        long offsetNanos = offset == null ? 0 : Math.round(offset * 1e9);
        // NAT translations: the same message with another source endpoint at the other point.
        Map<Mapping, Translation> translations = new LinkedHashMap<>();
        for (HandshakeLog.Message[] pair : matched) {
            HandshakeLog.Message h = pair[0], o = pair[1];
            if (h.src().equals(o.src())) continue;
            Boolean aToB = flowsAtoB.get(String.valueOf(h.senderPeer()));
            Endpoint inside = aToB == null || aToB ? h.src() : o.src();
            Endpoint outside = aToB == null || aToB ? o.src() : h.src();
            long t = aToB == null || aToB ? h.time() : o.time() - offsetNanos;
            translations.putIfAbsent(new Mapping(inside, outside), new Translation(Timestamp.of(t, digits), inside, outside));
        }
        // Transport fates per session direction.
        Map<Long, CaptureView.DirectionView> db = new HashMap<>();
        for (CaptureView.DirectionView d : b.directions()) db.put(d.receiverIndex(), d);
        List<Fate> fates = new ArrayList<>();
        Map<DirectionKey, FateTotal> totals = new LinkedHashMap<>();
        for (CaptureView.DirectionView da : a.directions()) {
            CaptureView.DirectionView dbv = db.get(da.receiverIndex());
            if (dbv == null) continue;
            Boolean aToB = flowsAtoB.get(da.senderPeer());
            boolean upA = aToB != null ? aToB : da.received() >= dbv.received();
            CaptureView.DirectionView up = upA ? da : dbv, down = upA ? dbv : da;
            long seen = up.received(), delivered = Math.min(down.received(), seen);
            long lost = Math.max(0, seen - delivered);
            Endpoint from = up.src(), to = up.dst();
            fates.add(new Fate(SessionIndex.of(da.receiverIndex()), from, to, upA ? nameA : nameB, upA ? nameB : nameA,
                    seen, delivered, lost, seen == 0 ? 0 : Math.round(10_000.0 * lost / seen) / 100.0));
            FateTotal tot = totals.computeIfAbsent(new DirectionKey(da.senderPeer(), upA),
                    x -> new FateTotal(from, to, upA ? nameA : nameB, upA ? nameB : nameA));
            tot.seen += seen;
            tot.lost += lost;
        }
        List<Fate> lossTotals = new ArrayList<>();
        for (FateTotal v : totals.values()) {
            lossTotals.add(new Fate(null, v.from, v.to, v.upstream, v.downstream, v.seen, v.seen - v.lost, v.lost,
                    v.seen == 0 ? 0 : Math.round(10_000.0 * v.lost / v.seen) / 100.0));
        }
        // Initiations seen at the sender's point that never reached the other point, two or more in a row.
        List<DeadMapping> dead = new ArrayList<>();
        deadMappings(unmatchedA, flowsAtoB, true, digits, 0, nameA, nameB, dead);
        deadMappings(new ArrayList<>(inB.values()), flowsAtoB, false, digits, offsetNanos, nameB, nameA, dead);
        dead.sort((x, y) -> x.time().compareTo(y.time()));
        return new Result(List.of(nameA, nameB), matched.size(), offset, delay, new ArrayList<>(translations.values()),
                fates, lossTotals, dead, List.of(analyzerA.finish(), analyzerB.finish()));
    }

    private static void deadMappings(List<HandshakeLog.Message> unmatched, Map<String, Boolean> flowsAtoB, boolean fromA,
                                     int digits, long offsetNanos, String here, String there, List<DeadMapping> out) {
        unmatched.sort((x, y) -> Long.compare(x.time(), y.time()));
        HandshakeLog.Message runStart = null;
        int run = 0;
        long lastTime = 0;
        for (HandshakeLog.Message h : unmatched) {
            if (h.type() != Protocol.MESSAGE_INITIATION_TYPE) continue;
            Boolean aToB = flowsAtoB.get(String.valueOf(h.senderPeer()));
            // Only messages whose sender is on this capture's side could have been lost between the points.
            if (fromA && Boolean.FALSE.equals(aToB)) continue;
            if (!fromA && Boolean.TRUE.equals(aToB)) continue;
            if (runStart != null && runStart.dst().equals(h.dst()) && h.time() - lastTime <= 3 * Protocol.REKEY_TIMEOUT) {
                run++;
            } else {
                flush(runStart, run, digits, offsetNanos, here, there, out);
                runStart = h;
                run = 1;
            }
            lastTime = h.time();
        }
        flush(runStart, run, digits, offsetNanos, here, there, out);
    }

    private static void flush(HandshakeLog.Message start, int run, int digits, long offsetNanos, String here, String there,
                              List<DeadMapping> out) {
        if (start == null || run < 2) return;
        out.add(new DeadMapping(Timestamp.of(start.time() - offsetNanos, digits), start.dst(), run,
                new Unreached(run, start.dst(), here, there)));
    }

    /** One sending peer's direction, upstream at capture A or B. */
    private record DirectionKey(String senderPeer, boolean upstreamA) {
    }

    /** A direction's counters summed over its sessions, named by its first session's endpoints and captures. */
    private static final class FateTotal {
        final Endpoint from, to;
        final String upstream, downstream;
        long seen, lost;

        FateTotal(Endpoint from, Endpoint to, String upstream, String downstream) {
            this.from = from;
            this.to = to;
            this.upstream = upstream;
            this.downstream = downstream;
        }
    }

    /** A handshake message as both captures see it: its type and indices (the NAT rewrites only addresses and ports). */
    private record MessageKey(int type, long sender, long receiver) {
        static MessageKey of(HandshakeLog.Message h) {
            return new MessageKey(h.type(), h.sender(), h.receiver());
        }
    }

    /** One NAT translation, inside endpoint to outside endpoint. */
    private record Mapping(Endpoint inside, Endpoint outside) {
    }
}
