package dev.wgdiag.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs several wgdiag command lines in one JVM (so a test can start one child JVM per locale):
 * {@code RunMany OUTDIR CMD1 :: CMD2 :: ...}; {@code @OUT@} in an argument is replaced by OUTDIR, and
 * command N's standard output and error go to OUTDIR/N.out and OUTDIR/N.err, its exit code to N.code.
 */
final class RunMany {
    private RunMany() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        List<List<String>> commands = new ArrayList<>();
        List<String> cur = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            if (args[i].equals("::")) {
                commands.add(cur);
                cur = new ArrayList<>();
            } else {
                cur.add(args[i].replace("@OUT@", dir.toString()));
            }
        }
        if (!cur.isEmpty()) commands.add(cur);
        for (int n = 0; n < commands.size(); n++) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int code = Main.run(new PrintWriter(out), new PrintWriter(err), commands.get(n).toArray(String[]::new));
            Files.writeString(dir.resolve(n + ".out"), out.toString(), StandardCharsets.UTF_8);
            Files.writeString(dir.resolve(n + ".err"), err.toString(), StandardCharsets.UTF_8);
            Files.writeString(dir.resolve(n + ".code"), Integer.toString(code), StandardCharsets.UTF_8);
        }
    }
}
