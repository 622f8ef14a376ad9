package dev.wgdiag.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Asks real shells what Tab completes. bash: the completion file is sourced (or loaded by
 * bash-completion's own loader, as an interactive shell does) and the function that {@code complete -p}
 * names is called with COMP_WORDS, COMP_CWORD, COMP_LINE and COMP_POINT set as bash sets them.
 * zsh: an interactive {@code zsh -f} in a pseudo-terminal (zsh/zpty) with compinit, where the line is
 * typed and Tab pressed; the edited line is then printed.
 */
public final class ShellCompletion {
    private ShellCompletion() {
    }

    /**
     * The candidates bash offers for {@code line} (the cursor at its end; a trailing space starts a new
     * word). {@code completionFile} is sourced; if null, bash-completion's loader finds it.
     */
    public static List<String> bash(Path completionFile, String line, Path workDir) {
        String load = completionFile == null
                ? "source /usr/share/bash-completion/bash_completion && _completion_loader wgdiag"
                : "source \"$COMPLETION_FILE\"";
        String script = load + "\n"
                + "spec=$(complete -p wgdiag) || { echo 'no completion for wgdiag' >&2; exit 3; }\n"
                + "fn=$(printf '%s\\n' \"$spec\" | sed -n 's/.* -F \\([^ ]*\\).*/\\1/p')\n"
                + "COMP_LINE=$LINE; COMP_POINT=${#LINE}\n"
                + "read -r -a COMP_WORDS <<< \"$LINE\"\n"
                + "[[ $LINE == *' ' ]] && COMP_WORDS+=('')\n"
                + "COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))\n"
                + "COMPREPLY=()\n"
                + "\"$fn\" wgdiag \"${COMP_WORDS[COMP_CWORD]}\" \"${COMP_WORDS[COMP_CWORD-1]}\"\n"
                + "printf '%s\\n' \"${COMPREPLY[@]}\"\n";
        ProcessBuilder pb = new ProcessBuilder("bash", "--norc", "--noprofile", "-c", script);
        pb.environment().put("LINE", line);
        if (completionFile != null) pb.environment().put("COMPLETION_FILE", completionFile.toString());
        pb.directory(workDir.toFile());
        return run(pb).lines().filter(s -> !s.isEmpty()).sorted().toList();
    }

    /**
     * The line after typing {@code line} and pressing Tab in an interactive zsh with compinit;
     * {@code fpathDir}, if not null, is put first on the function path (else zsh's own fpath, which
     * holds /usr/share/zsh/vendor-completions).
     */
    public static String zsh(Path fpathDir, String line, Path workDir) {
        // The typed line is never printed as it is: RESULT=$((1+1)) shows as RESULT=2 only when run.
        String script = "zmodload zsh/zpty || exit 3\n"
                + "zpty z 'TERM=dumb zsh -f -i'\n"
                + "zpty -w z \"fpath=(${FPATH_DIR:+$FPATH_DIR} \\$fpath); autoload -U compinit && compinit -u -D; PS1='> '\"\n"
                + "zpty -w -n z \"$LINE\"$'\\t'\n"
                + "sleep 1\n"
                + "zpty -w z $'\\C-a'\"print -r -- RESULT=\\$((1+1)): \"\n"
                + "while zpty -r z out; do\n"
                + "  out=${out//$'\\r'/}\n"
                + "  if [[ $out == *RESULT=2:* ]]; then print -r -- \"${out#*RESULT=2: }\"; break; fi\n"
                + "done\n"
                + "zpty -d z\n";
        ProcessBuilder pb = new ProcessBuilder("timeout", "60", "zsh", "-f", "-c", script);
        pb.environment().put("LINE", line);
        if (fpathDir != null) pb.environment().put("FPATH_DIR", fpathDir.toString());
        pb.directory(workDir.toFile());
        return run(pb).strip();
    }

    private static String run(ProcessBuilder pb) {
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
            String out = read(p.getInputStream());
            if (!p.waitFor(90, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(pb.command().get(0) + " did not finish in 90 s");
            }
            if (p.exitValue() != 0) {
                throw new AssertionError(pb.command() + " exited " + p.exitValue() + ": " + err.join());
            }
            return out;
        } catch (IOException e) {
            throw new AssertionError("cannot run " + pb.command().get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static String read(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** Writes {@code content} as {@code dir/name} and returns the file. */
    public static Path write(Path dir, String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }
}
