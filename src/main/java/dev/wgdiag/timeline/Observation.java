package dev.wgdiag.timeline;

import dev.wgdiag.time.Timestamp;
import dev.wgdiag.net.Endpoint;

/**
 * What one piece of mapping-timeout {@link Evidence} saw, as values: the report and the advice make
 * the words (report/EvidenceWords), the analysis makes none.
 */
public sealed interface Observation {
    /** A packet from {@code fromPeer} reached the capture point inside the NAT during the silence. */
    record InboundDelivered(String fromPeer) implements Observation {
    }

    /** {@code peer} spoke again from the endpoint it used before the silence: the mapping lived. */
    record SpokeAgain(String peer, Endpoint from) implements Observation {
    }

    /**
     * {@code peer} came back from a new port: the mapping had expired. {@code initiationUnanswered} and
     * {@code dataUnanswered} (null when none) are the earlier moments an initiation, or data, sent into the
     * mapping went unanswered, which dated its death sooner.
     */
    record NewPort(String peer, Endpoint from, Timestamp initiationUnanswered, Timestamp dataUnanswered) implements Observation {
    }

    /** Two captures joined: inside the NAT a packet from {@code fromPeer} arrived after {@code afterSeconds} of outbound silence. */
    record ArrivedInside(String fromPeer, double afterSeconds) implements Observation {
    }

    /**
     * Two captures joined: the packet sent to {@code toPeer} after {@code idleSeconds} idle never arrived inside
     * the NAT, nor the {@code followingLost} after it; {@code afterDelivery}: the last one delivered inside
     * was sent before it.
     */
    record NeverArrivedInside(String toPeer, double idleSeconds, long followingLost, boolean afterDelivery) implements Observation {
    }
}
