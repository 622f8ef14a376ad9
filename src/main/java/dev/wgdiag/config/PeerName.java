package dev.wgdiag.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A name for a [Peer] read from a comment, where it came from, and on which line of the file.
 * {@link #choose} picks one from the comments around a section: a generator's marker first, then the
 * first comment inside the section, then the last plain comment above it ({@link NameSource}).
 */
public record PeerName(String name, NameSource source, int line) {
    // Formats from the generators' code (see NameSource).
    private static final Pattern PIVPN_BEGIN = Pattern.compile("^###\\s*begin\\s+(\\S+)\\s*###$");
    private static final Pattern PIVPN_END = Pattern.compile("^###\\s*end\\s+\\S+\\s*###$");
    private static final Pattern NYR_BEGIN = Pattern.compile("^#\\s*BEGIN_PEER\\s+(\\S+)$");
    private static final Pattern NYR_END = Pattern.compile("^#\\s*END_PEER\\s+\\S+$");
    private static final Pattern WG_EASY = Pattern.compile(
            "^#\\s*Client:\\s*(.+?)\\s*\\(([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|\\d+)\\)$");
    private static final Pattern WIREGUARD_UI_NAME = Pattern.compile("^#\\s*Name:\\s*(.*?)\\s*$");
    private static final Pattern ANGRISTAN = Pattern.compile("^###\\s*Client\\s+(\\S+)$");
    /** A commented-out line of config ({@code #PersistentKeepalive = 25}, {@code #[Peer]}): not a name. */
    private static final Pattern COMMENTED_CONFIG = Pattern.compile(
            "^#+\\s*(\\[[A-Za-z]+\\]|(PrivateKey|PublicKey|PresharedKey|AllowedIPs|Endpoint|PersistentKeepalive|ListenPort|"
                    + "Address|DNS|MTU|Table|FwMark|SaveConfig|PreUp|PostUp|PreDown|PostDown)\\s*=.*)$",
            Pattern.CASE_INSENSITIVE);
    /** PiVPN comments out a disabled client's lines with this prefix (scripts/wireguard/disableCONF.sh). */
    private static final String PIVPN_DISABLED = "#[disabled]";

    /** One comment line of the file: its text from the first '#' on, trimmed, and its line number. */
    public record Comment(String text, int line) {
    }

    /**
     * The name of a section, or empty.
     *
     * @param above  comment lines between the previous section's last attribute (or header) and {@code [Peer]}
     * @param inside comment lines between {@code [Peer]} and the section's first attribute
     * @param rejected receives the candidates that lost, when they say something else (for a warning)
     */
    public static Optional<PeerName> choose(List<Comment> above, List<Comment> inside, List<PeerName> rejected) {
        List<PeerName> candidates = new ArrayList<>();
        Optional<PeerName> marker = marker(above);
        marker.ifPresent(candidates::add);
        for (Comment c : inside) {
            Optional<String> n = plain(c.text());
            if (n.isPresent()) {
                candidates.add(new PeerName(n.get(), NameSource.COMMENT_INSIDE, c.line()));
                break;
            }
        }
        // A generator's block above (e.g. wireguard-ui's "# Update at:" after "# Name:") is that generator's, not a free comment.
        for (int i = above.size() - 1; i >= 0 && marker.isEmpty(); i--) {
            Optional<String> n = plain(above.get(i).text());
            if (n.isPresent()) {
                candidates.add(new PeerName(n.get(), NameSource.COMMENT_ABOVE, above.get(i).line()));
                break;
            }
        }
        if (candidates.isEmpty()) return Optional.empty();
        PeerName winner = candidates.get(0);
        for (PeerName other : candidates.subList(1, candidates.size())) {
            if (!other.name().equals(winner.name())) rejected.add(other);
        }
        return Optional.of(winner);
    }

    /** The generator marker nearest above [Peer], scanning up through the comment block. */
    private static Optional<PeerName> marker(List<Comment> above) {
        for (int i = above.size() - 1; i >= 0; i--) {
            String t = above.get(i).text();
            int line = above.get(i).line();
            Matcher m;
            if ((m = PIVPN_BEGIN.matcher(t)).matches()) return Optional.of(new PeerName(m.group(1), NameSource.PIVPN, line));
            if ((m = NYR_BEGIN.matcher(t)).matches()) return Optional.of(new PeerName(m.group(1), NameSource.WIREGUARD_INSTALL, line));
            if ((m = WG_EASY.matcher(t)).matches()) return Optional.of(new PeerName(m.group(1), NameSource.WG_EASY, line));
            if ((m = ANGRISTAN.matcher(t)).matches()) return Optional.of(new PeerName(m.group(1), NameSource.ANGRISTAN, line));
            if ((m = WIREGUARD_UI_NAME.matcher(t)).matches() && !m.group(1).isEmpty()) {
                return Optional.of(new PeerName(m.group(1), NameSource.WIREGUARD_UI, line));
            }
            // The previous section's end marker closes the search: what lies above it is not about this peer.
            if (PIVPN_END.matcher(t).matches() || NYR_END.matcher(t).matches()) return Optional.empty();
        }
        return Optional.empty();
    }

    /** A free comment as a name: without its '#'s, unless it is a marker, a rule, a disabled or commented-out config line. */
    static Optional<String> plain(String text) {
        if (text.startsWith(PIVPN_DISABLED) || COMMENTED_CONFIG.matcher(text).matches()
                || PIVPN_END.matcher(text).matches() || NYR_END.matcher(text).matches()) {
            return Optional.empty();
        }
        String s = text.replaceFirst("^#+", "").replaceFirst("#+$", "").strip();
        // A rule of dashes, equals signs or stars separates, it names nothing.
        if (s.isEmpty() || s.chars().allMatch(ch -> "-=*_~#".indexOf(ch) >= 0 || Character.isWhitespace(ch))) return Optional.empty();
        if (s.toLowerCase(Locale.ROOT).equals("peer")) return Optional.empty();
        return Optional.of(s);
    }
}
