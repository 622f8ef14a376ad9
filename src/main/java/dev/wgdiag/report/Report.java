package dev.wgdiag.report;

import dev.wgdiag.advice.Advice;
import dev.wgdiag.advice.Advisor;
import dev.wgdiag.advice.Traffic;
import dev.wgdiag.advice.Problem;
import dev.wgdiag.advice.Verdict;
import dev.wgdiag.keys.Identification;
import dev.wgdiag.keys.NoConnectFinding;
import dev.wgdiag.timeline.Analysis;

import java.util.ArrayList;
import java.util.List;

/**
 * What every report renders: the analysis, the verdict and recommendations derived from it once, and
 * the per-type message counts for charts. Built once (by the CLI) and written as text, JSON and HTML,
 * so the three carry the same findings.
 *
 * @param traffic        per capture read, same order as the captures (may be empty)
 * @param identification what configs / keylogs proved about the peers, or null without keys
 */
public record Report(Analysis analysis, Advice advice, List<Traffic> traffic, Identification identification,
                     List<NoConnectFinding> noConnect) {
    public Report {
        traffic = List.copyOf(traffic);
        noConnect = List.copyOf(noConnect);
    }

    public Report(Analysis analysis, Advice advice, List<Traffic> traffic, Identification identification) {
        this(analysis, advice, traffic, identification, List.of());
    }

    /**
     * With the causes of a tunnel that does not connect: they lead the verdict (its reading and
     * problems), ahead of what the analysis found.
     */
    public Report withNoConnect(List<NoConnectFinding> findings) {
        if (findings.isEmpty()) return new Report(analysis, advice, traffic, identification, findings);
        Verdict old = advice.verdict();
        List<Problem> problems = new ArrayList<>();
        for (NoConnectFinding f : findings) {
            Problem p = problem(f.cause());
            if (!problems.contains(p)) problems.add(p);
        }
        for (Problem p : old.problems()) if (!problems.contains(p)) problems.add(p);
        Verdict v = new Verdict(false, new Verdict.NoConnect(findings), problems);
        return new Report(analysis, new Advice(v, advice.tunnels()), traffic, identification, findings);
    }

    public static Report of(Analysis analysis, List<Traffic> traffic) {
        return of(analysis, traffic, dev.wgdiag.advice.Line.NONE);
    }

    /** With what the user told about the line (port set) and the configs' ListenPorts. */
    public static Report of(Analysis analysis, List<Traffic> traffic, dev.wgdiag.advice.Line line) {
        return new Report(analysis, Advisor.advise(analysis, traffic, line), traffic, null);
    }

    public static Report of(Analysis analysis) {
        return of(analysis, List.of());
    }

    public Report withIdentification(Identification id) {
        return new Report(analysis, advice, traffic, id, noConnect);
    }

    /** Counts of the first (main) capture, or {@link Traffic#NONE}. */
    public Traffic mainTraffic() {
        return traffic.isEmpty() ? Traffic.NONE : traffic.get(0);
    }

    /** The verdict's problem for a no-connect cause: exhaustive, so a new cause without a problem does not compile. */
    static Problem problem(dev.wgdiag.keys.NoConnectCause cause) {
        return switch (cause) {
            case WRONG_SERVER_KEY -> Problem.WRONG_SERVER_KEY;
            case UNKNOWN_PEER -> Problem.UNKNOWN_PEER;
            case PRESHARED_KEY_MISMATCH -> Problem.PRESHARED_KEY_MISMATCH;
            case STALE_TIMESTAMP -> Problem.STALE_TIMESTAMP;
            case ANSWERS_LOST -> Problem.ANSWERS_LOST;
            case UNREACHABLE -> Problem.UNREACHABLE;
            case NOT_ANSWERED -> Problem.NOT_ANSWERED;
            case TRANSPORT_ONE_WAY -> Problem.TRANSPORT_ONE_WAY;
            case SOURCE_NOT_ALLOWED -> Problem.SOURCE_NOT_ALLOWED;
            case NOT_FORWARDED -> Problem.NOT_FORWARDED;
            case NO_MASQUERADE -> Problem.NO_MASQUERADE;
            case NO_FORWARDING -> Problem.NO_FORWARDING;
            case DNS_UNANSWERED -> Problem.DNS_UNANSWERED;
            case MTU_BLACK_HOLE -> Problem.MTU_BLACK_HOLE;
        };
    }
}
