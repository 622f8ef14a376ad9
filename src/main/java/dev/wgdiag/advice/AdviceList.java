package dev.wgdiag.advice;

import dev.wgdiag.timeline.Analysis;

import java.util.AbstractList;
import java.util.RandomAccess;
import java.util.function.IntFunction;

/**
 * The advice of an analysis with many tunnels, computed when asked for and never kept: element i is
 * the advice for the analysis' tunnel i. A report walks it once as it writes (JSON) or asks for the
 * few it shows (text, HTML), so memory does not grow with the tunnels' advice (issue 13, scale).
 */
final class AdviceList extends AbstractList<TunnelAdvice> implements RandomAccess {
    private final int size;
    private final IntFunction<TunnelAdvice> advise;

    AdviceList(Analysis a, IntFunction<TunnelAdvice> advise) {
        this.size = a.tunnels().size();
        this.advise = advise;
    }

    @Override
    public TunnelAdvice get(int i) {
        if (i < 0 || i >= size) throw new IndexOutOfBoundsException(i);
        return advise.apply(i);
    }

    @Override
    public int size() {
        return size;
    }
}
