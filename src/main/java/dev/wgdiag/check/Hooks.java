package dev.wgdiag.check;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The commands of wg-quick's PreUp/PostUp/PreDown/PostDown hooks, as far as they set up forwarding:
 * iptables and ip6tables rules, nft commands, and the forwarding sysctls. wg-quick runs each hook
 * with bash after replacing {@code %i} by the interface name (wireguard-tools src/wg-quick/linux.bash
 * execute_hooks); this reads the text with bash's quoting and separators (; && || | &), keeps
 * {@code %i} as written and never runs anything.
 */
final class Hooks {
    private Hooks() {
    }

    /** One command of a hook line. */
    sealed interface Command {
        /** The hook's line. */
        int line();

        /** The command's words, quotes removed, as bash would pass them. */
        List<String> words();

        /** The command as written, words joined by one space. */
        default String text() {
            return String.join(" ", words());
        }
    }

    /** What an iptables command does to its chain. */
    enum Action {
        APPEND, INSERT, DELETE, POLICY, OTHER
    }

    /**
     * An iptables or ip6tables command.
     *
     * @param family 4 or 6
     * @param table  {@code -t} (filter by default)
     * @param chain  the chain of -A/-I/-D/-P
     * @param in     {@code -i} as written (a leading "!" when negated), or null
     * @param out    {@code -o}, likewise
     * @param target {@code -j} (for -P the policy), or null
     * @param spec   the rule's words without action, chain and position: equal specs are the same rule
     */
    record Iptables(int line, List<String> words, int family, String table, Action action, String chain, String in,
                    String out, String target, List<String> spec) implements Command {
    }

    /**
     * An nft command ({@code add rule inet nat postrouting oifname "eth0" masquerade}).
     *
     * @param verb   add, insert, create, delete, destroy, flush, ...
     * @param object table, chain, rule, ruleset, ...
     * @param family ip (nft's default), ip6, inet, ...
     * @param table  the table, or null ({@code flush ruleset})
     * @param chain  the chain, or null
     * @param expr   the words after the chain
     */
    record Nft(int line, List<String> words, String verb, String object, String family, String table, String chain,
               List<String> expr) implements Command {
    }

    /** A sysctl write ({@code sysctl -w net.ipv4.ip_forward=1}, {@code echo 1 > /proc/sys/...}). */
    record Sysctl(int line, List<String> words, String key, String value) implements Command {
    }

    /**
     * Any other command; {@code unread} when it may change the firewall in ways wgdiag cannot see (a
     * script, ufw, firewall-cmd, nft -f, iptables-restore), false for known harmless ones (ip, wg, echo).
     */
    record Other(int line, List<String> words, boolean unread) implements Command {
    }

    private static final Set<String> HARMLESS = Set.of("ip", "wg", "echo", "printf", "logger", "resolvectl", "resolvconf",
            "true", "false", "sleep", "touch", "rm", "mkdir", "chmod", "chown", "exit", "systemd-notify", "cat", "test", "[");
    private static final Set<String> NFT_FAMILIES = Set.of("ip", "ip6", "inet", "arp", "bridge", "netdev");

    /** The commands of one hook value. */
    static List<Command> parse(String hook, int line) {
        List<Command> out = new ArrayList<>();
        for (List<String> words : split(hook)) {
            Command c = command(words, line);
            if (c != null) out.add(c);
        }
        return out;
    }

    // ------------------------------------------------------------------ bash words

    /** Splits into commands at unquoted ; && || | & and newlines, and each command into words. */
    static List<List<String>> split(String s) {
        List<List<String>> commands = new ArrayList<>();
        List<String> words = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        boolean inWord = false;
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                w.append(s.charAt(i + 1));
                inWord = true;
                i += 2;
            } else if (c == '\'') {
                int end = s.indexOf('\'', i + 1);
                if (end < 0) end = s.length();
                w.append(s, i + 1, end);
                inWord = true;
                i = end + 1;
            } else if (c == '"') {
                int j = i + 1;
                while (j < s.length() && s.charAt(j) != '"') {
                    if (s.charAt(j) == '\\' && j + 1 < s.length()) j++;
                    w.append(s.charAt(j));
                    j++;
                }
                inWord = true;
                i = j + 1;
            } else if (c == '$' && i + 1 < s.length() && s.charAt(i + 1) == '(') {
                int depth = 0;
                int j = i + 1;
                for (; j < s.length(); j++) {
                    if (s.charAt(j) == '(') depth++;
                    else if (s.charAt(j) == ')' && --depth == 0) break;
                }
                w.append(s, i, Math.min(j + 1, s.length()));
                inWord = true;
                i = j + 1;
            } else if (c == '`') {
                int end = s.indexOf('`', i + 1);
                if (end < 0) end = s.length() - 1;
                w.append(s, i, end + 1);
                inWord = true;
                i = end + 1;
            } else if (c == '&' && i + 1 < s.length() && s.charAt(i + 1) == '>') {
                if (inWord) words.add(w.toString());
                w.setLength(0);
                inWord = false;
                words.add(">");
                i += (i + 2 < s.length() && s.charAt(i + 2) == '>') ? 3 : 2;
            } else if (c == ';' || c == '&' || c == '|' || c == '\n') {
                if (inWord) words.add(w.toString());
                w.setLength(0);
                inWord = false;
                if (!words.isEmpty()) commands.add(words);
                words = new ArrayList<>();
                i += (i + 1 < s.length() && (s.charAt(i + 1) == c)) ? 2 : 1;
            } else if (c == '>' || c == '<') {
                if (inWord) words.add(w.toString());
                w.setLength(0);
                inWord = false;
                words.add(String.valueOf(c));
                i += (i + 1 < s.length() && (s.charAt(i + 1) == '>' || s.charAt(i + 1) == '&')) ? 2 : 1;
            } else if (Character.isWhitespace(c)) {
                if (inWord) words.add(w.toString());
                w.setLength(0);
                inWord = false;
                i++;
            } else {
                w.append(c);
                inWord = true;
                i++;
            }
        }
        if (inWord) words.add(w.toString());
        if (!words.isEmpty()) commands.add(words);
        return commands;
    }

    private static Command command(List<String> all, int line) {
        int k = 0;
        while (k < all.size() && (all.get(k).equals("sudo") || all.get(k).equals("env") || all.get(k).equals("command")
                || all.get(k).equals("exec") || all.get(k).matches("[A-Za-z_][A-Za-z0-9_]*=.*"))) {
            k++;
        }
        if (k >= all.size()) return null;
        List<String> words = all.subList(k, all.size());
        String prog = words.get(0);
        prog = prog.substring(prog.lastIndexOf('/') + 1);
        int redirect = words.indexOf(">");
        if (redirect >= 0 && redirect + 1 < words.size() && words.get(redirect + 1).startsWith("/proc/sys/")
                && prog.equals("echo") && redirect >= 2) {
            return new Sysctl(line, all, procKey(words.get(redirect + 1)), words.get(redirect - 1));
        }
        if (prog.equals("tee") && words.size() >= 2 && words.get(words.size() - 1).startsWith("/proc/sys/")) {
            // the value comes from the command before the pipe (echo 1 | tee ...): take it as 1 when it is not seen
            return new Sysctl(line, all, procKey(words.get(words.size() - 1)), "1");
        }
        switch (prog) {
            case "iptables", "iptables-legacy", "iptables-nft" -> {
                return iptables(line, all, words, 4);
            }
            case "ip6tables", "ip6tables-legacy", "ip6tables-nft" -> {
                return iptables(line, all, words, 6);
            }
            case "nft" -> {
                return nft(line, all, words);
            }
            case "sysctl" -> {
                for (String w : words.subList(1, words.size())) {
                    int eq = w.indexOf('=');
                    if (!w.startsWith("-") && eq > 0) {
                        return new Sysctl(line, all, w.substring(0, eq).replace('/', '.'), w.substring(eq + 1));
                    }
                }
                return new Other(line, all, false);
            }
            default -> {
                return new Other(line, all, !HARMLESS.contains(prog));
            }
        }
    }

    private static String procKey(String path) {
        return path.substring("/proc/sys/".length()).replace('/', '.');
    }

    private static Iptables iptables(int line, List<String> all, List<String> w, int family) {
        String table = "filter";
        Action action = null;
        String chain = null;
        String in = null;
        String out = null;
        String target = null;
        boolean negate = false;
        List<String> spec = new ArrayList<>();
        for (int i = 1; i < w.size(); i++) {
            String t = w.get(i);
            String next = i + 1 < w.size() ? w.get(i + 1) : null;
            switch (t) {
                case "-t", "--table" -> {
                    table = next;
                    i++;
                }
                case "-A", "--append", "-D", "--delete", "-I", "--insert", "-P", "--policy" -> {
                    action = switch (t) {
                        case "-A", "--append" -> Action.APPEND;
                        case "-D", "--delete" -> Action.DELETE;
                        case "-I", "--insert" -> Action.INSERT;
                        default -> Action.POLICY;
                    };
                    chain = next;
                    i++;
                    if (action == Action.INSERT && i + 1 < w.size() && w.get(i + 1).matches("\\d+")) i++;
                }
                case "-w", "--wait" -> {
                    if (next != null && next.matches("\\d+(\\.\\d+)?")) i++;
                }
                case "!" -> {
                    negate = true;
                    spec.add(t);
                    continue;
                }
                default -> {
                    if (t.equals("-i") || t.equals("--in-interface")) {
                        in = (negate ? "!" : "") + next;
                    } else if (t.equals("-o") || t.equals("--out-interface")) {
                        out = (negate ? "!" : "") + next;
                    } else if (t.equals("-j") || t.equals("--jump")) {
                        target = next;
                    } else if (t.matches("-[NFXZLS]|--(new-chain|flush|delete-chain|zero|list|list-rules)")) {
                        action = Action.OTHER;
                    }
                    spec.add(t);
                }
            }
            negate = false;
        }
        if (action == Action.POLICY) target = spec.isEmpty() ? null : spec.get(spec.size() - 1);
        return new Iptables(line, all, family, table, action == null ? Action.OTHER : action, chain, in, out, target, spec);
    }

    private static Command nft(int line, List<String> all, List<String> w) {
        List<String> rest = new ArrayList<>();
        for (int i = 1; i < w.size(); i++) {
            String t = w.get(i);
            if (t.equals("-f") || t.equals("--file") || t.equals("-i") || t.equals("--interactive")) {
                return new Other(line, all, true);
            }
            if (rest.isEmpty() && t.startsWith("-")) continue; // -a, -e, -c, --handle ...
            rest.add(t);
        }
        // nft 'add rule inet filter forward accept': one quoted argument holds the whole command.
        if (rest.size() == 1 && rest.get(0).contains(" ")) {
            List<List<String>> inner = split(rest.get(0));
            if (inner.size() != 1) return new Other(line, all, true);
            rest = inner.get(0);
        }
        // nft add chain inet t c '{ type nat hook postrouting priority 100; }': the braces' words count one by one
        List<String> flat = new ArrayList<>();
        for (String t : rest) {
            for (String part : t.strip().split("\\s+")) if (!part.isEmpty()) flat.add(part);
        }
        rest = flat;
        if (rest.size() < 2) return new Other(line, all, true);
        String verb = rest.get(0).toLowerCase(Locale.ROOT);
        String object = rest.get(1).toLowerCase(Locale.ROOT);
        int i = 2;
        String family = "ip";
        if (i < rest.size() && NFT_FAMILIES.contains(rest.get(i))) family = rest.get(i++);
        if (object.equals("ruleset")) return new Nft(line, all, verb, object, family, null, null, List.of());
        String table = i < rest.size() ? rest.get(i++) : null;
        String chain = null;
        if (!object.equals("table") && i < rest.size()) chain = rest.get(i++);
        return new Nft(line, all, verb, object, family, table, chain, List.copyOf(rest.subList(Math.min(i, rest.size()), rest.size())));
    }

    // ------------------------------------------------------------------ meaning

    /** The families an nft rule applies to: its table's family, narrowed by ip/ip6 matches in the rule. */
    static Set<Integer> families(Nft n) {
        Set<Integer> f = switch (n.family()) {
            case "ip" -> Set.of(4);
            case "ip6" -> Set.of(6);
            case "inet" -> Set.of(4, 6);
            default -> Set.of();
        };
        List<String> e = n.expr();
        for (int i = 0; i + 1 < e.size(); i++) {
            String t = e.get(i);
            String next = e.get(i + 1);
            if (t.equals("ip") && (next.equals("saddr") || next.equals("daddr"))) return f.contains(4) ? Set.of(4) : Set.of();
            if (t.equals("ip6") && (next.equals("saddr") || next.equals("daddr"))) return f.contains(6) ? Set.of(6) : Set.of();
            if (t.equals("nfproto") && next.equals("ipv4")) return f.contains(4) ? Set.of(4) : Set.of();
            if (t.equals("nfproto") && next.equals("ipv6")) return f.contains(6) ? Set.of(6) : Set.of();
        }
        return f;
    }

    /** The value after an nft match word ({@code oifname "eth0"}, {@code iifname != "wg0"}: with "!" when negated), or null. */
    static String nftMatch(Nft n, String... names) {
        List<String> e = n.expr();
        for (int i = 0; i + 1 < e.size(); i++) {
            for (String name : names) {
                if (e.get(i).equals(name)) {
                    String v = e.get(i + 1);
                    if (v.equals("!=") && i + 2 < e.size()) return "!" + e.get(i + 2);
                    if (v.equals("==") && i + 2 < e.size()) return e.get(i + 2);
                    return v;
                }
            }
        }
        return null;
    }

    /** True for a command that adds a rule, chain or table. */
    static boolean adds(Command c) {
        if (c instanceof Iptables t) return t.action() == Action.APPEND || t.action() == Action.INSERT;
        if (c instanceof Nft n) return (n.verb().equals("add") || n.verb().equals("insert") || n.verb().equals("create"))
                && (n.object().equals("rule") || n.object().equals("chain") || n.object().equals("table"));
        return false;
    }

    /** True for a masquerading (or source-NAT) rule being added. */
    static boolean masquerades(Command c) {
        if (c instanceof Iptables t) {
            return adds(t) && "nat".equals(t.table()) && "POSTROUTING".equals(t.chain())
                    && ("MASQUERADE".equals(t.target()) || "SNAT".equals(t.target()));
        }
        if (c instanceof Nft n) {
            return adds(n) && n.object().equals("rule") && (n.expr().contains("masquerade") || n.expr().contains("snat"));
        }
        return false;
    }

    /** The out-interface of a rule, or null. */
    static String out(Command c) {
        if (c instanceof Iptables t) return t.out();
        if (c instanceof Nft n) return nftMatch(n, "oifname", "oif");
        return null;
    }

    /** The in-interface of a rule, or null. */
    static String in(Command c) {
        if (c instanceof Iptables t) return t.in();
        if (c instanceof Nft n) return nftMatch(n, "iifname", "iif");
        return null;
    }

    /** The families a rule applies to. */
    static Set<Integer> familiesOf(Command c) {
        if (c instanceof Iptables t) return Set.of(t.family());
        if (c instanceof Nft n) return families(n);
        if (c instanceof Sysctl s) return s.key().startsWith("net.ipv6.") ? Set.of(6) : s.key().startsWith("net.ipv4.") ? Set.of(4) : Set.of();
        return Set.of();
    }

    /**
     * A rule that lets forwarded packets through: iptables FORWARD ... -j ACCEPT (or the FORWARD
     * policy set to ACCEPT), nft "accept" in a chain named forward or hooked to forward.
     */
    static boolean acceptsForward(Command c, Set<String> forwardChains) {
        if (c instanceof Iptables t) {
            return "filter".equals(t.table()) && "FORWARD".equals(t.chain()) && "ACCEPT".equals(t.target())
                    && (adds(t) || t.action() == Action.POLICY);
        }
        if (c instanceof Nft n) {
            return adds(n) && n.object().equals("rule") && n.expr().contains("accept") && n.chain() != null
                    && (n.chain().equalsIgnoreCase("forward") || forwardChains.contains(n.family() + " " + n.table() + " " + n.chain()));
        }
        return false;
    }

    /** "family table chain" of every nft chain added with {@code hook forward}. */
    static Set<String> forwardChains(List<Command> cs) {
        Set<String> out = new java.util.HashSet<>();
        for (Command c : cs) {
            if (c instanceof Nft n && n.object().equals("chain") && adds(n)) {
                int h = n.expr().indexOf("hook");
                if (h >= 0 && h + 1 < n.expr().size() && n.expr().get(h + 1).replace(";", "").equals("forward")) {
                    out.add(n.family() + " " + n.table() + " " + n.chain());
                }
            }
        }
        return out;
    }

    /** The kernel's forwarding switch for a family turned on ({@code net.ipv4.ip_forward}, {@code net.ipv6.conf.all.forwarding}). */
    static boolean enablesForwarding(Command c, int family) {
        if (!(c instanceof Sysctl s) || !s.value().strip().equals("1")) return false;
        return family == 4 ? s.key().equals("net.ipv4.ip_forward") || s.key().equals("net.ipv4.conf.all.forwarding")
                : s.key().equals("net.ipv6.conf.all.forwarding");
    }

    /**
     * Whether {@code down} undoes {@code up}: an iptables -D of the same rule; for nft, deleting or
     * flushing what holds the rule (its chain, its table, the ruleset).
     */
    static boolean undoes(Command down, Command up) {
        if (up instanceof Iptables u && down instanceof Iptables d) {
            return d.action() == Action.DELETE && d.family() == u.family() && java.util.Objects.equals(d.table(), u.table())
                    && java.util.Objects.equals(d.chain(), u.chain()) && d.spec().equals(u.spec());
        }
        if (up instanceof Nft u && down instanceof Nft d) {
            boolean removes = d.verb().equals("delete") || d.verb().equals("destroy") || d.verb().equals("flush");
            if (!removes) return false;
            if (d.object().equals("ruleset")) return true;
            boolean sameTable = d.family().equals(u.family()) && java.util.Objects.equals(d.table(), u.table());
            if (d.object().equals("table")) return sameTable;
            if (d.object().equals("chain")) {
                return sameTable && u.chain() != null && u.chain().equals(d.chain()) && !u.object().equals("table");
            }
            if (d.object().equals("rule")) return sameTable && java.util.Objects.equals(d.chain(), u.chain()) && u.object().equals("rule");
        }
        return false;
    }

    /** The command that undoes {@code up}, or null when no safe one exists (a rule added to a table the hooks do not own). */
    static String undo(Command up, List<Command> allUp) {
        if (up instanceof Iptables u) {
            List<String> w = new ArrayList<>(u.words());
            for (int i = 0; i < w.size(); i++) {
                String t = w.get(i);
                if (t.equals("-A") || t.equals("--append")) {
                    w.set(i, "-D");
                } else if (t.equals("-I") || t.equals("--insert")) {
                    w.set(i, "-D");
                    if (i + 2 < w.size() && w.get(i + 2).matches("\\d+")) w.remove(i + 2);
                }
            }
            return quoteJoin(w);
        }
        if (up instanceof Nft u) {
            boolean ownTable = allUp.stream().anyMatch(c -> c instanceof Nft n && adds(n) && n.object().equals("table")
                    && n.family().equals(u.family()) && n.table().equals(u.table()));
            if (ownTable || u.object().equals("table")) return "nft delete table " + u.family() + " " + u.table();
            if (u.object().equals("chain")) return "nft delete chain " + u.family() + " " + u.table() + " " + u.chain();
            return null;
        }
        return null;
    }

    private static String quoteJoin(List<String> words) {
        List<String> out = new ArrayList<>();
        for (String w : words) out.add(w.isEmpty() || w.matches(".*[\\s;&|<>\"'].*") ? "'" + w + "'" : w);
        return String.join(" ", out);
    }
}
