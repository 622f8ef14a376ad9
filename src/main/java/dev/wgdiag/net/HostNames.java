package dev.wgdiag.net;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Whether text is an address or a host name wg(8) could resolve: an IPv4 or IPv6 literal (an IPv6
 * one may carry a {@code %zone}), or a DNS name of letters, digits, '-' and '_' in dot-separated
 * labels of 1 to 63 characters, 253 in all (RFC 1123 section 2.1, RFC 1035 section 2.3.4). Nothing
 * is resolved.
 */
public final class HostNames {
    private HostNames() {
    }

    /** An IPv4 or IPv6 literal, or a host name. */
    public static boolean isHost(String text) {
        return isAddress(text) || isName(text);
    }

    /** An IPv4 literal, or an IPv6 literal with an optional zone. */
    public static boolean isAddress(String text) {
        int pct = text.indexOf('%');
        String addr = pct < 0 ? text : text.substring(0, pct);
        if (pct >= 0 && (addr.indexOf(':') < 0 || !isZone(text.substring(pct + 1)))) return false;
        if (!IpAddresses.isNumeric(addr)) return false;
        try {
            InetAddress.getByName(addr);                 // numeric only (checked above): parses, never resolves
            return true;
        } catch (UnknownHostException | IllegalArgumentException e) {
            return false;
        }
    }

    /** A DNS host name (a trailing dot allowed). */
    public static boolean isName(String text) {
        String s = text.endsWith(".") ? text.substring(0, text.length() - 1) : text;
        if (s.isEmpty() || s.length() > 253) return false;
        for (String label : s.split("\\.", -1)) {
            if (label.isEmpty() || label.length() > 63 || label.startsWith("-") || label.endsWith("-")) return false;
            for (int i = 0; i < label.length(); i++) {
                char c = label.charAt(i);
                if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean isZone(String zone) {
        return !zone.isEmpty() && isName(zone.replace('.', '_'));
    }
}
