package dev.wgdiag.cli;

import dev.wgdiag.pcap.CaptureException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** Entry point. Tests drive the whole CLI through {@link #run(PrintWriter, PrintWriter, String...)}. */
@Command(name = "wgdiag", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = {"WireGuard NAT-traversal and connection-stability diagnostics, from evidence in packets.",
                "Reads a capture, or captures live, and tells who initiates handshakes and why the initiator swaps,"
                        + " how long the NAT keeps a UDP mapping, what keeps the tunnel alive, what was lost,"
                        + " and which PersistentKeepalive and ListenPort would make the tunnel stable."},
        footerHeading = "%nExamples:%n",
        footer = {
                "  wgdiag analyze trace.pcap",
                "      Explain a capture.",
                "  sudo wgdiag capture eth0 -w trace.pcapng",
                "      Capture live and tell the story as it happens.",
                "  wgdiag check server.conf phone.conf",
                "      Find what is wrong in a pair of configs before any packet flows.",
                "  wgdiag peer phone.conf --ping 10.0.0.1",
                "      Be the phone: a userspace WireGuard peer that pings through the tunnel.",
                "  wgdiag help analyze",
                "      A command's options and examples."})
public final class Main implements Callable<Integer> {

    /**
     * The subcommands, in the order help lists them. Added in {@link #commandLine} rather than named in
     * the annotation: picocli builds each one's model by reflection (about 0.1 s of a 0.4 s run,
     * docs/benchmarks.md "Start-up"), so a command line naming one first gets only that one.
     */
    private static final List<Class<?>> COMMANDS = List.of(AnalyzeCommand.class, CaptureCommand.class, CheckCommand.class,
            PeerCommand.class, ProbeCommand.class, KeyCommands.GenkeyCommand.class, KeyCommands.PubkeyCommand.class,
            KeyCommands.GenpskCommand.class, CommandLine.HelpCommand.class);

    @Option(names = "--debug", scope = CommandLine.ScopeType.INHERIT, description = "Show stack traces of internal errors.")
    boolean debug;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        // Standard output through a 64 KiB buffer of its own: System.out flushes every write (its buffer
        // is 128 bytes and it flushes automatically), a write(2) per 8 KiB for a 900 MB JSON document.
        // Nothing else writes to file descriptor 1; commands flush where output must show at once (live capture).
        PrintWriter out = new PrintWriter(new OutputStreamWriter(
                new java.io.BufferedOutputStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), 1 << 16),
                StandardCharsets.UTF_8), false);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        int code = run(System.in, out, err, STDOUT, args);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /** What standard output is, for genkey's world-accessible warning: Linux's link to the file behind fd 1. */
    private static final Path STDOUT = Path.of("/proc/self/fd/1");

    /** Runs one command line with an empty standard input; never throws; returns the exit code. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        return run(InputStream.nullInputStream(), out, err, args);
    }

    /** Runs one command line; never throws; returns the exit code. */
    public static int run(InputStream in, PrintWriter out, PrintWriter err, String... args) {
        return run(in, out, err, null, args);
    }

    /**
     * As {@link #run(InputStream, PrintWriter, PrintWriter, String...)}; {@code stdoutFile} is the file
     * behind {@code out} when there is one (null: none), which genkey and genpsk check as wg(8) does.
     */
    static int run(InputStream in, PrintWriter out, PrintWriter err, Path stdoutFile, String... args) {
        CommandLine cl = commandLine(in, out, err, stdoutFile, args.length > 0 ? args[0] : null);
        try {
            return cl.execute(args);
        } finally {
            out.flush();
            err.flush();
        }
    }

    /** The command model with no file behind standard output (man pages, completion, tests). */
    static CommandLine commandLine(InputStream in, PrintWriter out, PrintWriter err) {
        return commandLine(in, out, err, null);
    }

    static CommandLine commandLine(InputStream in, PrintWriter out, PrintWriter err, Path stdoutFile) {
        return commandLine(in, out, err, stdoutFile, null);
    }

    /**
     * The command model; when {@code first} (the first argument) names a subcommand other than help,
     * only that one is added (what it runs and prints is the same), else all of them.
     */
    private static CommandLine commandLine(InputStream in, PrintWriter out, PrintWriter err, Path stdoutFile, String first) {
        CommandLine.IFactory defaults = CommandLine.defaultFactory();
        CommandLine cl = new CommandLine(new Main(), new CommandLine.IFactory() {
            @Override
            @SuppressWarnings("unchecked")
            public <K> K create(Class<K> cls) throws Exception {
                if (cls == KeyCommands.PubkeyCommand.class) return (K) new KeyCommands.PubkeyCommand(in);
                if (cls == KeyCommands.GenkeyCommand.class) return (K) new KeyCommands.GenkeyCommand(stdoutFile);
                if (cls == KeyCommands.GenpskCommand.class) return (K) new KeyCommands.GenpskCommand(stdoutFile);
                return defaults.create(cls);
            }
        });
        Class<?> only = first == null || first.equals("help") ? null
                : COMMANDS.stream().filter(c -> c.getAnnotation(Command.class).name().equals(first)).findFirst().orElse(null);
        for (Class<?> c : COMMANDS) {
            if (only == null || c == only) cl.addSubcommand(c);
        }
        cl.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(ExitCode.meanings());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            int code = ExitCode.of(ex);
            commandLine.getErr().println("wgdiag: " + messageOf(ex));
            boolean debug = parseResult.hasMatchedOption("--debug")
                    || (parseResult.subcommand() != null && parseResult.subcommand().hasMatchedOption("--debug"));
            if (debug || code == ExitCode.INTERNAL && Boolean.getBoolean("wgdiag.debug")) {
                ex.printStackTrace(commandLine.getErr());
            } else if (code == ExitCode.INTERNAL) {
                commandLine.getErr().println("wgdiag: this is a bug; run again with --debug for details");
            }
            return code;
        });
        cl.setExitCodeExceptionMapper(ExitCode::of);
        return cl;
    }

    /** The one line wgdiag prints (after {@code wgdiag: }) for a failure. */
    static String messageOf(Throwable ex) {
        if (ex instanceof UserError || ex instanceof CaptureException) return ex.getMessage();
        String m = ex.getMessage();
        return ex.getClass().getSimpleName() + (m == null ? "" : ": " + m.lines().findFirst().orElse(""));
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return ExitCode.USAGE;
    }

    /**
     * {@code wgdiag 0.1.0 (commit 996e298215dd)}: the project version and the git commit of the build,
     * both written into {@code version.properties} by the build; "unknown" for a build without git.
     */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[]{"wgdiag " + number() + " (commit " + property("commit") + ")"};
        }

        /** The project version, e.g. {@code 0.1.0}. */
        static String number() {
            return property("version");
        }

        /** The property's value, or "unknown" when absent or left unfilled ({@code ${...}}) by the build. */
        private static String property(String key) {
            Properties p = new Properties();
            try (InputStream in = Main.class.getResourceAsStream("version.properties")) {
                if (in != null) p.load(in);
            } catch (IOException e) {
                // an unreadable resource reads as no resource: "unknown"
            }
            String v = p.getProperty(key, "").trim();
            return v.isEmpty() || v.startsWith("${") ? "unknown" : v;
        }
    }
}
