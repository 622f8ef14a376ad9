package dev.wgdiag.advice;

import java.util.List;

/**
 * One problem an unstable verdict names, one record per kind, holding its counts and figures; the
 * report (report/AdviceWords) makes the words. {@link #problem()} is the kind the verdict ranks by.
 */
public sealed interface Finding {
    Problem problem();

    /** Full-size tunnel packets do not fit the path ({@code refused}: a router said so); MTU {@code mtu} fits. */
    record PacketsTooBig(boolean refused, String mtu) implements Finding {
        public Problem problem() {
            return Problem.PACKETS_TOO_BIG;
        }
    }

    /** The NAT in front of {@code who} forgot the tunnel {@code times} times. */
    record MappingExpired(PeerRef who, Silence when, long times) implements Finding {
        public Problem problem() {
            return Problem.MAPPING_EXPIRED;
        }
    }

    /** The NAT that {@code peers} share at {@code address} forgot their tunnels {@code times} times. */
    record SharedMappingExpired(List<PeerRef> peers, String address, Silence when, long times) implements Finding {
        public SharedMappingExpired {
            peers = List.copyOf(peers);
        }

        public Problem problem() {
            return Problem.MAPPING_EXPIRED;
        }
    }

    /** {@code count} handshakes got no answer and were given up. */
    record HandshakesGivenUp(long count) implements Finding {
        public Problem problem() {
            return Problem.HANDSHAKES_UNANSWERED;
        }
    }

    /** {@code count} handshakes got no answer. */
    record HandshakesUnanswered(long count) implements Finding {
        public Problem problem() {
            return Problem.HANDSHAKES_UNANSWERED;
        }
    }

    /** {@code who} heard nothing back and started a new handshake, {@code times} times. */
    record InitiatorSwapped(PeerRef who, long times) implements Finding {
        public Problem problem() {
            return Problem.INITIATOR_SWAPPED;
        }
    }

    /** {@code percent} % of the packets from {@code from} to {@code to} were lost. */
    record Loss(double percent, PeerRef from, PeerRef to) implements Finding {
        public Problem problem() {
            return Problem.LOSS;
        }
    }

    /**
     * When a NAT forgot: after {@code lower} to {@code upper} s of silence (the bracket, {@code lower}
     * null when not above 0), within {@code upper} s; without a bracket ({@code upper} null) during the
     * shortest expired idle gap {@code idle} s, or while idle when that is 0.
     */
    record Silence(Double lower, Double upper, double idle) {
    }
}
