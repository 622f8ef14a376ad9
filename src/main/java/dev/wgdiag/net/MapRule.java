package dev.wgdiag.net;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A MAP Basic Mapping Rule (RFC 7597 section 5, also MAP-T, RFC 7599): rule IPv6 prefix, rule IPv4
 * prefix, EA-bits length and PSID offset. Given the end user's delegated IPv6 prefix it yields the
 * shared IPv4 address, the PSID and the port set the line may use, as section 5.1 and 5.2 define them:
 * the EA bits are the o bits of the end-user prefix after the rule IPv6 prefix; their first p = 32 - r
 * bits complete the IPv4 address, the remaining q = o - p bits are the PSID (k = q); the ports are
 * {@code A << (16 - a) | PSID << m | j} for A = 1 .. 2^a - 1 (A = 0 with a = 0) and j = 0 .. 2^m - 1,
 * m = 16 - a - k, so that with a > 0 the well-known ports 0-1023 are never in a set.
 *
 * @param ipv6Prefix the rule IPv6 prefix (its bits, left-aligned in 128), and {@code ipv6Length}
 * @param ipv4Prefix the rule IPv4 prefix (32 bits), and {@code ipv4Length}
 * @param eaBits     the EA-bits length o
 * @param psidOffset a; RFC 7597 section 5.1 default 6
 */
public record MapRule(BigInteger ipv6Prefix, int ipv6Length, long ipv4Prefix, int ipv4Length, int eaBits, int psidOffset) {
    /** RFC 7597 section 5.1: "the default value of a is 6". */
    public static final int DEFAULT_PSID_OFFSET = 6;

    /** What a rule gives one end user. */
    public record Assignment(String ipv4, int psid, int psidLength, PortSet ports) {
    }

    /**
     * {@code ipv6=2001:db8::/40,ipv4=192.0.2.0/24,ea-bits=16[,psid-offset=6]}.
     *
     * @throws IllegalArgumentException with a short reason
     */
    public static MapRule parse(String text) {
        String v6 = null, v4 = null;
        Integer ea = null, offset = DEFAULT_PSID_OFFSET;
        for (String part : text.split(",")) {
            int eq = part.indexOf('=');
            if (eq < 0) throw new IllegalArgumentException("\"" + part.strip() + "\" is not key=value");
            String k = part.substring(0, eq).strip().toLowerCase(Locale.ROOT), v = part.substring(eq + 1).strip();
            switch (k) {
                case "ipv6" -> v6 = v;
                case "ipv4" -> v4 = v;
                case "ea-bits" -> ea = number(v, "ea-bits", 0, 48);
                case "psid-offset" -> offset = number(v, "psid-offset", 0, 15);
                default -> throw new IllegalArgumentException("unknown key \"" + k + "\" (ipv6, ipv4, ea-bits, psid-offset)");
            }
        }
        if (v6 == null || v4 == null || ea == null) throw new IllegalArgumentException("needs ipv6=, ipv4= and ea-bits=");
        Prefix p6 = prefix(v6, 16), p4 = prefix(v4, 4);
        return new MapRule(p6.bits(), p6.length(), p4.bits().longValue(), p4.length(), ea, offset);
    }

    /**
     * The IPv4 address, PSID and ports of the end user with this delegated IPv6 prefix.
     *
     * @throws IllegalArgumentException when the prefix is not under the rule, too short to hold the EA
     *         bits, or the rule gives a whole IPv4 prefix rather than a shared address
     */
    public Assignment assign(String endUserPrefix) {
        Prefix user = prefix(endUserPrefix, 16);
        if (user.length() < ipv6Length + eaBits) {
            throw new IllegalArgumentException(endUserPrefix + " is shorter than the rule's /" + ipv6Length + " plus " + eaBits + " EA bits");
        }
        BigInteger ruleMask = BigInteger.ONE.shiftLeft(ipv6Length).subtract(BigInteger.ONE).shiftLeft(128 - ipv6Length);
        if (!user.bits().and(ruleMask).equals(ipv6Prefix.and(ruleMask))) {
            throw new IllegalArgumentException(endUserPrefix + " is not inside the rule's IPv6 prefix");
        }
        long ea = user.bits().shiftRight(128 - ipv6Length - eaBits).and(BigInteger.ONE.shiftLeft(eaBits).subtract(BigInteger.ONE)).longValue();
        int p = 32 - ipv4Length;
        int q = eaBits - p;
        if (q < 0) throw new IllegalArgumentException("the rule gives an IPv4 prefix, not a shared address: no port set");
        long network = ipv4Prefix & ((0xffffffffL << p) & 0xffffffffL);
        long v4 = network | (p == 0 ? 0 : (ea >>> q));
        int psid = (int) (ea & ((1L << q) - 1));
        int a = psidOffset, m = 16 - a - q;
        if (m < 0) throw new IllegalArgumentException("PSID offset " + a + " plus PSID length " + q + " exceed 16 bits");
        List<PortSet.Range> ranges = new ArrayList<>();
        for (int hi = a == 0 ? 0 : 1; hi < (1 << a); hi++) {
            int start = (hi << (16 - a)) | (psid << m);
            ranges.add(new PortSet.Range(start, start + (1 << m) - 1));
        }
        return new Assignment(IpAddresses.format(4, 0, v4), psid, q, PortSet.of(ranges));
    }

    private record Prefix(BigInteger bits, int length) {
    }

    /** A numeric prefix (never resolved), as bits left-aligned in 32 (IPv4, {@code bytes} 4) or 128 bits (IPv6). */
    private static Prefix prefix(String text, int bytes) {
        int slash = text.indexOf('/');
        if (slash < 0) throw new IllegalArgumentException("\"" + text + "\" needs a /length");
        String addr = text.substring(0, slash).strip();
        if (!IpAddresses.isNumeric(addr)) throw new IllegalArgumentException("\"" + addr + "\" is not an IP address");
        byte[] b;
        try {
            b = InetAddress.getByName(addr).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("\"" + addr + "\" is not an IP address");
        }
        if (b.length != bytes) throw new IllegalArgumentException("\"" + text + "\" is not an IPv" + (bytes == 4 ? 4 : 6) + " prefix");
        int len = number(text.substring(slash + 1).strip(), "prefix length", 0, bytes * 8);
        return new Prefix(new BigInteger(1, b), len);
    }

    private static int number(String v, String what, int min, int max) {
        try {
            int n = Integer.parseInt(v);
            if (n < min || n > max) throw new IllegalArgumentException(what + " " + n + " is outside " + min + "-" + max);
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " \"" + v + "\" is not a number");
        }
    }
}
