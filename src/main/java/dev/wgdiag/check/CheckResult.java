package dev.wgdiag.check;

import java.util.List;

/**
 * What {@code check} found: the files with the key they speak with, which file is which peer, and
 * the findings ordered by file (as given), line, severity.
 */
public record CheckResult(List<FileSummary> files, List<Pairing> pairings, List<Finding> findings) {

    /**
     * A checked file: the interface wg-quick would name it (null when it refuses the name) and the
     * first characters of the public key of its PrivateKey (null without a usable one).
     */
    public record FileSummary(String file, String interfaceName, String publicKey) {
    }

    /**
     * Two files that are peers: {@code lineA} is A's [Peer] section for B (0 when A has none), and the
     * other way round; {@code byKey} when the keys tie them (else paired by addresses and ports).
     */
    public record Pairing(String fileA, int lineA, String fileB, int lineB, boolean byKey) {
    }

    public CheckResult {
        files = List.copyOf(files);
        pairings = List.copyOf(pairings);
        findings = List.copyOf(findings);
    }

    public long count(Severity s) {
        return findings.stream().filter(f -> f.severity() == s).count();
    }

    public boolean hasErrors() {
        return count(Severity.ERROR) > 0;
    }
}
