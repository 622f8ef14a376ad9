package dev.wgdiag.net;

/** Text forms of IP addresses held as (version, hi, lo), without allocation of InetAddress. */
public final class IpAddresses {
    private IpAddresses() {
    }

    public static String format(int version, long hi, long lo) {
        if (version == 4) {
            return ((lo >>> 24) & 0xff) + "." + ((lo >>> 16) & 0xff) + "." + ((lo >>> 8) & 0xff) + "." + (lo & 0xff);
        }
        int[] groups = new int[8];
        for (int i = 0; i < 4; i++) {
            groups[i] = (int) ((hi >>> (48 - 16 * i)) & 0xffff);
            groups[i + 4] = (int) ((lo >>> (48 - 16 * i)) & 0xffff);
        }
        // RFC 5952 section 4.2: compress the longest run (>= 2) of zero groups, the first one on ties.
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            if (groups[i] == 0) {
                int j = i;
                while (j < 8 && groups[j] == 0) j++;
                if (j - i > bestLen) {
                    bestStart = i;
                    bestLen = j - i;
                }
                i = j;
            } else {
                i++;
            }
        }
        StringBuilder sb = new StringBuilder(39);
        // RFC 5952 section 5: IPv4-mapped addresses keep the dotted quad.
        if (hi == 0 && (lo >>> 32) == 0xffffL) {
            return "::ffff:" + format(4, 0, lo & 0xffffffffL);
        }
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') sb.append(':');
            sb.append(Integer.toHexString(groups[i]));
        }
        return sb.toString();
    }

    /** True for a literal IPv4 or IPv6 address (so InetAddress.getByName never resolves a name). */
    public static boolean isNumeric(String host) {
        if (host.isEmpty()) return false;
        if (host.indexOf(':') >= 0) {
            for (int i = 0; i < host.length(); i++) {
                char c = host.charAt(i);
                if (!(Character.digit(c, 16) >= 0 || c == ':' || c == '.')) return false;
            }
            return true;
        }
        String[] parts = host.split("\\.", -1);
        if (parts.length != 4) return false;
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3) return false;
            for (int i = 0; i < p.length(); i++) if (!Character.isDigit(p.charAt(i))) return false;
            if (Integer.parseInt(p) > 255) return false;
        }
        return true;
    }
}
