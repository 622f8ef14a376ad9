package dev.wgdiag.check;

import dev.wgdiag.config.IpPrefix;
import dev.wgdiag.config.LocatedConfig.Located;
import java.math.BigInteger;
import java.util.Comparator;
import java.util.List;

/** Address arithmetic for the routing rules. */
final class Prefixes {
    private Prefixes() {
    }

    /** True when the prefixes of this family together hold every address of it (0.0.0.0/0, or 0.0.0.0/1 and 128.0.0.0/1). */
    static boolean coversAll(List<Located<IpPrefix>> prefixes, int family) {
        List<IpPrefix> f = prefixes.stream().map(Located::value).filter(p -> p.version() == family)
                .sorted(Comparator.comparing(IpPrefix::first)).toList();
        BigInteger next = BigInteger.ZERO;
        for (IpPrefix p : f) {
            if (p.first().compareTo(next) > 0) return false;
            BigInteger after = p.last().add(BigInteger.ONE);
            if (after.compareTo(next) > 0) next = after;
        }
        return next.equals(BigInteger.ONE.shiftLeft(family == 4 ? 32 : 128));
    }

    /** The line of the first prefix of this family that starts the full coverage (the /0 or the lowest one). */
    static int coverLine(List<Located<IpPrefix>> prefixes, int family) {
        return prefixes.stream().filter(p -> p.value().version() == family)
                .min(Comparator.comparingInt((Located<IpPrefix> p) -> p.value().prefixLength()))
                .map(Located::line).orElse(0);
    }

    static boolean hasFamily(List<IpPrefix> prefixes, int family) {
        return prefixes.stream().anyMatch(p -> p.version() == family);
    }

    /**
     * True for addresses a router on the Internet does not route back, so a server must masquerade
     * them: IPv4 RFC 1918, RFC 6598 shared space, link-local (RFC 3927); IPv6 unique local fc00::/7
     * (RFC 4193), link-local fe80::/10 (RFC 4291) and deprecated site-local fec0::/10 (RFC 3879).
     */
    static boolean needsNat(IpPrefix a) {
        for (String p : a.version() == 4
                ? List.of("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "169.254.0.0/16")
                : List.of("fc00::/7", "fe80::/10", "fec0::/10")) {
            if (IpPrefix.parse(p).contains(a.host())) return true;
        }
        return false;
    }
}
