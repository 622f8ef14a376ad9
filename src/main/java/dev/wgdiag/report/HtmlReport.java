package dev.wgdiag.report;

import dev.wgdiag.timeline.AnalysisWarning;
import dev.wgdiag.advice.Cited;
import dev.wgdiag.advice.Recommendation;
import dev.wgdiag.advice.Traffic;
import dev.wgdiag.advice.TunnelAdvice;
import dev.wgdiag.advice.Verdict;
import dev.wgdiag.timeline.Analysis;
import dev.wgdiag.timeline.CaptureJoin;
import dev.wgdiag.timeline.CaptureSummary;
import dev.wgdiag.timeline.EndpointChange;
import dev.wgdiag.timeline.Evidence;
import dev.wgdiag.timeline.Handshake;
import dev.wgdiag.timeline.IdleGap;
import dev.wgdiag.timeline.InitiatorSwap;
import dev.wgdiag.timeline.Loss;
import dev.wgdiag.timeline.MappingTimeout;
import dev.wgdiag.timeline.Peer;
import dev.wgdiag.timeline.Tunnel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report as one self-contained HTML page: no script, no external font, style sheet or image, charts
 * as inline SVG; readable at phone width. Order: verdict, recommendation cards with the config lines,
 * then per tunnel the timeline chart, idle gaps against outcome with the timeout bracket, handshakes,
 * endpoint history, loss per direction and the evidence list. Every text from a capture is escaped.
 */
public final class HtmlReport {
    /** Most rows per table; the JSON report has them all. */
    static final int MAX_ROWS = 200;

    static final String CSS = """
            *{box-sizing:border-box}
            body{margin:0;font:16px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2937;background:#f3f4f6}
            main{max-width:980px;margin:0 auto;padding:12px}
            h1{font-size:1.3rem;margin:.4rem 0}
            h2{font-size:1.15rem;margin:1.6rem 0 .5rem;border-bottom:2px solid #d1d5db;padding-bottom:.2rem}
            h3{font-size:1rem;margin:1.1rem 0 .4rem}
            .verdict{border-radius:10px;padding:14px 16px;margin:8px 0 14px;color:#fff}
            .verdict.stable{background:#15803d}.verdict.unstable{background:#b91c1c}
            .verdict strong{display:block;font-size:1.5rem}
            .meta{font-size:.85rem;color:#4b5563;overflow-wrap:anywhere}
            .card{background:#fff;border-radius:10px;padding:12px 14px;margin:10px 0;border-left:6px solid #2563eb;box-shadow:0 1px 2px rgba(0,0,0,.08)}
            .card h3{margin:0 0 .3rem}
            .card.note{border-left-color:#9ca3af}
            .badge{display:inline-block;font-size:.75rem;padding:1px 8px;border-radius:99px;background:#e5e7eb;margin-left:6px;vertical-align:middle}
            .badge.HIGH{background:#bbf7d0}.badge.MEDIUM{background:#fef08a}.badge.LOW{background:#fed7aa}
            pre{background:#111827;color:#f9fafb;padding:10px;border-radius:6px;overflow-x:auto;font-size:.9rem}
            figure{margin:8px 0;background:#fff;border-radius:10px;padding:6px}
            figcaption{font-size:.85rem;color:#4b5563;padding:2px 6px}
            svg.chart{width:100%;height:auto;display:block}
            .scroll{overflow-x:auto;background:#fff;border-radius:10px}
            table{border-collapse:collapse;width:100%;font-size:.85rem}
            th,td{padding:5px 8px;border-bottom:1px solid #e5e7eb;text-align:left;vertical-align:top}
            th{background:#f9fafb}
            td.n{text-align:right;font-variant-numeric:tabular-nums}
            ul.evidence{padding-left:1.1rem;font-size:.9rem;overflow-wrap:anywhere}
            details summary{cursor:pointer;font-size:.9rem}
            .dot{display:inline-block;width:10px;height:10px;border-radius:50%;margin-right:4px}
            footer{font-size:.8rem;color:#6b7280;margin:2rem 0 1rem}
            .narrow{display:none}
            @media (max-width:600px){body{font-size:15px}main{padding:8px}.verdict strong{font-size:1.3rem}.wide{display:none}.narrow{display:block}}
            """;

    private HtmlReport() {
    }

    public static void write(Report r, Writer out) {
        try {
            out.write(toHtml(r));
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String toHtml(Report r) {
        if (r.analysis().tunnels().size() > dev.wgdiag.advice.Advisor.MANY_TUNNELS) {
            // many tunnels: a ranked table of the worst, then the worst few in full
            Ranking k = Ranking.of(r);
            return toHtml(k.worst(), k);
        }
        return toHtml(r, null);
    }

    private static String toHtml(Report r, Ranking ranking) {
        Analysis a = r.analysis();
        CaptureSummary s = a.summary();
        StringBuilder h = new StringBuilder(64 * 1024);
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n")
                .append("<title>wgdiag: ").append(Html.esc(String.join(", ", captures(a)))).append("</title>\n<style>")
                .append(CSS).append("</style>\n</head>\n<body>\n<main>\n");
        h.append("<h1>WireGuard stability report</h1>\n");
        Verdict v = r.advice().verdict();
        h.append("<section id=\"verdict\" class=\"verdict ").append(v.stable() ? "stable" : "unstable").append("\">")
                .append("<strong>").append(v.stable() ? "Stable" : "Unstable").append("</strong>")
                .append(Html.esc(AdviceWords.verdict(v))).append("</section>\n");
        if (!r.noConnect().isEmpty()) {
            h.append("<section id=\"noconnect\"><h2>").append(Html.esc(NoConnectWords.heading(r.noConnect()))).append("</h2><ul>\n");
            for (dev.wgdiag.keys.NoConnectFinding f : r.noConnect()) {
                h.append("<li>").append(Html.esc(NoConnectWords.cause(f))).append("<br>Evidence: ").append(Html.esc(NoConnectWords.evidence(f)))
                        .append("<br>Fix: ").append(Html.esc(NoConnectWords.fix(f)));
                String sure = NoConnectWords.confidence(f);
                if (sure != null) h.append("<br>").append(Html.esc(sure));
                if (f.settledBy() != null) h.append("<br>To settle it: ").append(Html.esc(f.settledBy()));
                h.append("</li>\n");
            }
            h.append("</ul></section>\n");
        }
        h.append("<p class=\"meta\">").append(Html.esc(String.join(" + ", captures(a))));
        if (s.start() != null) {
            h.append("<br>").append(Html.esc(s.start().clock())).append(" to ").append(Html.esc(s.end().clock()))
                    .append(" UTC (").append(Html.num(s.durationSeconds())).append(" s)");
            for (dev.wgdiag.timeline.Hole hole : s.holes()) {
                h.append("; hole from ").append(Html.esc(hole.from().clock())).append(" to ").append(Html.esc(hole.to().clock()))
                        .append(" UTC (").append(Html.esc(AdviceWords.duration(hole.seconds())))
                        .append("), tunnels before and after are separate episodes");
            }
        }
        h.append("<br>");
        boolean first = true;
        for (Map.Entry<String, Long> e : s.messages().entrySet()) {
            if (!first) h.append(", ");
            first = false;
            h.append(e.getValue()).append(' ').append(Html.esc(TextReport.plural(TextReport.words(e.getKey()), e.getValue())));
        }
        h.append("</p>\n");
        for (AnalysisWarning w : a.warnings()) {
            h.append("<p class=\"meta\">warning: ").append(Html.esc(WarningWords.line(w))).append("</p>\n");
        }
        if (ranking != null) ranking(h, ranking);
        // Recommendations first: what to change.
        h.append("<section id=\"recommendations\">\n<h2>What to change</h2>\n");
        int recs = 0;
        java.util.Map<String, TunnelAdvice> adviceByTunnel = r.advice().byTunnel();
        for (Tunnel t : a.tunnels()) {
            TunnelAdvice adv = adviceByTunnel.getOrDefault(t.id(), new TunnelAdvice(t.id(), java.util.List.of(), java.util.List.of()));
            for (Recommendation rec : adv.recommendations()) {
                recs++;
                card(h, t, rec);
            }
            for (dev.wgdiag.advice.Note note : adv.notes()) {
                h.append("<div class=\"card note\"><p>").append(a.tunnels().size() > 1 ? Html.esc(t.id()) + ": " : "")
                        .append(Html.esc(AdviceWords.note(note))).append("</p></div>\n");
            }
        }
        if (recs == 0) h.append("<p>No change recommended from this capture.</p>\n");
        h.append("</section>\n");
        int chartNo = 0;
        for (Tunnel t : a.tunnels()) {
            chartNo = tunnel(h, r, t, chartNo);
        }
        for (dev.wgdiag.timeline.SharedNat n : a.sharedNats()) {
            MappingTimeout m = n.mappingTimeout();
            h.append("<section class=\"shared-nat\">\n<h2>Shared NAT at ").append(Html.esc(n.address())).append("</h2>\n<p>")
                    .append(Html.esc(String.join(", ", n.peers()))).append(" (tunnels ").append(Html.esc(String.join(", ", n.tunnels())))
                    .append(") talk from this one public address: one NAT, one mapping timer. Pooled NAT mapping timeout: ")
                    .append(Html.esc(m.observed() && (m.lowerSeconds() != null || m.upperSeconds() != null)
                            ? Words.bracket(m) + " (" + Words.gaps(m) + ")" : EvidenceWords.words(m.note()))).append(".</p>\n</section>\n");
        }
        if (a.join() != null) join(h, a.join());
        h.append("<footer>Made by wgdiag from packet captures; the page loads nothing from the network."
                + " Times are UTC. JSON with every event: <code>wgdiag analyze --format json</code>.</footer>\n");
        h.append("</main>\n</body>\n</html>\n");
        return h.toString();
    }

    /** The table of the worst tunnels of many, ranked by severity, and how many tunnels show each problem. */
    private static void ranking(StringBuilder h, Ranking k) {
        h.append("<section id=\"ranking\">\n<h2>Tunnels by severity</h2>\n<p>").append(k.total()).append(" tunnels; the worst ")
                .append(k.rows().size()).append(" below, the worst ").append(k.worst().analysis().tunnels().size())
                .append(" in full after the recommendations. <code>wgdiag analyze --peer NAME|KEY|ENDPOINT</code> shows one;"
                        + " the JSON report has them all.");
        if (!k.tunnelsWith().isEmpty()) {
            h.append("<br>Problems: ");
            boolean first = true;
            for (Map.Entry<dev.wgdiag.advice.Problem, Long> e : k.tunnelsWith().entrySet()) {
                h.append(first ? "" : ", ").append(Html.esc(TextReport.problem(e.getKey()))).append(" in ").append(e.getValue())
                        .append(e.getValue() == 1 ? " tunnel" : " tunnels");
                first = false;
            }
        }
        h.append("</p>\n<div class=\"scroll\"><table><tr><th>rank</th><th>tunnel</th><th>problems</th><th>findings</th><th>peers</th></tr>\n");
        for (Ranking.Row row : k.rows()) {
            Tunnel t = row.tunnel();
            StringBuilder problems = new StringBuilder();
            for (dev.wgdiag.advice.Problem p : row.severity().problems()) problems.append(problems.length() == 0 ? "" : ", ").append(TextReport.problem(p));
            StringBuilder peers = new StringBuilder();
            for (Peer p : t.peers()) {
                peers.append(peers.length() == 0 ? "" : " — ").append(Html.peerLabel(t, p.id()));
                if (!p.endpoints().isEmpty()) peers.append(" at ").append(p.endpoints().get(0));
            }
            h.append("<tr><td class=\"n\">").append(row.rank()).append("</td><td>").append(Html.esc(t.id())).append("</td><td>")
                    .append(Html.esc(problems.length() == 0 ? "none" : problems.toString())).append("</td><td class=\"n\">")
                    .append(row.severity().findings()).append("</td><td>").append(Html.esc(peers.toString())).append("</td></tr>\n");
        }
        h.append("</table></div>\n</section>\n");
    }

    private static List<String> captures(Analysis a) {
        return a.join() != null ? a.join().captures() : a.summary().captures();
    }

    private static void card(StringBuilder h, Tunnel t, Recommendation rec) {
        h.append("<div class=\"card rec\" data-setting=\"").append(Html.esc(rec.setting().spelling())).append("\">")
                .append("<h3>").append(Html.esc(rec.setting().spelling())).append(" = ").append(Html.esc(rec.value()))
                .append("<span class=\"badge ").append(rec.confidence().name()).append("\">")
                .append(rec.confidence().name().toLowerCase(Locale.ROOT)).append(" confidence</span></h3>\n")
                .append("<p class=\"meta\">").append(Html.esc(AdviceWords.place(rec.config()))).append("</p>\n<pre>");
        for (String line : AdviceWords.lines(rec)) h.append(Html.esc(line)).append('\n');
        h.append("</pre>\n<p>").append(Html.esc(AdviceWords.why(rec.reason()))).append("</p>\n");
        if (rec.cost() != null) h.append("<p class=\"meta\">Cost: ").append(Html.esc(AdviceWords.cost(rec.cost()))).append("</p>\n");
        h.append("<details><summary>Evidence (").append(rec.evidence().size()).append(")</summary><ul class=\"evidence\">");
        for (Cited c : rec.evidence()) {
            h.append("<li>").append(c.time() == null ? "" : "<time>" + Html.esc(c.time().clock()) + "</time> ")
                    .append(Html.esc(AdviceWords.fact(c.what()))).append("</li>");
        }
        h.append("</ul></details></div>\n");
    }

    private static int tunnel(StringBuilder h, Report r, Tunnel t, int chartNo) {
        Analysis a = r.analysis();
        h.append("<section class=\"tunnel\" id=\"").append(Html.esc("t-" + t.id())).append("\">\n<h2>Tunnel ")
                .append(Html.esc(t.id())).append(a.summary().holes().isEmpty() ? "" : " (episode " + t.episode() + ")").append("</h2>\n<ul>");
        int pi = 0;
        for (Peer p : t.peers()) {
            String color = pi < 2 ? hex(ChartTimeline.PEER_COLORS[pi]) : "#888";
            pi++;
            h.append("<li><span class=\"dot\" style=\"background:").append(color).append("\"></span>")
                    .append(Html.esc(Html.peerLabel(t, p.id()))).append(" — ")
                    .append(Html.esc(RoleWords.role(p))).append(" at ")
                    .append(Html.esc(Words.join(", ", p.endpoints())));
            String why = RoleWords.why(p);
            if (!why.isEmpty()) h.append(" <span class=\"why\">(").append(Html.esc(why)).append(")</span>");
            h.append("</li>");
        }
        h.append("</ul>\n");
        MappingTimeout m = t.natMappingTimeout();
        h.append("<p><b>NAT mapping timeout:</b> ").append(Html.esc(timeoutText(t, m))).append("</p>\n");
        // Timeline chart.
        Traffic traffic = r.mainTraffic();
        List<Traffic.Flow> flows = t.peers().size() == 2
                ? traffic.between(t.peers().get(0).endpoints(), t.peers().get(1).endpoints()) : List.of();
        long origin = a.summary().start() == null ? traffic.startNanos() : a.summary().start().nanos();
        h.append("<h3>Timeline</h3>\n<figure>")
                .append(ChartSvg.responsive(() -> ChartTimeline.chart(t, flows, traffic, origin), "chart" + (++chartNo), 380, 460))
                .append("<figcaption>Messages per type over time; dots: handshakes, coloured by initiator; dashed lines:"
                        + " endpoint changes; shading: idle gaps (green survived, red expired).</figcaption></figure>\n");
        h.append("<h3>Idle gaps and the NAT timeout</h3>\n");
        if (ChartGaps.hasData(t)) {
            h.append("<figure>").append(ChartSvg.responsive(() -> ChartGaps.chart(t), "chart" + (++chartNo), 300, 340))
                    .append("<figcaption>Each idle gap of the NAT-side peer and what happened to its mapping;"
                            + " the band is the timeout bracket.</figcaption></figure>\n");
        } else {
            h.append("<p>No idle gap of ").append(Html.num(5)).append(" s or more: the capture does not test the NAT timeout.</p>\n");
        }
        handshakes(h, t);
        endpoints(h, t);
        loss(h, t);
        evidence(h, t);
        h.append("</section>\n");
        return chartNo;
    }

    static String timeoutText(Tunnel t, MappingTimeout m) {
        if (m == null) return "not observed";
        if (!m.observed() || (m.lowerSeconds() == null && m.upperSeconds() == null)) return EvidenceWords.words(m.note());
        return "of " + Html.peerLabel(t, m.peer()) + ": " + Words.bracket(m) + " (" + Words.gaps(m) + "; " + EvidenceWords.words(m.note()) + ")";
    }

    private static void handshakes(StringBuilder h, Tunnel t) {
        h.append("<h3>Handshakes (").append(t.handshakes().size()).append(")</h3>\n");
        if (t.handshakes().isEmpty()) {
            h.append("<p>None in the capture (it started mid-session).</p>\n");
        } else {
            h.append("<div class=\"scroll\"><table><thead><tr><th>time (UTC)</th><th>initiator</th><th>trigger</th>"
                    + "<th>answered</th><th>retries</th><th>RTT ms</th></tr></thead><tbody>\n");
            int n = 0;
            for (Handshake x : t.handshakes()) {
                if (n++ == MAX_ROWS) {
                    h.append("<tr><td colspan=\"6\">… ").append(t.handshakes().size() - MAX_ROWS).append(" more in the JSON report</td></tr>\n");
                    break;
                }
                h.append("<tr><td>").append(Html.esc(x.time().clock())).append("</td><td>").append(Html.esc(Html.peerLabel(t, x.initiator())))
                        .append("</td><td>").append(Html.esc(x.trigger().name().toLowerCase(Locale.ROOT).replace('_', ' ')))
                        .append("</td><td>").append(x.responded() ? "yes" : x.gaveUp() ? "no, given up" : "no")
                        .append("</td><td class=\"n\">").append(x.retries())
                        .append("</td><td class=\"n\">").append(x.rttSeconds() == null ? "" : Html.num(Math.round(x.rttSeconds() * 1e4) / 10.0))
                        .append("</td></tr>\n");
            }
            h.append("</tbody></table></div>\n");
        }
        if (!t.initiatorSwaps().isEmpty()) {
            h.append("<p><b>Initiator swaps:</b></p><ul>");
            for (InitiatorSwap w : t.initiatorSwaps()) {
                h.append("<li>").append(Html.esc(w.time().clock())).append(' ').append(Html.esc(Html.peerLabel(t, w.newInitiator())))
                        .append(" took over from ").append(Html.esc(Html.peerLabel(t, w.previousInitiator()))).append(": ")
                        .append(Html.esc(w.cause().name().toLowerCase(Locale.ROOT).replace('_', ' '))).append(" — ")
                        .append(Html.esc(EvidenceWords.words(w.detail()))).append("</li>");
            }
            h.append("</ul>\n");
        }
    }

    private static void endpoints(StringBuilder h, Tunnel t) {
        h.append("<h3>Endpoint history</h3>\n");
        if (t.endpointChanges().isEmpty()) {
            h.append("<p>No endpoint change.</p>\n");
            return;
        }
        h.append("<div class=\"scroll\"><table><thead><tr><th>time (UTC)</th><th>peer</th><th>from</th><th>to</th><th>kind</th>"
                + "<th>idle s</th></tr></thead><tbody>\n");
        int n = 0;
        for (EndpointChange c : t.endpointChanges()) {
            if (n++ == MAX_ROWS) break;
            h.append("<tr><td>").append(Html.esc(c.time().clock())).append("</td><td>").append(Html.esc(Html.peerLabel(t, c.peer())))
                    .append("</td><td>").append(Html.esc(c.from())).append("</td><td>").append(Html.esc(c.to()))
                    .append("</td><td>").append(Html.esc(c.kind().name().toLowerCase(Locale.ROOT).replace('_', ' ')))
                    .append("</td><td class=\"n\">").append(Html.num(c.idleSeconds())).append("</td></tr>\n");
        }
        h.append("</tbody></table></div>\n");
    }

    private static void loss(StringBuilder h, Tunnel t) {
        h.append("<h3>Loss per direction</h3>\n");
        if (t.lossTotals().isEmpty()) {
            h.append("<p>No transport messages.</p>\n");
            return;
        }
        h.append("<div class=\"scroll\"><table><thead><tr><th>from</th><th>to</th><th>sent</th><th>missing</th><th>%</th>"
                + "<th>reordered</th></tr></thead><tbody>\n");
        for (Loss l : t.lossTotals()) {
            h.append("<tr><td>").append(Html.esc(Html.peerLabel(t, l.from()))).append("</td><td>").append(Html.esc(Html.peerLabel(t, l.to())))
                    .append("</td><td class=\"n\">").append(l.sent()).append("</td><td class=\"n\">").append(l.missing())
                    .append("</td><td class=\"n\">").append(Html.num(l.percent())).append("</td><td class=\"n\">").append(l.reordered())
                    .append("</td></tr>\n");
        }
        h.append("</tbody></table></div>\n<p class=\"meta\">Counter gaps seen at the capture point: loss between the sender and"
                + " this capture.</p>\n");
    }

    private static void evidence(StringBuilder h, Tunnel t) {
        MappingTimeout m = t.natMappingTimeout();
        h.append("<h3>Evidence</h3>\n<ul class=\"evidence\">");
        int n = 0;
        if (m != null) {
            for (Evidence e : m.evidence()) {
                n++;
                h.append("<li><time>").append(Html.esc(e.time().clock())).append("</time> ")
                        .append(Html.esc(e.outcome().name().toLowerCase(Locale.ROOT).replace('_', ' '))).append(": ")
                        .append(Html.esc(EvidenceWords.words(e.detail()))).append("</li>");
            }
        }
        for (IdleGap g : t.idleGaps()) {
            if (n++ >= MAX_ROWS) break;
            h.append("<li><time>").append(Html.esc(g.start().clock())).append("</time> ").append(Html.esc(Html.peerLabel(t, g.peer())))
                    .append(" idle ").append(Html.num(g.idleOutboundSeconds())).append(" s (")
                    .append(Html.num(g.idleAnySeconds())).append(" s either way): ")
                    .append(Html.esc(g.outcome().name().toLowerCase(Locale.ROOT).replace('_', ' ')))
                    .append(g.packetsIntoGap() > 0 ? ", " + Words.count(g.packetsIntoGap(), "packet") + " sent into it" : "").append("</li>");
        }
        if (n == 0) h.append("<li>No idle gap or mapping evidence in this capture.</li>");
        h.append("</ul>\n");
    }

    private static void join(StringBuilder h, CaptureJoin.Result j) {
        h.append("<section id=\"join\"><h2>Both capture points</h2>\n<p>").append(j.matchedHandshakeMessages())
                .append(" handshake messages matched");
        if (j.clockOffsetSeconds() != null) {
            h.append(String.format(Locale.ROOT, "; clock offset %.6f s, one-way delay %.6f s",
                    j.clockOffsetSeconds(), j.oneWayDelaySeconds()));
        }
        h.append(".</p>\n");
        if (!j.translations().isEmpty()) {
            h.append("<p><b>NAT translations</b></p><ul>");
            for (CaptureJoin.Translation tr : j.translations()) {
                h.append("<li><time>").append(Html.esc(tr.time().clock())).append("</time> ").append(Html.esc(tr.inside()))
                        .append(" → ").append(Html.esc(tr.outside())).append("</li>");
            }
            h.append("</ul>\n");
        }
        if (!j.lossTotals().isEmpty()) {
            h.append("<div class=\"scroll\"><table><thead><tr><th>from</th><th>to</th><th>sent past</th><th>delivered</th>"
                    + "<th>lost between</th><th>%</th></tr></thead><tbody>\n");
            for (CaptureJoin.Fate f : j.lossTotals()) {
                h.append("<tr><td>").append(Html.esc(f.from())).append("</td><td>").append(Html.esc(f.to())).append("</td><td class=\"n\">")
                        .append(f.seenUpstream()).append("</td><td class=\"n\">").append(f.delivered()).append("</td><td class=\"n\">")
                        .append(f.lost()).append("</td><td class=\"n\">").append(Html.num(f.percent())).append("</td></tr>\n");
            }
            h.append("</tbody></table></div>\n");
        }
        for (CaptureJoin.DeadMapping d : j.deadMappings()) {
            h.append("<p>Mapping found dead <time>").append(Html.esc(d.time().clock())).append("</time>: ")
                    .append(Html.esc(EvidenceWords.words(d.detail()))).append("</p>\n");
        }
        h.append("</section>\n");
    }

    private static String hex(java.awt.Color c) {
        return String.format(Locale.ROOT, "#%02x%02x%02x", c.getRed(), c.getGreen(), c.getBlue());
    }
}
