package dev.wgdiag.check;

import java.util.Locale;

/**
 * What carries a peer's WireGuard datagrams to the Internet, as far as it shrinks the packets that
 * fit: the link MTU of the host's line (Ethernet 1500, RFC 894), less 8 bytes for PPPoE (RFC 2516
 * section 7: 6 bytes PPPoE header and 2 bytes PPP protocol, so an MRU of at most 1492), less 40 bytes
 * for IPv4 on a line that carries IPv4 inside IPv6 (DS-Lite, RFC 6333 section 5.3, and MAP-E,
 * RFC 7597 section 5, both encapsulate as RFC 2473 does: one 40-byte IPv6 header; IPv6 itself is native).
 *
 * <p>Text form: {@code ethernet}, {@code pppoe}, {@code ds-lite}, {@code map-e}, joined with '+'
 * ({@code pppoe+ds-lite}), or a number for the link MTU ({@code 1400}, {@code 1400+ds-lite}).
 */
public record OuterLine(int linkMtu, boolean pppoe, boolean ipv4InIpv6, String text) {
    /** Ethernet's MTU (RFC 894), what wg-quick finds on a host behind a home router. */
    public static final int ETHERNET_MTU = 1500;
    /** PPPoE header (6) and PPP protocol field (2): RFC 2516 section 7. */
    public static final int PPPOE_OVERHEAD = 8;
    /** The IPv6 header that carries IPv4 through DS-Lite and MAP-E (RFC 2473, RFC 6333, RFC 7597). */
    public static final int IPV4_IN_IPV6_OVERHEAD = 40;

    public static final OuterLine ETHERNET = new OuterLine(ETHERNET_MTU, false, false, "ethernet");

    public static OuterLine parse(String text) {
        int mtu = ETHERNET_MTU;
        boolean pppoe = false;
        boolean v4inv6 = false;
        for (String part : text.toLowerCase(Locale.ROOT).split("\\+")) {
            String p = part.strip();
            switch (p) {
                case "ethernet" -> { }
                case "pppoe" -> pppoe = true;
                case "ds-lite", "dslite", "map-e", "mape" -> v4inv6 = true;
                default -> {
                    try {
                        mtu = Integer.parseInt(p);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("'" + p + "' is not ethernet, pppoe, ds-lite, map-e or a link MTU");
                    }
                    if (mtu < 576 || mtu > 65535) throw new IllegalArgumentException("link MTU " + mtu + " is outside 576..65535");
                }
            }
        }
        return new OuterLine(mtu, pppoe, v4inv6, text.toLowerCase(Locale.ROOT).strip());
    }

    /** The largest outer IP packet of this family the line carries. */
    public int pathMtu(int family) {
        return linkMtu - (pppoe ? PPPOE_OVERHEAD : 0) - (family == 4 && ipv4InIpv6 ? IPV4_IN_IPV6_OVERHEAD : 0);
    }

    @Override
    public String toString() {
        return text;
    }
}
