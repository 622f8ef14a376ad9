package dev.wgdiag.check;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Runs every rule group over a set of configs: {@code wgdiag check}'s core. */
public final class Checker {
    private Checker() {
    }

    public static CheckResult check(List<CheckInput> inputs, CheckOptions options) {
        Topology topology = Topology.of(inputs);
        CheckContext ctx = new CheckContext(inputs, topology, options);
        HygieneRules.check(ctx);
        KeyRules.check(ctx);
        RoutingRules.check(ctx);
        ForwardingRules.check(ctx);
        EndpointRules.check(ctx);
        MtuRules.check(ctx);

        List<String> order = inputs.stream().map(CheckInput::file).toList();
        List<Finding> findings = new ArrayList<>(ctx.findings());
        findings.sort(Comparator.<Finding>comparingInt(f -> order.indexOf(f.file())).thenComparing(Finding.IN_FILE));

        List<CheckResult.FileSummary> files = new ArrayList<>();
        for (Topology.Node n : topology.nodes()) {
            files.add(new CheckResult.FileSummary(n.file(), n.input().interfaceName().orElse(null),
                    n.publicKey() == null ? null : n.publicKey().shortForm()));
        }
        List<CheckResult.Pairing> pairings = new ArrayList<>();
        for (Topology.Link l : topology.links()) {
            boolean byKey = l.a().match() != Topology.Match.GUESSED && l.b().match() != Topology.Match.GUESSED
                    && l.a().peer() != null && l.b().peer() != null;
            pairings.add(new CheckResult.Pairing(l.a().node().file(), l.a().peer() == null ? 0 : l.a().peer().line(),
                    l.b().node().file(), l.b().peer() == null ? 0 : l.b().peer().line(), byKey));
        }
        return new CheckResult(files, pairings, findings);
    }
}
