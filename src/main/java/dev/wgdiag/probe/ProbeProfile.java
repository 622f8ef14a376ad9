package dev.wgdiag.probe;

import java.util.List;

/**
 * What {@code wgdiag probe} found, as values (the CLI turns them into words and JSON). Fields the
 * probe did not measure are absent from here and reported by the CLI as null with a reason.
 *
 * @param lifetime        the established (two-way) flow's mapping lifetime, seconds
 * @param oneWayLifetime  the lifetime of a flow that never became two-way after its handshake
 * @param recommendation  the PersistentKeepalive the brackets support, or null when nothing died and nothing lived
 * @param behaviours      the mapping and filtering tests' results ({@link Behaviours#NOT_RUN} when they did not run)
 * @param lifetimeSearchSeconds from the start until both lifetimes were bracketed (the rounds; before the inbound-refresh test), or null
 */
public record ProbeProfile(Bracket lifetime, Bracket oneWayLifetime, List<Observation> observations, double durationSeconds,
                           Recommendation recommendation, List<java.net.InetSocketAddress> publicEndpoints, Boolean portPreservation,
                           PortAllocation portAllocation, Boolean inboundRefresh, Behaviours behaviours, Double lifetimeSearchSeconds) {
    public ProbeProfile {
        observations = List.copyOf(observations);
        publicEndpoints = List.copyOf(publicEndpoints);
        if (behaviours == null) behaviours = Behaviours.NOT_RUN;
    }

    /**
     * How the NAT chose the public ports of the flows (one socket each, opened in quick succession):
     * every public port equal to its local port; all within a tight run (at most 4 ports apart per
     * flow on average: sequential or a port block); spread further (random).
     */
    public enum PortAllocation { PRESERVED, SEQUENTIAL, RANDOM }

    static Boolean preservation(List<Observation> obs) {
        Boolean all = null;
        for (Observation o : obs) {
            if (o.seen() == null) continue;
            boolean same = o.seen().getPort() == o.localPort();
            all = all == null ? same : all && same;
        }
        return all;
    }

    static PortAllocation allocation(List<Observation> obs) {
        List<Integer> ports = new java.util.ArrayList<>();
        boolean preserved = true;
        for (Observation o : obs) {
            if (o.seen() == null) continue;
            ports.add(o.seen().getPort());
            preserved &= o.seen().getPort() == o.localPort();
        }
        if (ports.size() < 2) return null;
        if (preserved) return PortAllocation.PRESERVED;
        int span = java.util.Collections.max(ports) - java.util.Collections.min(ports);
        return span <= 4 * ports.size() ? PortAllocation.SEQUENTIAL : PortAllocation.RANDOM;
    }

    /**
     * @param persistentKeepalive seconds, or null
     * @param basis               which bound it rests on
     * @param fromSeconds         the bound (seconds) it was derived from
     */
    public record Recommendation(Integer persistentKeepalive, Basis basis, Double fromSeconds) {
        public enum Basis {
            /** 80 % of the shortest lifetime seen alive (both timers): a NAT's timer varies under load (RFC 5780 4.6). */
            SHORTEST_LIVED,
            /** Nothing lived: below the shortest idle time tried, which already died. */
            BELOW_SHORTEST_TRIED,
            /** Every flow lived: the mapping outlived the longest idle time tried. */
            NO_EXPIRY_SEEN
        }
    }

    /** Margin below the shortest bound seen alive. */
    static final double MARGIN = 0.8;

    public static ProbeProfile of(List<Observation> observations, double durationSeconds) {
        return of(observations, durationSeconds, null);
    }

    /** @param inboundRefresh the inbound-refresh test's result, or null when it did not run */
    public static ProbeProfile of(List<Observation> observations, double durationSeconds, Boolean inboundRefresh) {
        return of(observations, durationSeconds, inboundRefresh, Behaviours.NOT_RUN);
    }

    /** @param behaviours the mapping and filtering tests' results; their public endpoints come first in {@code publicEndpoints} */
    public static ProbeProfile of(List<Observation> observations, double durationSeconds, Boolean inboundRefresh, Behaviours behaviours) {
        return of(observations, durationSeconds, inboundRefresh, behaviours, null);
    }

    public static ProbeProfile of(List<Observation> observations, double durationSeconds, Boolean inboundRefresh, Behaviours behaviours,
                                  Double lifetimeSearchSeconds) {
        Bracket est = Bracket.of(observations, Timer.ESTABLISHED);
        Bracket one = Bracket.of(observations, Timer.ONE_WAY);
        List<java.net.InetSocketAddress> seen = java.util.stream.Stream.concat(behaviours.seen().stream(),
                        observations.stream().map(Observation::seen)).filter(java.util.Objects::nonNull).distinct().toList();
        return new ProbeProfile(est, one, observations, durationSeconds, recommend(est, one), seen, preservation(observations),
                allocation(observations), inboundRefresh, behaviours, lifetimeSearchSeconds);
    }

    /**
     * A tunnel needs its keepalive shorter than both timers: a new session is only "one way" until its
     * first keepalive after 2 s promotes it (conntrack), so that keepalive must come before the one-way
     * timer ends, and every later one before the established timer ends.
     */
    static Recommendation recommend(Bracket est, Bracket one) {
        Double died = null;
        Double bounded = null;
        Double lived = null;
        for (Bracket b : List.of(est, one)) {
            if (b.lower() == null && b.upper() != null) died = min(died, b.upper());
            if (b.lower() != null && b.upper() != null) bounded = min(bounded, b.lower());
            if (b.lower() != null) lived = min(lived, b.lower());
        }
        if (died != null) {
            return new Recommendation(Math.max(1, (int) Math.floor(MARGIN * died)), Recommendation.Basis.BELOW_SHORTEST_TRIED, died);
        }
        if (bounded != null) {
            return new Recommendation(Math.max(1, (int) Math.floor(MARGIN * bounded)), Recommendation.Basis.SHORTEST_LIVED, bounded);
        }
        if (lived != null) return new Recommendation(null, Recommendation.Basis.NO_EXPIRY_SEEN, lived);
        return null;
    }

    private static Double min(Double a, Double b) {
        if (a == null) return b;
        if (b == null) return a;
        return Math.min(a, b);
    }
}
