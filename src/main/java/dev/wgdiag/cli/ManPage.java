package dev.wgdiag.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Man pages in troff (the man(7) macros) rendered from the picocli model, so a page says what
 * {@code --help} says: {@code wgdiag(1)} with every command, and {@code wgdiag-COMMAND(1)} for each
 * command. Names, synopses, descriptions and options come from the commands' annotations, the
 * examples from their help footers, the exit codes from the root's exit code list ({@link ExitCode});
 * only the files, the environment and the cross references are written here.
 *
 * <p>The output is ASCII: other characters become groff's {@code \[uXXXX]}.
 */
final class ManPage {
    /** A page: its file name ({@code wgdiag-analyze.1}) and its troff source. */
    record Page(String fileName, String troff) {
    }

    /** What the launcher reads; a test checks that every variable the launcher uses is here. */
    private static final String[][] ENVIRONMENT = {
            {"JAVA_HOME", "The Java runtime to use when it is version 17 or newer. Otherwise the launcher takes the first"
                    + " Java 17 or newer of java on the PATH and /usr/lib/jvm/*."},
            {"WGDIAG_JAVA_OPTS", "More options for the Java virtual machine, after the launcher's own"
                    + " (a bounded heap and the serial collector), e.g. -Xmx1g for a larger heap."},
            {"WGDIAG_JAR", "The jar to run instead of the installed /usr/share/wgdiag/wgdiag.jar (or target/wgdiag.jar"
                    + " in a source tree)."},
            {"XDG_CACHE_HOME", "Where the launcher keeps its class data sharing archive (faster start):"
                    + " $XDG_CACHE_HOME/wgdiag/wgdiag-*.jsa, made by the first analyze run, replaced when the Java"
                    + " runtime or wgdiag changes, never needed (delete it at will). Without it, $HOME/.cache/wgdiag;"
                    + " when that cannot be written, nothing is."},
            {"HOME", "See XDG_CACHE_HOME."},
            {"WGDIAG_CDS", "0: neither make nor use the class data sharing archive."},
    };

    /** The package's files (the Debian package installs them; a test checks them against the package). */
    private static final String[][] FILES = {
            {"/usr/bin/wgdiag", "The launcher: finds a Java 17 runtime and runs the jar."},
            {"/usr/share/wgdiag/wgdiag.jar", "The program."},
            {"/usr/share/bash-completion/completions/wgdiag", "Completion for bash."},
            {"/usr/share/zsh/vendor-completions/_wgdiag", "Completion for zsh."},
            {"/etc/wireguard/*.conf", "WireGuard configurations; read only when named with --config, never written."},
    };

    private static final String SEE_ALSO = "wg(8), wg\\-quick(8), tcpdump(8), tshark(1), pcap\\-filter(7)";

    private final CommandSpec root;
    private final String date;
    private final String source;

    private ManPage(CommandSpec root, String date, String source) {
        this.root = root;
        this.date = date;
        this.source = source;
    }

    /**
     * {@code wgdiag.1} first, then one page per command except {@code help}; {@code date} as
     * YYYY-MM-DD and {@code source} ({@code wgdiag 0.1.0}) for the pages' footer.
     */
    static List<Page> pages(CommandLine root, String date, String source) {
        ManPage m = new ManPage(root.getCommandSpec(), date, source);
        List<Page> pages = new ArrayList<>();
        pages.add(new Page(m.root.name() + ".1", m.rootPage()));
        for (CommandSpec sub : m.commands()) {
            if (sub.helpCommand()) continue;
            pages.add(new Page(pageName(sub) + ".1", m.commandPage(sub)));
        }
        return pages;
    }

    private String rootPage() {
        StringBuilder t = new StringBuilder();
        header(t, root.name());
        t.append(".SH NAME\n").append(esc(root.name())).append(" \\- ").append(esc(summary(root))).append('\n');
        t.append(".SH SYNOPSIS\n");
        synopsis(t, root);
        for (CommandSpec sub : commands()) {
            t.append(".br\n");
            synopsis(t, sub);
        }
        t.append(".SH DESCRIPTION\n");
        description(t, root);
        StringBuilder pagesList = new StringBuilder();
        for (CommandSpec sub : commands()) {
            if (sub.helpCommand()) continue;
            if (!pagesList.isEmpty()) pagesList.append(", ");
            pagesList.append("\\fB").append(esc(pageName(sub))).append("\\fR(1)");
        }
        t.append(".PP\nEach command also has its own page: ").append(pagesList).append(".\n");
        t.append(".SH OPTIONS\n");
        options(t, root);
        t.append(".SH COMMANDS\n");
        for (CommandSpec sub : commands()) {
            t.append(".SS ").append(esc(sub.name())).append('\n');
            synopsis(t, sub);
            description(t, sub);
            if (!visibleOptions(sub).isEmpty()) {
                t.append(".PP\nOptions:\n");
                options(t, sub);
            }
        }
        List<String[]> examples = new ArrayList<>(examples(root));
        for (CommandSpec sub : commands()) examples.addAll(examples(sub));
        examplesSection(t, examples);
        exitStatus(t);
        table(t, "ENVIRONMENT", ENVIRONMENT);
        t.append(".PP\nNo other variable changes what wgdiag does: its output is the same in every locale and time zone"
                + " (times are in UTC).\n");
        table(t, "FILES", FILES);
        t.append(".SH SEE ALSO\n").append(SEE_ALSO).append('\n');
        return t.toString();
    }

    private String commandPage(CommandSpec sub) {
        StringBuilder t = new StringBuilder();
        header(t, pageName(sub));
        t.append(".SH NAME\n").append(esc(pageName(sub))).append(" \\- ").append(esc(summary(sub))).append('\n');
        t.append(".SH SYNOPSIS\n");
        synopsis(t, sub);
        t.append(".SH DESCRIPTION\n");
        description(t, sub);
        if (!visibleOptions(sub).isEmpty()) {
            t.append(".SH OPTIONS\n");
            options(t, sub);
        }
        examplesSection(t, examples(sub));
        exitStatus(t);
        t.append(".SH SEE ALSO\n\\fB").append(esc(root.name())).append("\\fR(1), ").append(SEE_ALSO).append('\n');
        return t.toString();
    }

    private void header(StringBuilder t, String name) {
        t.append(".\\\" ").append(name).append("(1), generated by the build from wgdiag's command-line model"
                + " (picocli annotations): edit those, not this.\n");
        t.append(".TH ").append(esc(name.toUpperCase(Locale.ROOT))).append(" 1 ").append(quoted(date)).append(' ')
                .append(quoted(source)).append(' ').append(quoted("User Commands")).append('\n');
        // No hyphenation (it would split option and file names) and a ragged right margin.
        t.append(".nh\n.ad l\n");
    }

    /** The commands in declaration order, each once (picocli maps aliases to the same command too). */
    private List<CommandSpec> commands() {
        Map<CommandSpec, Boolean> seen = new IdentityHashMap<>();
        List<CommandSpec> list = new ArrayList<>();
        for (CommandLine c : root.subcommands().values()) {
            CommandSpec s = c.getCommandSpec();
            if (!s.usageMessage().hidden() && seen.put(s, true) == null) list.add(s);
        }
        return list;
    }

    private static String pageName(CommandSpec sub) {
        return sub.qualifiedName("-");
    }

    /** The first description line without its final period: the NAME line's summary. */
    private static String summary(CommandSpec spec) {
        String[] d = spec.usageMessage().description();
        String first = d.length == 0 ? spec.name() : format(d[0]);
        return first.endsWith(".") ? first.substring(0, first.length() - 1) : first;
    }

    /** {@code wgdiag analyze [OPTIONS] FILE [FILE]}: name in bold, placeholders in italics. */
    private static void synopsis(StringBuilder t, CommandSpec spec) {
        t.append("\\fB").append(esc(spec.qualifiedName(" "))).append("\\fR");
        if (!visibleOptions(spec).isEmpty()) t.append(" [\\fIOPTIONS\\fR]");
        for (PositionalParamSpec p : spec.positionalParameters()) {
            if (p.hidden()) continue;
            String label = "\\fI" + esc(label(p.paramLabel())) + "\\fR";
            int min = p.arity().min();
            int max = p.arity().max();
            for (int i = 0; i < min; i++) t.append(' ').append(label);
            if (max == Integer.MAX_VALUE) {
                t.append(" [").append(label).append("...]");
            } else {
                for (int i = min; i < max; i++) t.append(" [").append(label).append(']');
            }
        }
        if (!spec.subcommands().isEmpty()) t.append(" \\fICOMMAND\\fR [\\fIARGS\\fR]");
        t.append('\n');
    }

    private static void description(StringBuilder t, CommandSpec spec) {
        for (String line : spec.usageMessage().description()) {
            t.append(".PP\n").append(esc(format(line))).append('\n');
        }
    }

    private static List<OptionSpec> visibleOptions(CommandSpec spec) {
        List<OptionSpec> list = new ArrayList<>();
        for (OptionSpec o : spec.options()) if (!o.hidden()) list.add(o);
        return list;
    }

    /** One tagged paragraph per option: {@code -o, --output=FILE}, then its description. */
    private static void options(StringBuilder t, CommandSpec spec) {
        for (OptionSpec o : visibleOptions(spec)) {
            t.append(".TP\n");
            String[] names = o.names();
            for (int i = 0; i < names.length; i++) {
                if (i > 0) t.append(", ");
                if (o.negatable() && names[i].startsWith("--")) {
                    t.append("\\fB\\-\\-\\fR[\\fBno\\-\\fR]\\fB").append(esc(names[i].substring(2))).append("\\fR");
                } else {
                    t.append("\\fB").append(esc(names[i])).append("\\fR");
                }
            }
            if (!o.typeInfo().isBoolean() && o.arity().max() > 0) {
                t.append("=\\fI").append(esc(label(o.paramLabel()))).append("\\fR");
            }
            t.append('\n');
            List<String> lines = new ArrayList<>();
            for (String line : o.renderedDescription()) lines.add(format(line));
            t.append(esc(String.join(" ", lines))).append('\n');
        }
    }

    /**
     * The help footer's examples: a line indented by two spaces is a command line, a line indented
     * further explains the command above it. Returns {command, explanation} pairs.
     */
    static List<String[]> examples(CommandSpec spec) {
        List<String[]> list = new ArrayList<>();
        for (String raw : spec.usageMessage().footer()) {
            for (String line : format(raw).split("\n")) {
                if (line.isBlank()) continue;
                if (line.startsWith("  ") && !line.startsWith("   ")) {
                    list.add(new String[]{line.strip(), ""});
                } else if (!list.isEmpty()) {
                    String[] last = list.get(list.size() - 1);
                    last[1] = (last[1] + " " + line.strip()).strip();
                }
            }
        }
        return list;
    }

    private static void examplesSection(StringBuilder t, List<String[]> examples) {
        if (examples.isEmpty()) return;
        t.append(".SH EXAMPLES\n");
        Set<String> seen = new LinkedHashSet<>();
        for (String[] e : examples) {
            if (!seen.add(e[0])) continue;
            t.append(".TP\n\\fB").append(esc(e[0])).append("\\fR\n");
            t.append(e[1].isEmpty() ? ".br\n" : esc(e[1]) + "\n");
        }
    }

    private void exitStatus(StringBuilder t) {
        Map<String, String> codes = root.usageMessage().exitCodeList();
        if (codes.isEmpty()) return;
        t.append(".SH EXIT STATUS\n");
        for (Map.Entry<String, String> e : codes.entrySet()) {
            t.append(".TP\n\\fB").append(esc(e.getKey().strip())).append("\\fR\n")
                    .append(esc(format(e.getValue()))).append('\n');
        }
    }

    private static void table(StringBuilder t, String section, String[][] rows) {
        t.append(".SH ").append(section).append('\n');
        for (String[] row : rows) {
            t.append(".TP\n\\fB").append(esc(row[0])).append("\\fR\n").append(esc(row[1])).append('\n');
        }
    }

    /** {@code <format>} (picocli's default label) becomes {@code FORMAT}; explicit labels stay. */
    private static String label(String paramLabel) {
        if (paramLabel.startsWith("<") && paramLabel.endsWith(">")) {
            return paramLabel.substring(1, paramLabel.length() - 1).toUpperCase(Locale.ROOT);
        }
        return paramLabel;
    }

    /** picocli's help texts are format strings: {@code %n} is a line break, {@code %%} a percent sign. */
    private static String format(String s) {
        return s.replace("%n", "\n").replace("%%", "%");
    }

    private static String quoted(String s) {
        return "\"" + esc(s).replace("\"", "\\(dq") + "\"";
    }

    /**
     * Text safe for troff: backslashes and hyphens escaped ({@code \-} keeps option dashes copyable),
     * non-ASCII as {@code \[uXXXX]}, and a line never starts with a control character ({@code .} or {@code '}).
     */
    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        boolean lineStart = true;
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            i += Character.charCount(c);
            if (lineStart && (c == '.' || c == '\'')) b.append("\\&");
            lineStart = c == '\n';
            if (c == '\\') {
                b.append("\\e");
            } else if (c == '-') {
                b.append("\\-");
            } else if (c == '\n' || (c >= 0x20 && c < 0x7f)) {
                b.append((char) c);
            } else if (c == '\t') {
                b.append(' ');
            } else {
                b.append(String.format(Locale.ROOT, "\\[u%04X]", c));
            }
        }
        return b.toString();
    }
}
