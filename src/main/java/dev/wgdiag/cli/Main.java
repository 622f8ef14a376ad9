package dev.wgdiag.cli;

import dev.wgdiag.pcap.CaptureException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** Entry point. Tests drive the whole CLI through {@link #run(PrintWriter, PrintWriter, String...)}. */
@Command(name = "wgdiag", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "WireGuard NAT-traversal and connection-stability diagnostics.",
        subcommands = {AnalyzeCommand.class, CaptureCommand.class, KeyCommands.GenkeyCommand.class, KeyCommands.PubkeyCommand.class,
                KeyCommands.GenpskCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Callable<Integer> {

    @Option(names = "--debug", scope = CommandLine.ScopeType.INHERIT, description = "Show stack traces of internal errors.")
    boolean debug;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), false);
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
        CommandLine cl = commandLine(in, out, err, stdoutFile);
        try {
            return cl.execute(args);
        } finally {
            out.flush();
            err.flush();
        }
    }

    static CommandLine commandLine(InputStream in, PrintWriter out, PrintWriter err, Path stdoutFile) {
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
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            int code = exitCodeOf(ex);
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
        cl.setExitCodeExceptionMapper(Main::exitCodeOf);
        return cl;
    }

    /** The one mapping from failures to exit codes. */
    static int exitCodeOf(Throwable ex) {
        if (ex instanceof UserError u) return u.exitCode();
        if (ex instanceof CaptureException) return ExitCode.BAD_INPUT;
        if (ex instanceof CommandLine.ParameterException) return ExitCode.USAGE;
        if (ex instanceof UncheckedIOException) return ExitCode.OUTPUT_FAILED;
        return ExitCode.INTERNAL;
    }

    private static String messageOf(Throwable ex) {
        if (ex instanceof UserError || ex instanceof CaptureException) return ex.getMessage();
        String m = ex.getMessage();
        return ex.getClass().getSimpleName() + (m == null ? "" : ": " + m.lines().findFirst().orElse(""));
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return ExitCode.USAGE;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[]{"wgdiag " + (v == null ? "dev" : v)};
        }
    }
}
