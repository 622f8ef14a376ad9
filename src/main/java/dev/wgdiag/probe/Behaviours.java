package dev.wgdiag.probe;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * The mapping and filtering tests' results.
 *
 * @param seen the public endpoints the server reported to the mapping test's flows, in the order asked:
 *             address 1 port 1, address 1 port 2, address 2 port 1 (null where not answered or not run)
 */
public record Behaviours(NatBehaviour mapping, NatBehaviour filtering, List<InetSocketAddress> seen) {
    public static final Behaviours NOT_RUN = new Behaviours(NatBehaviour.notMeasured(NatBehaviour.Reason.NO_ANSWER),
            NatBehaviour.notMeasured(NatBehaviour.Reason.NO_ANSWER), List.of());

    public Behaviours {
        seen = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(seen));
    }
}
