package dev.wgdiag.config;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A config file as lines: its sections in order, each with the attributes written in it and their
 * line numbers, nothing interpreted and nothing rejected. The lexical rules are wg's and wg-quick's:
 * '#' starts a comment to the end of the line, a line starting with '[' opens a section, other lines
 * are {@code Key = Value} split at the first '=' (wireguard-tools src/config.c and wg-quick's
 * parse_options). A comment line right above {@code [Peer]} (blank lines between allowed) is kept as
 * that section's comment: wgdiag's peer name.
 */
public record RawConfig(String name, List<Section> sections) {

    public RawConfig {
        sections = List.copyOf(sections);
    }

    /** What a section header says. */
    public enum Kind {
        INTERFACE, PEER,
        /** A bracketed header that is neither [Interface] nor [Peer]. */
        UNKNOWN,
        /** The lines before the first header (any attribute there is outside of every section). */
        NONE
    }

    /**
     * One section.
     *
     * @param header  the header as written ({@code [Peer]}), empty for {@link Kind#NONE}
     * @param line    the header's line, 0 for {@link Kind#NONE}
     * @param comment the comment right above the header, or null
     * @param above   every comment line between the previous section's last line and the header (with '#')
     * @param inside  the comment on the header line and those before the section's first attribute
     */
    public record Section(Kind kind, String header, int line, String comment, List<Entry> entries,
                          List<PeerName.Comment> above, List<PeerName.Comment> inside) {
        public Section {
            entries = List.copyOf(entries);
            above = List.copyOf(above);
            inside = List.copyOf(inside);
        }

        /** The attribute entries (well-formed {@code Key = Value} lines). */
        public List<Entry> attributes() {
            return entries.stream().filter(e -> !e.malformed()).toList();
        }
    }

    /**
     * One non-empty line inside a section.
     *
     * @param key   the name as written, trimmed; null when the line has no '='
     * @param value the value, trimmed ("" when empty); null when the line has no '='
     */
    public record Entry(int line, String key, String value) {
        /** True for a line that is neither a header nor {@code Key = Value}. */
        public boolean malformed() {
            return key == null;
        }

        /** The known attribute this names in the given section. */
        public Optional<Attribute> attribute(Attribute.Section section) {
            return malformed() ? Optional.empty() : Attribute.named(section, key);
        }
    }

    /** Reads every line; never fails on content. */
    public static RawConfig parse(String name, Reader reader) throws IOException {
        BufferedReader br = reader instanceof BufferedReader b ? b : new BufferedReader(reader);
        List<Section> sections = new ArrayList<>();
        Kind kind = Kind.NONE;
        String header = "";
        int headerLine = 0;
        String headerComment = null;
        List<Entry> entries = new ArrayList<>();
        String lastComment = null;
        List<PeerName.Comment> comments = new ArrayList<>();
        List<PeerName.Comment> above = List.of();
        List<PeerName.Comment> inside = new ArrayList<>();
        boolean hasAttribute = false;
        int lineNo = 0;
        for (String raw = br.readLine(); raw != null; raw = br.readLine()) {
            lineNo++;
            String trimmed = raw.strip();
            int hash = raw.indexOf('#');
            String content = (hash < 0 ? raw : raw.substring(0, hash)).strip();
            if (content.isEmpty()) {
                if (trimmed.startsWith("#")) {
                    lastComment = trimmed.substring(1).strip();
                    comments.add(new PeerName.Comment(trimmed, lineNo));
                }
                continue;
            }
            String comment = lastComment;
            lastComment = null;
            List<PeerName.Comment> before = List.copyOf(comments);
            comments.clear();
            if (content.startsWith("[")) {
                if (kind != Kind.NONE || !entries.isEmpty()) {
                    sections.add(new Section(kind, header, headerLine, headerComment, entries, above, inside));
                }
                above = before;
                // "[Peer] # laptop": a comment on the header line is the first one inside the section.
                inside = new ArrayList<>();
                if (hash >= 0) inside.add(new PeerName.Comment(raw.substring(hash).strip(), lineNo));
                hasAttribute = false;
                String s = content.toLowerCase(Locale.ROOT);
                kind = s.equals("[interface]") ? Kind.INTERFACE : s.equals("[peer]") ? Kind.PEER : Kind.UNKNOWN;
                header = content;
                headerLine = lineNo;
                headerComment = comment;
                entries = new ArrayList<>();
                continue;
            }
            if (!hasAttribute) {
                inside.addAll(before);
                hasAttribute = true;
            }
            int eq = content.indexOf('=');
            if (eq <= 0 || content.substring(0, eq).isBlank()) {
                entries.add(new Entry(lineNo, null, null));
            } else {
                entries.add(new Entry(lineNo, content.substring(0, eq).strip(), content.substring(eq + 1).strip()));
            }
        }
        if (kind != Kind.NONE || !entries.isEmpty()) {
            sections.add(new Section(kind, header, headerLine, headerComment, entries, above, inside));
        }
        return new RawConfig(name, sections);
    }
}
