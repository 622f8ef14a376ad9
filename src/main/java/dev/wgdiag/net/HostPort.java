package dev.wgdiag.net;

/**
 * {@code host:port} or {@code [v6]:port} split into its parts, as wg(8) writes endpoints. The host
 * is kept as text (a name is never resolved); the port is 0-65535.
 */
public record HostPort(String host, int port) {
    public static HostPort parse(String text) {
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
        if (p < 0 || p > 0xffff) {
            throw new IllegalArgumentException("port out of range 0..65535");
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException("empty host");
        }
        return new HostPort(host, p);
    }

    @Override
    public String toString() {
        return host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
    }
}
