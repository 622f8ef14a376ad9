package dev.wgdiag.config;

import dev.wgdiag.net.IpAddresses;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An address with a prefix length, as in Address and AllowedIPs ({@code 10.0.0.1/24},
 * {@code fd86:ea04:1119::1/64}, or a bare address meaning /32 or /128). Numeric only; never resolved.
 */
public record IpPrefix(int version, String address, int prefixLength, boolean explicitLength) {

    public static IpPrefix parse(String text) {
        String s = text.strip();
        int slash = s.indexOf('/');
        String addr = slash < 0 ? s : s.substring(0, slash);
        if (!IpAddresses.isNumeric(addr)) {
            throw new IllegalArgumentException("not an IP address");
        }
        byte[] b;
        try {
            b = InetAddress.getByName(addr).getAddress();
        } catch (UnknownHostException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not an IP address");
        }
        int version = b.length == 4 ? 4 : 6;
        int max = b.length * 8;
        int len = max;
        if (slash >= 0) {
            try {
                len = Integer.parseInt(s.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad prefix length");
            }
            if (len < 0 || len > max) {
                throw new IllegalArgumentException("prefix length out of range 0.." + max);
            }
        }
        long hi = 0;
        long lo = 0;
        if (version == 4) {
            lo = ((b[0] & 0xffL) << 24) | ((b[1] & 0xffL) << 16) | ((b[2] & 0xffL) << 8) | (b[3] & 0xffL);
        } else {
            for (int i = 0; i < 8; i++) {
                hi = (hi << 8) | (b[i] & 0xff);
                lo = (lo << 8) | (b[i + 8] & 0xff);
            }
        }
        return new IpPrefix(version, IpAddresses.format(version, hi, lo), len, slash >= 0);
    }

    /** The address as an unsigned number (32 bits for IPv4, 128 for IPv6). */
    public BigInteger value() {
        try {
            return new BigInteger(1, InetAddress.getByName(address).getAddress());
        } catch (UnknownHostException e) {
            throw new IllegalStateException("a parsed address is numeric: " + address, e);
        }
    }

    /** Bits in an address of this version. */
    public int bits() {
        return version == 4 ? 32 : 128;
    }

    /** The first address of the prefix (host bits cleared). */
    public BigInteger first() {
        int host = bits() - prefixLength;
        return value().shiftRight(host).shiftLeft(host);
    }

    /** The last address of the prefix (host bits set). */
    public BigInteger last() {
        int host = bits() - prefixLength;
        return first().add(BigInteger.ONE.shiftLeft(host)).subtract(BigInteger.ONE);
    }

    /** True when every address of {@code other} is in this prefix (same version). */
    public boolean contains(IpPrefix other) {
        return version == other.version && prefixLength <= other.prefixLength
                && first().equals(other.value().shiftRight(bits() - prefixLength).shiftLeft(bits() - prefixLength));
    }

    /** True when this prefix and {@code other} share an address. */
    public boolean overlaps(IpPrefix other) {
        return contains(other) || other.contains(this);
    }

    /** The same network with the host bits cleared ({@code 10.0.0.1/24} -> {@code 10.0.0.0/24}). */
    public IpPrefix network() {
        return IpPrefix.parse(format(version, first()) + "/" + prefixLength);
    }

    /** The address alone, as a /32 or /128. */
    public IpPrefix host() {
        return new IpPrefix(version, address, bits(), true);
    }

    /** An address of this version from its number. */
    public static String format(int version, BigInteger v) {
        long lo = v.longValue();
        long hi = v.shiftRight(64).longValue();
        return IpAddresses.format(version, version == 4 ? 0 : hi, version == 4 ? lo & 0xffffffffL : lo);
    }

    @Override
    public String toString() {
        return address + "/" + prefixLength;
    }
}
