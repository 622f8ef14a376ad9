package dev.wgdiag.timeline;

import dev.wgdiag.analysis.CaptureAnalysis;
import dev.wgdiag.report.JsonReport;
import dev.wgdiag.report.TextReport;

import java.io.PrintWriter;
import java.util.List;

/** Manual probe: prints the analysis of capture files (not a test). */
public final class LabCaptureProbe {
    public static void main(String[] args) throws Exception {
        Analysis a = CaptureAnalysis.analyze(List.of(args).subList(args[0].equals("--json") ? 1 : 0, args.length), AnalyzerOptions.defaults());
        PrintWriter out = new PrintWriter(System.out);
        if (args[0].equals("--json")) JsonReport.write(a, out);
        else TextReport.write(a, out);
        out.flush();
    }
}
