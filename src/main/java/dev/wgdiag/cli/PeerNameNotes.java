package dev.wgdiag.cli;

import dev.wgdiag.config.NameSource;
import dev.wgdiag.config.PeerName;
import dev.wgdiag.config.PeerSection;
import dev.wgdiag.config.WgConfig;

import java.util.ArrayList;
import java.util.List;

/** Says which comment named a [Peer] when two naming styles in a config disagree. */
final class PeerNameNotes {
    private PeerNameNotes() {
    }

    /** One line per [Peer] whose comments would name it differently, e.g. for standard error. */
    static List<String> of(WgConfig config) {
        List<String> out = new ArrayList<>();
        for (PeerSection p : config.peers()) {
            PeerName won = p.commentName().orElse(null);
            if (won == null || p.overruledNames().isEmpty()) continue;
            StringBuilder sb = new StringBuilder(config.name()).append(':').append(p.line()).append(": [Peer] named \"")
                    .append(won.name()).append("\" by ").append(describe(won.source())).append(" (line ").append(won.line())
                    .append("), not ");
            List<String> lost = new ArrayList<>();
            for (PeerName o : p.overruledNames()) {
                lost.add("\"" + o.name() + "\" from " + describe(o.source()) + " (line " + o.line() + ")");
            }
            sb.append(String.join(" or ", lost));
            sb.append(won.source().isGeneratorMarker() ? ": a generator's marker outranks a hand-written comment"
                    : ": a comment inside the section belongs to it, one above may head a group or close the previous peer");
            out.add(sb.toString());
        }
        return out;
    }

    static String describe(NameSource s) {
        return switch (s) {
            case PIVPN -> "PiVPN's \"### begin NAME ###\" marker";
            case WIREGUARD_INSTALL -> "wireguard-install's \"# BEGIN_PEER NAME\" marker";
            case WG_EASY -> "wg-easy's \"# Client: NAME (ID)\" comment";
            case WIREGUARD_UI -> "wireguard-ui's \"# Name:\" comment";
            case ANGRISTAN -> "the \"### Client NAME\" comment of angristan's wireguard-install";
            case COMMENT_INSIDE -> "the first comment inside the section";
            case COMMENT_ABOVE -> "the comment above [Peer]";
        };
    }
}
