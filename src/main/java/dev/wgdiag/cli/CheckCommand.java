package dev.wgdiag.cli;

import dev.wgdiag.check.CheckInput;
import dev.wgdiag.check.CheckOptions;
import dev.wgdiag.check.CheckResult;
import dev.wgdiag.check.Checker;
import dev.wgdiag.check.OuterLine;
import dev.wgdiag.check.PortSet;
import dev.wgdiag.config.ConfigException;
import dev.wgdiag.report.CheckJson;
import dev.wgdiag.report.CheckText;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;

/** {@code wgdiag check CONFIG...}: what is wrong in a tunnel's wg-quick files, before any packet flows. */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"Check wg-quick configs (a server's and its clients', in any order) for what breaks a tunnel: keys"
                + " that do not pair, addresses and routes (IPv6 leaks), server forwarding and masquerading, endpoints and"
                + " ports, MTU, and file hygiene.",
                "One line per finding (FILE:LINE: error|warning|note: ...); exit 1 when any is an error. Rules: docs/check.md."},
        footerHeading = "%nExamples:%n",
        // The man page's EXAMPLES come from here and the README's examples must be among them (ReadmeExamplesTest).
        footer = {
                "  wgdiag check server.conf phone.conf",
                "      A home server's config and a phone's: one line per finding, exit 1 on an error.",
                "  wgdiag check /etc/wireguard/wg0.conf phone.conf laptop.conf",
                "      Any number of files, in any order; which file is which peer comes from the keys.",
                "  wgdiag check wg0.conf phone.conf --format json",
                "      Findings with typed details, for scripts.",
                "  wgdiag check wg0.conf phone.conf --port-set wg0.conf=3072-3135",
                "      The server's line may only use these ports (MAP-E, port-block CGNAT).",
                "  wgdiag check wg0.conf phone.conf --line phone.conf=ds-lite",
                "      The phone's outer path is a DS-Lite line: MTU with its overhead."})
final class CheckCommand implements Callable<Integer> {
    enum Format { text, json }

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "CONFIG", description = "wg-quick config files.")
    List<Path> files;

    @Option(names = "--format", defaultValue = "text", description = "text (one line per finding) or json.")
    Format format;

    @Option(names = "--port-set", paramLabel = "[CONFIG=]PORTS", description = {"The ports a port-restricted line (MAP-E,",
            "port-range CGNAT) allows, e.g. 3072-3135,7168-7231; for one CONFIG or all (repeatable)."})
    List<String> portSets = new ArrayList<>();

    @Option(names = "--line", paramLabel = "[CONFIG=]TYPE", description = {"The line behind a peer: ethernet (default),",
            "pppoe, ds-lite, map-e, a link MTU, or a '+' combination (pppoe+ds-lite); for one CONFIG or all (repeatable)."})
    List<String> lines = new ArrayList<>();

    @Override
    public Integer call() {
        CheckOptions options = new CheckOptions(scoped("--port-set", portSets, PortSet::parse), scoped("--line", lines, OuterLine::parse));
        List<CheckInput> inputs = new ArrayList<>();
        for (Path f : files) {
            try {
                inputs.add(CheckInput.read(f));
            } catch (ConfigException e) {
                throw new UserError(ExitCode.BAD_INPUT, e.getMessage());
            }
        }
        List<String> unmatched = options.unmatched(inputs);
        if (!unmatched.isEmpty()) {
            throw new UserError(ExitCode.USAGE, "--port-set/--line name " + String.join(", ", unmatched) + ", which is not a CONFIG given");
        }
        CheckResult result = Checker.check(inputs, options);
        if (format == Format.json) {
            CheckJson.write(result, spec.commandLine().getOut());
        } else {
            CheckText.write(result, spec.commandLine().getOut());
        }
        return result.hasErrors() ? ExitCode.FINDINGS : ExitCode.OK;
    }

    /** {@code CONFIG=VALUE} or {@code VALUE}; the value never holds '=', a file name may. */
    private static <T> List<CheckOptions.Scoped<T>> scoped(String option, List<String> args, Function<String, T> parse) {
        List<CheckOptions.Scoped<T>> out = new ArrayList<>();
        for (String a : args) {
            int eq = a.lastIndexOf('=');
            String file = eq < 0 ? null : a.substring(0, eq);
            String value = eq < 0 ? a : a.substring(eq + 1);
            try {
                out.add(new CheckOptions.Scoped<>(file, parse.apply(value)));
            } catch (IllegalArgumentException e) {
                throw new UserError(ExitCode.USAGE, option + " " + a + ": " + e.getMessage());
            }
        }
        return out;
    }
}
