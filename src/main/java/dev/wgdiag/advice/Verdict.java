package dev.wgdiag.advice;

import java.util.List;

/**
 * Stable or not, and why, in one sentence for a person; {@code problems} lists what the sentence
 * names, most important first.
 */
public record Verdict(boolean stable, String sentence, List<Problem> problems) {
    public Verdict {
        problems = List.copyOf(problems);
    }

    public Verdict(boolean stable, String sentence) {
        this(stable, sentence, List.of());
    }
}
