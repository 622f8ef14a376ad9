package dev.wgdiag.advice;

import dev.wgdiag.net.Endpoint;
import dev.wgdiag.net.PortSet;
import dev.wgdiag.timeline.CaptureJoin;
import dev.wgdiag.timeline.Observation;

import java.util.List;

/**
 * What one piece of evidence ({@link Cited}) shows, one record per kind, holding the peers, endpoints
 * and numbers it names; the report (report/AdviceWords) makes the words.
 */
public sealed interface Fact {

    /** {@code who}'s endpoint changed port after {@code idleSeconds} idle (NAT rebinding). */
    record Rebound(PeerRef who, Endpoint from, Endpoint to, double idleSeconds) implements Fact {
    }

    /** {@code who}'s mapping did not survive an idle gap; {@code packetsIntoGap} were sent into it meanwhile. */
    record MappingLost(PeerRef who, double idleSeconds, long packetsIntoGap) implements Fact {
    }

    /** {@code who}'s mapping expired, as the mapping-timeout bracket saw it. */
    record MappingExpired(PeerRef who, Observation seen) implements Fact {
    }

    /** The NAT translated {@code inside} to {@code outside} (one handshake message seen at both capture points). */
    record Translated(Endpoint inside, Endpoint outside) implements Fact {
    }

    /** A mapping found dead by a two-capture join. */
    record DeadMapping(CaptureJoin.Unreached detail) implements Fact {
    }

    /** {@code who} talks from a private or shared (CGNAT, RFC 6598) address to a public one. */
    record PrivateAddress(PeerRef who, Endpoint from) implements Fact {
    }

    /** Another client on the same public address changed port: the NAT is shared. */
    record NeighbourRebound(PeerRef who, String address, Endpoint from, Endpoint to, double idleSeconds) implements Fact {
    }

    /** What a gap of the mapping-timeout bracket showed. */
    record Seen(Observation seen) implements Fact {
    }

    /** {@code who} sent from inside port {@code inside}, seen outside as {@code outside} (a join's translation). */
    record InsidePort(PeerRef who, Endpoint inside, Endpoint outside) implements Fact {
    }

    /** A source port changed in the inside capture(s) {@code captures} of a join. */
    record InsideCapturePort(Endpoint from, Endpoint to, List<String> captures) implements Fact {
        public InsideCapturePort {
            captures = List.copyOf(captures);
        }
    }

    /** {@code who}'s own source port changed, seen from a capture inside the NAT. */
    record OwnPortChanged(PeerRef who, Endpoint from, Endpoint to) implements Fact {
    }

    /** The line may only use {@code ports} (told by {@code from}). */
    record LinePorts(PortSet ports, String from) implements Fact {
    }

    /** A config ({@code where}) sets ListenPort = {@code port}. */
    record ConfiguredPort(String where, int port) implements Fact {
    }

    /** ICMP "fragmentation needed" (IPv4) or "packet too big" (IPv6) for WireGuard datagrams between {@code a} and {@code b}. */
    record TooBig(long count, int ipVersion, String reporter, int datagram, Endpoint a, Endpoint b, int pathMtu) implements Fact {
    }

    /** WireGuard datagrams between {@code a} and {@code b} arrived as IP fragments. */
    record Fragmented(long count, Endpoint a, Endpoint b, int largestReassembled, int largestUnfragmented) implements Fact {
    }

    /** {@code who}'s IPv4 endpoint rebinds. */
    record RebindsOverIpv4(PeerRef who, Endpoint from, Endpoint to) implements Fact {
    }

    /** WireGuard is also spoken at {@code at}, an IPv6 endpoint on {@code other}'s port. */
    record AlsoOverIpv6(Endpoint at, PeerRef other) implements Fact {
    }
}
