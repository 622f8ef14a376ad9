package dev.wgdiag.report;

import dev.wgdiag.timeline.Peer;
import dev.wgdiag.timeline.Tunnel;

import java.util.Locale;

/** Small HTML helpers: escaping of every text that comes from a capture or config, numbers, peer labels. */
final class Html {
    private Html() {
    }

    /** Escapes a value's text ({@link String#valueOf(Object)}; null gives ""). */
    static String esc(Object o) {
        return o == null ? "" : esc(o.toString());
    }

    /** Escapes text for element content and quoted attribute values. */
    static String esc(String s) {
        if (s == null) return "";
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> {
                    if (c < 0x20 && c != '\n' && c != '\t') b.append("&#xfffd;");
                    else b.append(c);
                }
            }
        }
        return b.toString();
    }

    static String num(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        String s = String.format(Locale.ROOT, "%.3f", v);
        return s.replaceAll("0+$", "").replaceAll("\\.$", "");
    }

    static String peerLabel(Tunnel t, String id) {
        for (Peer p : t.peers()) {
            if (p.id().equals(id)) return AdviceWords.peer(new dev.wgdiag.advice.PeerRef(id, p.name()));
        }
        return String.valueOf(id);
    }
}
