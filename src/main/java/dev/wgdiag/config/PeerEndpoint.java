package dev.wgdiag.config;

import dev.wgdiag.net.Endpoint;
import dev.wgdiag.net.HostNames;
import dev.wgdiag.net.HostPort;
import dev.wgdiag.net.IpAddresses;
import java.util.Optional;

/** A peer's Endpoint: {@code host:port} or {@code [v6]:port}; a host name is kept as text, never resolved. */
public record PeerEndpoint(String host, int port) {

    public static PeerEndpoint parse(String text) {
        HostPort hp = HostPort.parse(text);
        // [..] holds an IPv6 literal; otherwise an IPv4 literal or a name wg could resolve
        boolean bracketed = text.strip().startsWith("[");
        if (bracketed ? !(hp.host().indexOf(':') >= 0 && HostNames.isAddress(hp.host())) : !HostNames.isHost(hp.host())) {
            throw new IllegalArgumentException(bracketed ? "not an IPv6 address in [ ]" : "not an IP address or host name");
        }
        return new PeerEndpoint(hp.host(), hp.port());
    }

    /** True when the host is a numeric address (no name to resolve). */
    public boolean isNumeric() {
        return IpAddresses.isNumeric(host);
    }

    /** The endpoint as an address, when the host is numeric. */
    public Optional<Endpoint> toEndpoint() {
        if (!isNumeric()) {
            return Optional.empty();
        }
        return Optional.of(Endpoint.parse(toString()));
    }

    @Override
    public String toString() {
        return new HostPort(host, port).toString();
    }
}
