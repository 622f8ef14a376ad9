package dev.wgdiag.timeline;

import java.util.List;

/**
 * Why a {@link MappingTimeout} reads as it does, as values: the refresh model its bracket holds under
 * and what qualifies it ({@code context}, in order). The words are the report's (report/EvidenceWords).
 */
public record MappingNote(RefreshModel model, List<Context> context) {
    public MappingNote {
        context = List.copyOf(context);
    }

    /** What qualifies a bracket, or says why there is none. */
    public sealed interface Context {
    }

    /** No peer of the tunnel was found behind a NAT. */
    public record NoNatPeer() implements Context {
    }

    /** {@code peer} was never idle for {@code minimumSeconds} (the idle-gap threshold) or more. */
    public record NoIdleGap(String peer, double minimumSeconds) implements Context {
    }

    /** {@code peer} came back from the same public {@code port} after idle gaps, but its NAT keeps ports: no survival proven. */
    public record PortKeptNoSurvival(String peer, int port) implements Context {
    }

    /** The NAT keeps ports: returns from the same endpoint are not counted as survivals. */
    public record PortKept() implements Context {
    }

    /** The capture is inside the NAT: expiries are invisible there, only survivals bound the timeout. */
    public record InsideCapture() implements Context {
    }

    /** Joined with the capture inside the NAT: delivered inbound packets count as survivals. */
    public record Joined() implements Context {
    }

    /** Pooled over {@code peers} client peers behind one public address ({@link SharedNat}). */
    public record Pooled(int peers) implements Context {
    }
}
