package dev.wgdiag.check;

import java.util.List;
import java.util.Optional;

/**
 * What the files cannot say: which peers sit on a port-restricted line and what line carries each
 * peer's packets. Each setting applies to one file ({@code file} as given, or its base name) or, with
 * {@code file} null, to every file.
 */
public record CheckOptions(List<Scoped<PortSet>> portSets, List<Scoped<OuterLine>> lines) {
    public static final CheckOptions DEFAULTS = new CheckOptions(List.of(), List.of());

    /** A setting for one file, or for all when {@code file} is null. */
    public record Scoped<T>(String file, T value) {
    }

    public CheckOptions {
        portSets = List.copyOf(portSets);
        lines = List.copyOf(lines);
    }

    /** The port set of this file's line, if it is port-restricted. */
    public Optional<PortSet> portSet(CheckInput in) {
        return find(portSets, in);
    }

    /** The line carrying this file's peer; Ethernet unless said otherwise. */
    public OuterLine line(CheckInput in) {
        return find(lines, in).orElse(OuterLine.ETHERNET);
    }

    /** The file names the settings name that match no input (a typo on the command line). */
    public List<String> unmatched(List<CheckInput> inputs) {
        return java.util.stream.Stream.concat(portSets.stream(), lines.stream()).map(Scoped::file)
                .filter(f -> f != null && inputs.stream().noneMatch(in -> matches(f, in))).distinct().toList();
    }

    private static <T> Optional<T> find(List<Scoped<T>> list, CheckInput in) {
        T all = null;
        for (Scoped<T> s : list) {
            if (s.file() == null) all = s.value();
            else if (matches(s.file(), in)) return Optional.of(s.value());
        }
        return Optional.ofNullable(all);
    }

    private static boolean matches(String file, CheckInput in) {
        return file.equals(in.file()) || file.equals(in.baseName());
    }
}
