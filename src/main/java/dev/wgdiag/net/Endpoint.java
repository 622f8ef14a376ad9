package dev.wgdiag.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;

/**
 * An immutable UDP endpoint (IP address and port). IPv4 addresses are held in the low 32 bits of
 * {@code lo} with {@code hi == 0}; IPv6 addresses use all 128 bits. The {@code version} keeps
 * {@code ::a.b.c.d} apart from {@code a.b.c.d}.
 *
 * <p>Text form: {@code 192.0.2.1:51820} and {@code [2001:db8::1]:51820} (RFC 5952 compressed).
 */
public final class Endpoint implements Comparable<Endpoint> {
    private final int version;
    private final long hi;
    private final long lo;
    private final int port;

    private Endpoint(int version, long hi, long lo, int port) {
        this.version = version;
        this.hi = hi;
        this.lo = lo;
        this.port = port;
    }

    public static Endpoint of(int version, long hi, long lo, int port) {
        if (version != 4 && version != 6) {
            throw new IllegalArgumentException("IP version must be 4 or 6: " + version);
        }
        if (port < 0 || port > 0xffff) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        return new Endpoint(version, version == 4 ? 0 : hi, version == 4 ? lo & 0xffffffffL : lo, port);
    }

    public static Endpoint ipv4(int address, int port) {
        return of(4, 0, address & 0xffffffffL, port);
    }

    public static Endpoint of(InetAddress address, int port) {
        byte[] b = address.getAddress();
        if (b.length == 4) {
            return ipv4(((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff), port);
        }
        long hi = 0;
        long lo = 0;
        for (int i = 0; i < 8; i++) {
            hi = (hi << 8) | (b[i] & 0xff);
            lo = (lo << 8) | (b[i + 8] & 0xff);
        }
        return of(6, hi, lo, port);
    }

    /** Parses {@code a.b.c.d:port} or {@code [v6]:port}; numeric addresses only, never a DNS lookup. */
    public static Endpoint parse(String text) {
        HostPort hp = HostPort.parse(text);
        if (!IpAddresses.isNumeric(hp.host())) {
            throw new IllegalArgumentException("not a numeric IP address: '" + hp.host() + "'");
        }
        try {
            return of(InetAddress.getByName(hp.host()), hp.port());
        } catch (UnknownHostException | IllegalArgumentException e) {
            throw new IllegalArgumentException("bad address in '" + text + "'");
        }
    }

    public int version() {
        return version;
    }

    public long hi() {
        return hi;
    }

    public long lo() {
        return lo;
    }

    public int port() {
        return port;
    }

    /** Same address, any port. */
    public boolean sameAddress(Endpoint other) {
        return version == other.version && hi == other.hi && lo == other.lo;
    }

    /**
     * A private, shared or local address: RFC 1918, RFC 6598 shared (CGNAT, 100.64.0.0/10), loopback,
     * link-local (RFC 3927); IPv6 unique local fc00::/7 (RFC 4193), link-local fe80::/10, ::1.
     */
    public boolean isPrivate() {
        if (version == 4) {
            long b1 = lo >>> 24, b2 = (lo >>> 16) & 0xff;
            return b1 == 10 || (b1 == 172 && b2 >= 16 && b2 < 32) || (b1 == 192 && b2 == 168)
                    || (b1 == 100 && b2 >= 64 && b2 < 128) || b1 == 127 || (b1 == 169 && b2 == 254);
        }
        long top = hi >>> 48;
        return (top & 0xfe00) == 0xfc00 || (top & 0xffc0) == 0xfe80 || (hi == 0 && lo == 1);
    }

    public String address() {
        return IpAddresses.format(version, hi, lo);
    }

    /** {@code a.b.c.d:port} or {@code [v6]:port}, as in JSON and reports. */
    @com.fasterxml.jackson.annotation.JsonValue
    @Override
    public String toString() {
        return version == 6 ? "[" + address() + "]:" + port : address() + ":" + port;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Endpoint e && e.version == version && e.hi == hi && e.lo == lo && e.port == port;
    }

    @Override
    public int hashCode() {
        return Objects.hash(version, hi, lo, port);
    }

    @Override
    public int compareTo(Endpoint o) {
        int c = Integer.compare(version, o.version);
        if (c == 0) c = Long.compareUnsigned(hi, o.hi);
        if (c == 0) c = Long.compareUnsigned(lo, o.lo);
        if (c == 0) c = Integer.compare(port, o.port);
        return c;
    }
}
