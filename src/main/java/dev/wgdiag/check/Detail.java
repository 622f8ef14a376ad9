package dev.wgdiag.check;

import dev.wgdiag.config.Attribute;
import dev.wgdiag.config.IpPrefix;
import java.util.List;

/**
 * The typed arguments of a {@link Finding}, one record shape per kind of rule. Keys appear only as
 * the first characters of a public key ({@code hSDwCYkw}); private and preshared keys never.
 * Peers are named by the comment above their [Peer] header or, without one, by that short form.
 */
public sealed interface Detail {

    /** Nothing beyond the rule, file and line. */
    record None() implements Detail {
    }

    // ------------------------------------------------------------------ hygiene

    /** The file name, which is not a wg-quick interface name followed by ".conf". */
    record FileName(String name) implements Detail {
    }

    /** A line in a section ({@code section} null before the first header). */
    record InSection(Attribute.Section section) implements Detail {
    }

    /** An attribute before the first section header. */
    record Outside(String name) implements Detail {
    }

    /** A header other than [Interface] and [Peer]; {@code suggestion} may be null. */
    record UnknownSection(String header, Attribute.Section suggestion) implements Detail {
    }

    /** A repeated section header, with the first one's line. */
    record Repeated(int firstLine) implements Detail {
    }

    /**
     * An unknown attribute name: {@code belongsIn} is the other section when the name is one of its
     * attributes, else null; {@code suggestion} is the attribute of this section it most likely
     * means, or null.
     */
    record UnknownAttribute(Attribute.Section section, String name, Attribute suggestion,
                            Attribute.Section belongsIn) implements Detail {
    }

    /** A single-valued attribute written again; the value at this line wins over {@code firstLine}'s. */
    record DuplicateAttribute(Attribute.Section section, Attribute attribute, int firstLine) implements Detail {
    }

    /** A value that does not parse; {@code reason} is the parser's. */
    record BadValue(Attribute.Section section, String name, String reason) implements Detail {
    }

    /** A key that is not base64 of 32 bytes; {@code decodedBytes} is -1 when the text is not base64 at all. */
    record BadKey(Attribute.Section section, String name, int decodedBytes) implements Detail {
    }

    /** A [Peer] without PublicKey; {@code peer} is its comment name or null. */
    record PeerWithoutKey(String peer) implements Detail {
    }

    /** The same PublicKey in a second [Peer] section of one file. */
    record DuplicatePeer(String key, int firstLine) implements Detail {
    }

    // ------------------------------------------------------------------ keys

    /**
     * This [Peer] stands for {@code otherFile} (matched by addresses and ports) but its PublicKey
     * ({@code found}) is not the public key of that file's PrivateKey ({@code expected}).
     */
    record KeyMismatch(String otherFile, String expected, String found) implements Detail {
    }

    /** One key written in the wrong place; the other half of the mix-up is at {@code otherFile:otherLine}. */
    record KeyPlace(String otherFile, int otherLine) implements Detail {
    }

    /** A PresharedKey on this side of a link only; the other side's [Peer] is at {@code otherFile:otherLine}. */
    record Psk(String otherFile, int otherLine) implements Detail {
    }

    /** {@code otherFile} has a [Peer] for this file (at {@code otherLine}) but this file has none for it. */
    record NoPeerFor(String otherFile, int otherLine, String otherKey) implements Detail {
    }

    // ------------------------------------------------------------------ addresses and routing

    /** Two [Peer] sections claim overlapping AllowedIPs: this line's {@code prefix} and {@code otherPeer}'s {@code other}. */
    record Overlap(IpPrefix prefix, IpPrefix other, String peer, String otherPeer, int otherLine) implements Detail {
    }

    /** A dialing peer's Address that the other side's AllowedIPs for it (at {@code serverFile:serverLine}) do not contain. */
    record AddressNotAllowed(IpPrefix address, String serverFile, int serverLine, List<IpPrefix> allowed) implements Detail {
        public AddressNotAllowed {
            allowed = List.copyOf(allowed);
        }
    }

    /**
     * A full tunnel for one address family only: traffic of {@code family} (4 or 6) leaves outside the
     * tunnel. {@code tunnelCarriesIt}: either side has tunnel addresses of that family (so the tunnel
     * was meant to carry it); {@code sides} names the files with such addresses.
     */
    record Leak(int family, boolean tunnelCarriesIt, List<String> sides) implements Detail {
        public Leak {
            sides = List.copyOf(sides);
        }
    }

    /** What is wrong with a tunnel IPv6 address's scope. */
    enum Scope {
        /** fe80::/10 (RFC 4291 section 2.5.6): not forwarded beyond the link. */
        LINK_LOCAL,
        /** fec0::/10, deprecated by RFC 3879. */
        SITE_LOCAL,
        /** fc00::/8, the half of fc00::/7 RFC 4193 leaves undefined. */
        UNASSIGNED_ULA
    }

    /** A tunnel IPv6 address outside the unique local range; {@code suggestion} is a ULA prefix to use. */
    record Ipv6Scope(IpPrefix address, Scope scope, IpPrefix suggestion) implements Detail {
    }

    /** All traffic of {@code family} is routed into the tunnel but this side has no tunnel address of that family. */
    record RouteWithoutAddress(int family, IpPrefix route) implements Detail {
    }

    /** A server's [Peer] for a dialing client holds a default route: all of the server's traffic goes to that client. */
    record DefaultRoute(IpPrefix prefix, String peer) implements Detail {
    }

    // ------------------------------------------------------------------ server forwarding

    /**
     * Forwarding of {@code family} for clients that send it all their traffic ({@code clientFile}
     * is one of them); {@code unreadHooks} when the hooks run commands wgdiag cannot read (a script),
     * which may do what is missing; {@code uplink} the uplink the hooks name elsewhere (or null) and
     * {@code nft} whether they use nftables rather than iptables, for the fix.
     */
    record Forwarding(int family, String clientFile, boolean unreadHooks, String uplink, boolean nft) implements Detail {
    }

    /**
     * PostUp commands of one line that no PostDown command undoes, as written; {@code undo} the
     * commands that would (same order), an entry null where no safe one can be given.
     */
    record NotUndone(List<String> commands, List<String> undo) implements Detail {
        public NotUndone {
            commands = List.copyOf(commands);
            undo = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(undo));
        }
    }

    /** A hook names the tunnel interface literally ({@code written}) but wg-quick names it {@code interfaceName}. */
    record TunnelName(String written, String interfaceName) implements Detail {
    }

    /** The hooks name the uplink {@code uplink} here and {@code other} at {@code otherLine}. */
    record Uplinks(String uplink, String other, int otherLine) implements Detail {
    }

    // ------------------------------------------------------------------ endpoint and ports

    /** The Endpoint port is not the other side's ListenPort. */
    record PortMismatch(int endpointPort, String serverFile, int listenPort, int listenPortLine) implements Detail {
    }

    /** A peer that others dial has no ListenPort; {@code clientFile:clientLine} is one Endpoint that dials it. */
    record NoListenPort(String clientFile, int clientLine, int endpointPort) implements Detail {
    }

    /** Neither side of a link has an Endpoint for the other. */
    record NoEndpoint(String otherFile, int otherLine) implements Detail {
    }

    /**
     * PersistentKeepalive for a peer behind a NAT: {@code current} seconds now (0 off), {@code recommended}
     * as analyze's advice rule gives without a measured mapping timeout; {@code endpoint} the
     * address it dials.
     */
    record Keepalive(int recommended, int current, String endpoint) implements Detail {
    }

    /** A port-restricted line: {@code listenPort} null when random; {@code suggestion} a port inside the set. */
    record PortSetPort(PortSet set, Integer listenPort, int suggestion) implements Detail {
    }

    // ------------------------------------------------------------------ MTU

    /**
     * The tunnel MTU ({@code explicit}, or wg-quick's automatic value) is larger than the outer
     * path carries: {@code family} of the outer packets (0 when the endpoint is a name), the
     * {@code endpoint}, the {@code line} with its {@code pathMtu}, the {@code overhead} per packet and
     * the MTU to use.
     */
    record MtuTooLarge(int mtu, boolean explicit, int family, String endpoint, OuterLine line, int pathMtu,
                       int overhead, int recommended) implements Detail {
    }

    /** An MTU below IPv6's minimum on an interface with IPv6 addresses. */
    record MtuBelowMinimum(int mtu, int minimum) implements Detail {
    }
}
