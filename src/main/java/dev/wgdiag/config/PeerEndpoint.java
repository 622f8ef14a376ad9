package dev.wgdiag.config;

import dev.wgdiag.net.Endpoint;
import dev.wgdiag.net.IpAddresses;
import java.util.Optional;

/** A peer's Endpoint: {@code host:port} or {@code [v6]:port}; a host name is kept as text, never resolved. */
public record PeerEndpoint(String host, int port) {

    public static PeerEndpoint parse(String text) {
        String s = text.strip();
        String host;
        String port;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0 || close + 1 >= s.length() || s.charAt(close + 1) != ':') {
                throw new IllegalArgumentException("expected [address]:port");
            }
            host = s.substring(1, close);
            port = s.substring(close + 2);
        } else {
            int colon = s.lastIndexOf(':');
            if (colon <= 0 || s.indexOf(':') != colon) {
                throw new IllegalArgumentException("expected host:port or [address]:port");
            }
            host = s.substring(0, colon);
            port = s.substring(colon + 1);
        }
        int p;
        try {
            p = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad port");
        }
        if (p < 0 || p > 0xffff || host.isEmpty()) {
            throw new IllegalArgumentException(host.isEmpty() ? "empty host" : "port out of range 0..65535");
        }
        return new PeerEndpoint(host, p);
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
        return Optional.of(Endpoint.parse(host.contains(":") ? "[" + host + "]:" + port : host + ":" + port));
    }

    @Override
    public String toString() {
        return host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
    }
}
