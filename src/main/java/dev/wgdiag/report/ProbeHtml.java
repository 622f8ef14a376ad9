package dev.wgdiag.report;

import dev.wgdiag.probe.Observation;
import dev.wgdiag.probe.ProbeProfile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.stream.Collectors;

/**
 * {@code wgdiag probe --html}: the NAT profile as one self-contained HTML page in the analyze report's
 * style ({@link HtmlReport}'s style sheet): no script, nothing loaded from the network, readable at
 * phone width. Order: the PersistentKeepalive card, the profile table (with the JSON name of each
 * field), the observations. No clock time (only durations), numbers in Locale.ROOT; every text that
 * comes from the user (the title: config and endpoint) is escaped.
 */
public final class ProbeHtml {
    private ProbeHtml() {
    }

    public static void write(ProbeProfile p, String title, Writer out) {
        try {
            out.write(toHtml(p, title));
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @param title what was probed, e.g. "phone.conf towards 192.0.2.1:51820" */
    public static String toHtml(ProbeProfile p, String title) {
        StringBuilder h = new StringBuilder(16 * 1024);
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n")
                .append("<title>wgdiag probe: ").append(Html.esc(title)).append("</title>\n<style>")
                .append(HtmlReport.CSS).append("</style>\n</head>\n<body>\n<main>\n");
        h.append("<h1>NAT probe profile</h1>\n<p class=\"meta\">").append(Html.esc(title)).append("<br>")
                .append(p.observations().size()).append(" flows observed in ").append(Html.num(Math.round(p.durationSeconds() * 10) / 10.0))
                .append(" s</p>\n");
        ProbeProfile.Recommendation r = p.recommendation();
        h.append("<section id=\"recommendation\">\n<h2>What to change</h2>\n<div class=\"card").append(r == null || r.persistentKeepalive() == null ? " note" : "")
                .append("\"><h3>PersistentKeepalive</h3><p>").append(Html.esc(ProbeWords.recommendation(r))).append("</p>");
        if (r != null && r.persistentKeepalive() != null) {
            h.append("<pre>[Peer]\nPersistentKeepalive = ").append(r.persistentKeepalive()).append("</pre>");
        }
        h.append("</div>\n</section>\n");
        h.append("<section id=\"profile\">\n<h2>Profile</h2>\n<div class=\"scroll\"><table>\n<tr><th>Measured</th><th>Result</th><th>JSON</th></tr>\n");
        row(h, "Established (two-way) flow mapping lifetime", ProbeWords.bracket(p.lifetime()), "mapping.lifetimeSeconds");
        row(h, "One-way flow (handshake, then silence) lifetime", ProbeWords.bracket(p.oneWayLifetime()), "mapping.oneWayLifetimeSeconds");
        row(h, "Mapping behaviour (RFC 4787)", ProbeWords.behaviour(p.behaviours().mapping()), "mapping.behaviour");
        row(h, "Filtering behaviour (RFC 4787)", ProbeWords.behaviour(p.behaviours().filtering()), "filtering.behaviour");
        row(h, "Inbound refresh (server-only traffic keeps the mapping)", ProbeWords.yesNo(p.inboundRefresh()), "mapping.inboundRefresh");
        row(h, "Port preservation", ProbeWords.yesNo(p.portPreservation()), "mapping.portPreservation");
        row(h, "Port allocation", p.portAllocation() == null ? "not measured"
                : p.portAllocation().name().toLowerCase(java.util.Locale.ROOT), "mapping.portAllocation");
        row(h, "Public endpoints seen by the server", p.publicEndpoints().isEmpty() ? "none reported"
                : p.publicEndpoints().stream().map(ProbeWords::endpoint).collect(Collectors.joining(", ")), "mapping.publicEndpoints");
        h.append("</table></div>\n</section>\n");
        h.append("<section id=\"observations\">\n<h2>Flows</h2>\n<div class=\"scroll\"><table>\n")
                .append("<tr><th>Timer</th><th>Idle s</th><th>Mapping</th><th>Local port</th><th>Public endpoint</th></tr>\n");
        int rows = 0;
        for (Observation o : p.observations()) {
            if (rows++ == HtmlReport.MAX_ROWS) break;
            h.append("<tr><td>").append(ProbeWords.timer(o.timer())).append("</td><td class=\"n\">").append(Html.num(o.idleSeconds()))
                    .append("</td><td>").append(o.lived() ? "lived" : "died").append("</td><td class=\"n\">").append(o.localPort())
                    .append("</td><td>").append(Html.esc(o.seen() == null ? "" : ProbeWords.endpoint(o.seen()))).append("</td></tr>\n");
        }
        h.append("</table></div>\n");
        if (p.observations().size() > HtmlReport.MAX_ROWS) {
            h.append("<p class=\"meta\">First ").append(HtmlReport.MAX_ROWS).append(" of ").append(p.observations().size())
                    .append(" flows; the JSON has them all.</p>\n");
        }
        h.append("<p class=\"meta\">A bracket (L, U] s: a mapping idle L s still delivered the server's packet, one idle U s did not."
                + " Established: the flow was two-way for 2.5 s first (conntrack's stream timer); one-way: silent right after its"
                + " handshake.</p>\n</section>\n");
        h.append("<footer>Made by wgdiag probe; the page loads nothing from the network."
                + " JSON with every field: <code>wgdiag probe --format json</code>.</footer>\n");
        h.append("</main>\n</body>\n</html>\n");
        return h.toString();
    }

    private static void row(StringBuilder h, String what, String result, String json) {
        h.append("<tr><td>").append(Html.esc(what)).append("</td><td>").append(Html.esc(result)).append("</td><td><code>")
                .append(Html.esc(json)).append("</code></td></tr>\n");
    }
}
