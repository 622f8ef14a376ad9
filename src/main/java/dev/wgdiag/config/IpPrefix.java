package dev.wgdiag.config;

import dev.wgdiag.net.IpAddresses;
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

    @Override
    public String toString() {
        return address + "/" + prefixLength;
    }
}
