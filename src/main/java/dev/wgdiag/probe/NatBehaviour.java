package dev.wgdiag.probe;

import java.net.InetSocketAddress;

/**
 * A NAT's mapping or filtering behaviour in RFC 4787's terms (sections 4.1 and 5), found as RFC 5780
 * 4.3-4.4 find it, but with authenticated WireGuard flows instead of STUN. {@code kind} is null when the
 * test could not tell, and {@code reason} says why.
 */
public record NatBehaviour(Kind kind, Reason reason) {
    public enum Kind { ENDPOINT_INDEPENDENT, ADDRESS_DEPENDENT, ADDRESS_AND_PORT_DEPENDENT, UNKNOWN }

    public enum Reason {
        /** The tests ran and decided. */
        MEASURED,
        /** The server has one address (no {@code probe serve --alt-address}): the port test could not separate the two kinds left. */
        ONE_SERVER_ADDRESS,
        /** A test flow got no authenticated answer with its public endpoint (IPv4 tunnel addresses only). */
        NO_ANSWER,
        /** The server offered no second port (an older {@code probe serve}). */
        NO_SECOND_PORT,
        /** The results contradict each other (a packet lost, or the NAT changed its mind). */
        INCONSISTENT
    }

    public static NatBehaviour measured(Kind kind) {
        return new NatBehaviour(kind, Reason.MEASURED);
    }

    public static NatBehaviour notMeasured(Reason reason) {
        return new NatBehaviour(null, reason);
    }

    /**
     * Mapping (RFC 5780 4.3): the public endpoints one socket got towards the server's address and port,
     * the same address's other port, and the other address.
     *
     * @param primary      seen at (address 1, port 1), null when that flow got no answer
     * @param otherPort    seen at (address 1, port 2), null when not answered
     * @param otherAddress seen at (address 2, port 1), null when not answered or not run
     * @param secondPort   whether the server offered a second port
     * @param secondAddress whether the server offered a second address
     */
    public static NatBehaviour mapping(InetSocketAddress primary, InetSocketAddress otherPort, InetSocketAddress otherAddress,
                                       boolean secondPort, boolean secondAddress) {
        if (primary == null) return notMeasured(Reason.NO_ANSWER);
        if (!secondPort) return notMeasured(Reason.NO_SECOND_PORT);
        if (otherPort == null) return notMeasured(Reason.NO_ANSWER);
        // a new mapping for another port of the same address: the mapping depends on the port
        if (!primary.equals(otherPort)) return measured(Kind.ADDRESS_AND_PORT_DEPENDENT);
        if (!secondAddress) return notMeasured(Reason.ONE_SERVER_ADDRESS);
        if (otherAddress == null) return notMeasured(Reason.NO_ANSWER);
        return measured(primary.equals(otherAddress) ? Kind.ENDPOINT_INDEPENDENT : Kind.ADDRESS_DEPENDENT);
    }

    /**
     * Filtering (RFC 5780 4.4): whether an authenticated answer reached a mapping from the server's other
     * port (same address), and from its other address and port; the mapping was made by a handshake
     * with the first port alone. Null: that test did not run or its flow got no answer at all.
     */
    public static NatBehaviour filtering(Boolean fromOtherPort, Boolean fromOtherAddress, boolean secondPort, boolean secondAddress) {
        if (!secondPort) return notMeasured(Reason.NO_SECOND_PORT);
        if (fromOtherPort == null) return notMeasured(Reason.NO_ANSWER);
        if (secondAddress && Boolean.TRUE.equals(fromOtherAddress) && !fromOtherPort) return new NatBehaviour(Kind.UNKNOWN, Reason.INCONSISTENT);
        if (!fromOtherPort) return measured(Kind.ADDRESS_AND_PORT_DEPENDENT);
        if (!secondAddress) return notMeasured(Reason.ONE_SERVER_ADDRESS);
        if (fromOtherAddress == null) return notMeasured(Reason.NO_ANSWER);
        return measured(fromOtherAddress ? Kind.ENDPOINT_INDEPENDENT : Kind.ADDRESS_DEPENDENT);
    }
}
