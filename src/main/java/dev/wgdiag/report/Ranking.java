package dev.wgdiag.report;

import dev.wgdiag.advice.Advice;
import dev.wgdiag.advice.Advisor;
import dev.wgdiag.advice.Problem;
import dev.wgdiag.advice.TunnelAdvice;
import dev.wgdiag.timeline.Analysis;
import dev.wgdiag.timeline.SharedNat;
import dev.wgdiag.timeline.Tunnel;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * An analysis of many tunnels ({@link Advisor#MANY_TUNNELS}) for a person: the worst {@link #ROWS} tunnels
 * ranked by {@link Advisor#severity} (ties: capture order) for a table, how many tunnels show each problem,
 * and a report holding only the worst {@link #DETAILS} tunnels for the details. One pass keeping the worst
 * rows (a bounded heap): memory does not grow with the tunnels.
 *
 * @param rows        the worst tunnels, worst first
 * @param total       tunnels in the analysis
 * @param tunnelsWith how many tunnels show each problem
 * @param worst       the report narrowed to the worst {@link #DETAILS} tunnels (verdict and capture of the whole)
 */
record Ranking(List<Row> rows, int total, Map<Problem, Long> tunnelsWith, Report worst) {
    static final int ROWS = 25;
    static final int DETAILS = 5;

    /** One ranked tunnel: its place (1 = worst), index in the analysis, the tunnel and its severity. */
    record Row(int rank, int index, Tunnel tunnel, Advisor.Severity severity) {
    }

    private record Ranked(int index, Advisor.Severity severity) {
    }

    private static final Comparator<Ranked> WORST_FIRST = Comparator.comparing(Ranked::severity).thenComparingInt(Ranked::index);

    static Ranking of(Report r) {
        Analysis a = r.analysis();
        PriorityQueue<Ranked> kept = new PriorityQueue<>(ROWS + 1, WORST_FIRST.reversed()); // head: the mildest kept
        Map<Problem, Long> with = new EnumMap<>(Problem.class);
        List<Tunnel> tunnels = a.tunnels();
        for (int i = 0; i < tunnels.size(); i++) {
            Advisor.Severity s = Advisor.severity(a, tunnels.get(i));
            for (Problem p : s.problems()) with.merge(p, 1L, Long::sum);
            kept.add(new Ranked(i, s));
            if (kept.size() > ROWS) kept.poll();
        }
        List<Ranked> sorted = new ArrayList<>(kept);
        sorted.sort(WORST_FIRST);
        List<Row> rows = new ArrayList<>();
        for (Ranked k : sorted) rows.add(new Row(rows.size() + 1, k.index(), tunnels.get(k.index()), k.severity()));
        return new Ranking(rows, tunnels.size(), with, narrowed(r, rows.subList(0, Math.min(DETAILS, rows.size()))));
    }

    /** The report with only these tunnels (in this order), their advice, and the shared NATs they belong to. */
    private static Report narrowed(Report r, List<Row> rows) {
        Analysis a = r.analysis();
        BiFunction<Integer, String, TunnelAdvice> lookup = r.advice().lookup();
        List<Tunnel> ts = new ArrayList<>();
        List<TunnelAdvice> advice = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (Row row : rows) {
            ts.add(row.tunnel());
            advice.add(lookup.apply(row.index(), row.tunnel().id()));
            ids.add(row.tunnel().id());
        }
        List<SharedNat> nats = new ArrayList<>();
        for (SharedNat n : a.sharedNats()) {
            if (n.tunnels().stream().anyMatch(ids::contains)) nats.add(n);
        }
        Analysis narrow = new Analysis(a.schemaVersion(), a.summary(), ts, a.join(), a.warnings(), nats);
        return new Report(narrow, new Advice(r.advice().verdict(), advice), r.traffic(), r.identification(), r.noConnect());
    }
}
