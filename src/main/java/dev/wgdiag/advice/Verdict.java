package dev.wgdiag.advice;

import dev.wgdiag.keys.NoConnectFinding;

import java.util.List;

/**
 * Stable or not, and why: {@code reading} holds what the verdict's sentence says (the report makes the
 * words); {@code problems} lists what it names, most important first.
 */
public record Verdict(boolean stable, Reading reading, List<Problem> problems) {
    public Verdict {
        problems = List.copyOf(problems);
    }

    public Verdict(boolean stable, Reading reading) {
        this(stable, reading, List.of());
    }

    /** What the verdict found, one record per kind of verdict. */
    public sealed interface Reading {
    }

    /** No WireGuard tunnel in the capture. */
    public record NoTunnel() implements Reading {
    }

    /**
     * Nothing wrong: {@code handshakes} all answered, over {@code seconds} of capture ({@code holes} not
     * counted); {@code tested}: a tunnel was idle long enough to test the NAT.
     */
    public record Stable(int handshakes, double seconds, Holes holes, boolean tested) implements Reading {
    }

    /** The problems found, most important first (with many tunnels each kind once, {@link Item#more} counting the rest). */
    public record Unstable(List<Item> findings, Holes holes) implements Reading {
        public Unstable {
            findings = List.copyOf(findings);
        }
    }

    /** The tunnel does not connect, for these causes (they lead the verdict). */
    public record NoConnect(List<NoConnectFinding> findings) implements Reading {
        public NoConnect {
            findings = List.copyOf(findings);
        }
    }

    /** A finding and how many more of its kind other tunnels have (0 but with many tunnels). */
    public record Item(Finding finding, int more) {
    }

    /** The capture's holes: how many, and the longest in seconds. */
    public record Holes(int count, double longestSeconds) {
    }
}
