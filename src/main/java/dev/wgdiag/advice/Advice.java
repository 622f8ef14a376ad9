package dev.wgdiag.advice;

import java.util.List;

/** The verdict and the per-tunnel recommendations for one analysis ({@link Advisor#advise}). */
public record Advice(Verdict verdict, List<TunnelAdvice> tunnels) {
    public Advice {
        tunnels = List.copyOf(tunnels);
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
