package dev.wgdiag.report;

import dev.wgdiag.timeline.AnalysisWarning;
import dev.wgdiag.advice.Cited;
import dev.wgdiag.advice.Recommendation;
import dev.wgdiag.advice.TunnelAdvice;
import dev.wgdiag.timeline.Analysis;
import dev.wgdiag.timeline.CaptureJoin;
import dev.wgdiag.timeline.CaptureSummary;
import dev.wgdiag.timeline.EndpointChange;
import dev.wgdiag.timeline.Handshake;
import dev.wgdiag.timeline.InitiatorSwap;
import dev.wgdiag.timeline.Loss;
import dev.wgdiag.timeline.MappingTimeout;
import dev.wgdiag.timeline.Peer;
import dev.wgdiag.timeline.Tunnel;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;

/** The analysis as a page a person reads in a minute: the findings first, details after. */
public final class TextReport {
    private static final int MAX_LINES = 8;

    private TextReport() {
    }

    /** Verdict first, then the analysis, then what to change per tunnel with its evidence. */
    public static void write(Report r, PrintWriter out) {
        if (r.analysis().tunnels().size() > dev.wgdiag.advice.Advisor.MANY_TUNNELS) {
            writeMany(r, out);
            return;
        }
        head(r, out);
        out.println();
        write(r.analysis(), out);
        java.util.Map<String, TunnelAdvice> adviceByTunnel = r.advice().byTunnel();
        for (Tunnel t : r.analysis().tunnels()) {
            recommendations(t, adviceByTunnel.getOrDefault(t.id(), new TunnelAdvice(t.id(), java.util.List.of(), java.util.List.of())), out);
        }
        out.flush();
    }

    /**
     * Many tunnels: the verdict, the capture, a table of the worst tunnels ranked by severity with how many
     * tunnels show each problem, then the worst few in full (the JSON report has every tunnel).
     */
    private static void writeMany(Report r, PrintWriter out) {
        head(r, out);
        out.println();
        Analysis a = r.analysis();
        capture(a, out, true);
        Ranking k = Ranking.of(r);
        out.println();
        out.println("Tunnels: " + k.total() + ", the worst " + k.rows().size() + " ranked by severity (the JSON report has them all;"
                + " --peer NAME|KEY|ENDPOINT shows one):");
        if (k.tunnelsWith().isEmpty()) {
            out.println("  no tunnel shows a problem");
        } else {
            StringBuilder b = new StringBuilder();
            k.tunnelsWith().forEach((p, n) -> b.append(b.length() == 0 ? "" : ", ").append(problem(p)).append(" in ").append(n)
                    .append(n == 1 ? " tunnel" : " tunnels"));
            out.println("  problems: " + b);
        }
        out.printf(Locale.ROOT, "  %4s  %-12s  %-40s  %s%n", "rank", "tunnel", "problems (findings)", "peers");
        for (Ranking.Row row : k.rows()) {
            Tunnel t = row.tunnel();
            StringBuilder problems = new StringBuilder();
            for (dev.wgdiag.advice.Problem p : row.severity().problems()) problems.append(problems.length() == 0 ? "" : ", ").append(problem(p));
            if (problems.length() == 0) problems.append("none");
            else problems.append(" (").append(row.severity().findings()).append(')');
            StringBuilder peers = new StringBuilder();
            for (Peer p : t.peers()) {
                peers.append(peers.length() == 0 ? "" : " - ").append(peer(t, p.id()));
                if (!p.endpoints().isEmpty()) peers.append(" at ").append(p.endpoints().get(0));
            }
            out.printf(Locale.ROOT, "  %4d  %-12s  %-40s  %s%n", row.rank(), t.id(), problems, peers);
        }
        if (k.total() > k.rows().size()) out.println("  ... and " + (k.total() - k.rows().size()) + " more tunnels");
        Report worst = k.worst();
        out.println();
        out.println("The worst " + worst.analysis().tunnels().size() + " in full:");
        for (Tunnel t : worst.analysis().tunnels()) tunnel(t, a.summary().holes(), out);
        sharedNats(worst.analysis(), out);
        if (a.join() != null) join(a.join(), out);
        java.util.Map<String, TunnelAdvice> adviceByTunnel = worst.advice().byTunnel();
        for (Tunnel t : worst.analysis().tunnels()) {
            recommendations(t, adviceByTunnel.getOrDefault(t.id(), new TunnelAdvice(t.id(), java.util.List.of(), java.util.List.of())), out);
        }
        out.flush();
    }

    /** A problem's name as words: "handshakes unanswered". */
    static String problem(dev.wgdiag.advice.Problem p) {
        return p.name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }

    private static void head(Report r, PrintWriter out) {
        out.println("Verdict: " + AdviceWords.verdict(r.advice().verdict()));
        if (!r.noConnect().isEmpty()) {
            out.println();
            out.println(NoConnectWords.heading(r.noConnect()) + ":");
            for (dev.wgdiag.keys.NoConnectFinding f : r.noConnect()) {
                out.println("  " + f.cause().name().toLowerCase(Locale.ROOT).replace('_', ' ') + ": " + NoConnectWords.cause(f));
                out.println("      evidence: " + NoConnectWords.evidence(f));
                out.println("      fix: " + NoConnectWords.fix(f));
                String sure = NoConnectWords.confidence(f);
                if (sure != null) out.println("      " + sure);
                if (f.settledBy() != null) out.println("      to settle it: " + f.settledBy());
            }
        } else if (r.advice().verdict().problems().contains(dev.wgdiag.advice.Problem.HANDSHAKES_UNANSWERED) && r.identification() == null) {
            out.println("To tell why handshakes went unanswered: analyze again with --config and the server's config (its keys"
                    + " check mac1, the client's key and its timestamps); a capture at the server tells answers lost on the way"
                    + " back from initiations that never arrive.");
        }
    }

    private static void recommendations(Tunnel t, TunnelAdvice adv, PrintWriter out) {
        out.println();
        out.println("Recommendations for tunnel " + t.id() + ":" + (adv.recommendations().isEmpty() ? " none" : ""));
        for (Recommendation rec : adv.recommendations()) {
            out.println("  " + rec.setting().spelling() + " = " + rec.value() + " (confidence " + rec.confidence().name().toLowerCase(Locale.ROOT)
                    + ") in " + AdviceWords.place(rec.config()) + ":");
            for (String line : AdviceWords.lines(rec)) out.println("      " + line);
            out.println("    why: " + AdviceWords.why(rec.reason()));
            if (rec.cost() != null) out.println("    cost: " + AdviceWords.cost(rec.cost()));
            int n = 0;
            for (Cited c : rec.evidence()) {
                if (n++ == MAX_LINES) {
                    out.println("    ...");
                    break;
                }
                out.println("    evidence: " + (c.time() == null ? "" : c.time().clock() + " ") + AdviceWords.fact(c.what()));
            }
        }
        for (dev.wgdiag.advice.Note note : adv.notes()) out.println("  note: " + AdviceWords.note(note));
    }

    public static void write(Analysis a, PrintWriter out) {
        capture(a, out, false);
        for (Tunnel t : a.tunnels()) tunnel(t, a.summary().holes(), out);
        sharedNats(a, out);
        if (a.join() != null) join(a.join(), out);
        out.flush();
    }

    /** The capture: files, times, holes, message counts, endpoints (with many tunnels only their number), warnings. */
    private static void capture(Analysis a, PrintWriter out, boolean many) {
        CaptureSummary s = a.summary();
        out.println("Capture: " + String.join(", ", s.captures()));
        if (s.start() != null) {
            out.printf(Locale.ROOT, "  %s to %s UTC (%.1f s)%n", s.start().clock(), s.end().clock(), s.durationSeconds());
            for (dev.wgdiag.timeline.Hole h : s.holes()) {
                out.printf(Locale.ROOT, "  hole: nothing from %s to %s UTC (%s); the tunnels before and after are separate episodes%n",
                        h.from().clock(), h.to().clock(), AdviceWords.duration(h.seconds()));
            }
        }
        StringBuilder counts = new StringBuilder();
        for (Map.Entry<String, Long> e : s.messages().entrySet()) {
            if (counts.length() > 0) counts.append(", ");
            counts.append(e.getValue()).append(' ').append(plural(words(e.getKey()), e.getValue()));
        }
        out.println("  messages: " + counts);
        out.println("  endpoints: " + (many ? s.endpoints().size() + " (listed in the JSON report)" : Words.join(" ", s.endpoints())));
        for (AnalysisWarning w : a.warnings()) out.println("  warning: " + WarningWords.line(w));
    }

    private static void sharedNats(Analysis a, PrintWriter out) {
        for (dev.wgdiag.timeline.SharedNat n : a.sharedNats()) {
            out.println();
            out.println("Shared NAT at " + n.address() + ": " + String.join(", ", n.peers()) + " (tunnels " + String.join(", ", n.tunnels()) + ")");
            MappingTimeout m = n.mappingTimeout();
            out.println("  NAT mapping timeout, pooled: " + (m.observed() && (m.lowerSeconds() != null || m.upperSeconds() != null)
                    ? Words.bracket(m) + " (refresh: " + m.refreshModel().name().toLowerCase(Locale.ROOT).replace('_', ' ') + "; "
                      + Words.gaps(m) + ")" : EvidenceWords.words(m.note())));
        }
    }

    private static String peer(Tunnel t, String id) {
        for (Peer p : t.peers()) {
            if (p.id().equals(id)) return p.name() != null ? p.name() + " (" + id + ")" : id;
        }
        return id;
    }

    private static void tunnel(Tunnel t, java.util.List<dev.wgdiag.timeline.Hole> holes, PrintWriter out) {
        out.println();
        out.println("Tunnel " + t.id() + (t.episode() > 1 || !holes.isEmpty() ? " (episode " + t.episode() + ")" : "") + ":");
        for (Peer p : t.peers()) {
            String why = RoleWords.why(p);
            out.println("  " + peer(t, p.id()) + " " + RoleWords.role(p) + " at " + Words.join(", ", p.endpoints())
                    + (why.isEmpty() ? "" : " (" + why + ")"));
        }
        MappingTimeout m = t.natMappingTimeout();
        if (!m.observed() || m.lowerSeconds() == null && m.upperSeconds() == null) {
            out.println("  NAT mapping timeout: " + EvidenceWords.words(m.note()));
        } else {
            out.printf(Locale.ROOT, "  NAT mapping timeout of %s: %s (refresh: %s; %s)%n", peer(t, m.peer()), Words.bracket(m),
                    m.refreshModel().name().toLowerCase(Locale.ROOT).replace('_', ' '), Words.gaps(m));
            out.println("    " + EvidenceWords.words(m.note()));
        }
        long responded = t.handshakes().stream().filter(Handshake::responded).count();
        out.printf(Locale.ROOT, "  handshakes: %s, sessions: %d%n", t.handshakes().isEmpty() ? "none in the capture (it began mid-session)"
                : t.handshakes().size() + " (" + responded + " answered)", t.sessions());
        int shown = 0;
        for (Handshake h : t.handshakes()) {
            if (h.responded() && h.retries() == 0 && h.trigger() == dev.wgdiag.timeline.HandshakeTrigger.REKEY) continue;
            if (shown++ == MAX_LINES) {
                out.println("    ...");
                break;
            }
            out.printf(Locale.ROOT, "    %s %s -> %s %s%s%s%s%n", h.time().clock(), peer(t, h.initiator()), peer(t, h.responder()),
                    h.trigger().name().toLowerCase(Locale.ROOT),
                    h.responded() ? String.format(Locale.ROOT, ", answered in %.1f ms", h.rttSeconds() == null ? Double.NaN : h.rttSeconds() * 1000) : ", no answer",
                    h.retries() > 0 ? ", " + (h.retries() == 1 ? "1 retry" : h.retries() + " retries") : "", h.gaveUp() ? ", given up" : "");
        }
        if (t.initiatorSwaps().isEmpty()) {
            out.println("  initiator swaps: none");
        } else {
            out.println("  initiator swaps: " + t.initiatorSwaps().size());
            for (InitiatorSwap w : t.initiatorSwaps()) {
                out.println("    " + w.time().clock() + " " + peer(t, w.newInitiator()) + " took over from "
                        + peer(t, w.previousInitiator()) + ": " + w.cause() + " (" + EvidenceWords.words(w.detail()) + ")");
            }
        }
        if (t.persistentKeepaliveSeconds().isEmpty()) {
            out.println("  persistent keepalive: none seen");
        } else {
            StringBuilder sb = new StringBuilder();
            t.persistentKeepaliveSeconds().forEach((id, v) -> sb.append(sb.length() > 0 ? ", " : "").append(peer(t, id)).append(" every ").append(num(v)).append(" s"));
            out.println("  persistent keepalive: " + sb);
        }
        if (t.endpointChanges().isEmpty()) {
            out.println("  endpoint changes: none");
        } else {
            out.println("  endpoint changes: " + t.endpointChanges().size());
            int n = 0;
            for (EndpointChange c : t.endpointChanges()) {
                if (n++ == MAX_LINES) {
                    out.println("    ...");
                    break;
                }
                out.printf(Locale.ROOT, "    %s %s %s -> %s %s after %.1f s idle%n", c.time().clock(), peer(t, c.peer()), c.from(), c.to(),
                        c.kind().name().toLowerCase(Locale.ROOT).replace('_', ' '), c.idleSeconds());
            }
        }
        for (Loss l : t.lossTotals()) {
            out.printf(Locale.ROOT, "  loss %s -> %s: %d of %d (%.2f%%), %d reordered%n", peer(t, l.from()), peer(t, l.to()),
                    l.missing(), l.sent(), l.percent(), l.reordered());
        }
    }

    private static void join(CaptureJoin.Result j, PrintWriter out) {
        out.println();
        out.println("Two captures joined: " + j.matchedHandshakeMessages() + " handshake messages matched");
        if (j.clockOffsetSeconds() != null) {
            out.printf(Locale.ROOT, "  clock offset %.6f s, one-way delay %.6f s%n", j.clockOffsetSeconds(), j.oneWayDelaySeconds());
        }
        for (CaptureJoin.Translation tr : j.translations()) {
            out.println("  NAT translation " + tr.inside() + " -> " + tr.outside() + " (first seen " + tr.time().clock() + ")");
        }
        for (CaptureJoin.Fate f : j.fates()) {
            out.printf(Locale.ROOT, "  %s -> %s: %d sent past %s, %d delivered to %s, %d lost between (%.2f%%)%n",
                    f.from(), f.to(), f.seenUpstream(), f.upstreamCapture(), f.delivered(), f.downstreamCapture(), f.lost(), f.percent());
        }
        for (CaptureJoin.DeadMapping d : j.deadMappings()) {
            out.println("  mapping found dead " + d.time().clock() + ": " + EvidenceWords.words(d.detail()));
        }
    }

    private static String num(double v) {
        return Html.num(v);
    }

    /** "1 initiation", "2 initiations", "2 cookie replies"; "data" counts as it is. */
    static String plural(String noun, long n) {
        if (n == 1 || noun.equals("data")) return noun;
        return noun.endsWith("y") ? noun.substring(0, noun.length() - 1) + "ies" : noun + "s";
    }

    /** A JSON key for people: {@code cookieReply} becomes {@code cookie reply}. */
    static String words(String camel) {
        return camel.replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT);
    }
}
