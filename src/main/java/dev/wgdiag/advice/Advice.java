package dev.wgdiag.advice;

import java.util.List;

/** The verdict and the per-tunnel recommendations for one analysis ({@link Advisor#advise}). */
public record Advice(Verdict verdict, List<TunnelAdvice> tunnels) {
    public Advice {
        // many tunnels: advice computed when asked for (AdviceList, immutable), not copied into memory
        tunnels = tunnels instanceof AdviceList ? tunnels : List.copyOf(tunnels);
    }

    /**
     * The advice for the analysis' tunnel {@code index} with this id, for a report that writes the tunnels in the
     * analysis' order; with many tunnels computed now and not kept.
     */
    public java.util.function.BiFunction<Integer, String, TunnelAdvice> lookup() {
        if (tunnels instanceof AdviceList) {
            return (i, id) -> {
                TunnelAdvice t = i < tunnels.size() ? tunnels.get(i) : null;
                return t != null && t.tunnel().equals(id) ? t : new TunnelAdvice(id, List.of(), List.of());
            };
        }
        java.util.Map<String, TunnelAdvice> byId = byTunnel();
        return (i, id) -> byId.getOrDefault(id, new TunnelAdvice(id, List.of(), List.of()));
    }

    /** The advice by tunnel id (the first for an id), built once for a report that looks up every tunnel. */
    public java.util.Map<String, TunnelAdvice> byTunnel() {
        java.util.Map<String, TunnelAdvice> out = new java.util.HashMap<>();
        for (TunnelAdvice t : tunnels) out.putIfAbsent(t.tunnel(), t);
        return out;
    }

    /** The advice for a tunnel id, or an empty one. */
    public TunnelAdvice forTunnel(String id) {
        for (TunnelAdvice t : tunnels) {
            if (t.tunnel().equals(id)) return t;
        }
        return new TunnelAdvice(id, List.of(), List.of());
    }
}
