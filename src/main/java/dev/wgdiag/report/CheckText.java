package dev.wgdiag.report;

import dev.wgdiag.check.CheckResult;
import dev.wgdiag.check.Detail;
import dev.wgdiag.check.Finding;
import dev.wgdiag.check.Severity;
import dev.wgdiag.config.Attribute;
import dev.wgdiag.config.IpPrefix;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * {@code wgdiag check}'s words: one line per finding, as a compiler writes them,
 * {@code FILE:LINE: error|warning|note: what is wrong; fix: what to change [rule-id]}, then which
 * file is which peer and the counts. Keys are named by the first characters of a public key only.
 */
public final class CheckText {
    private CheckText() {
    }

    public static void write(CheckResult r, Writer out) {
        try {
            for (Finding f : r.findings()) out.write(line(f) + "\n");
            for (CheckResult.Pairing p : r.pairings()) out.write(pairing(p) + "\n");
            out.write(counts(r) + "\n");
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One finding as one line. */
    public static String line(Finding f) {
        return f.file() + (f.line() > 0 ? ":" + f.line() : "") + ": " + f.severity().name().toLowerCase(Locale.ROOT) + ": "
                + what(f) + "; fix: " + fix(f) + " [" + f.rule().id() + "]";
    }

    static String pairing(CheckResult.Pairing p) {
        return "pair: " + side(p.fileA(), p.lineA()) + " <-> " + side(p.fileB(), p.lineB())
                + (p.byKey() ? " (keys match)" : " (paired by addresses and ports: see the key findings)");
    }

    private static String side(String file, int line) {
        return line > 0 ? file + ":" + line + " [Peer]" : file + " (no [Peer])";
    }

    static String counts(CheckResult r) {
        if (r.findings().isEmpty()) return "no problems found in " + r.files().size() + " file" + (r.files().size() == 1 ? "" : "s");
        return plural(r.count(Severity.ERROR), "error") + ", " + plural(r.count(Severity.WARNING), "warning") + ", "
                + plural(r.count(Severity.NOTE), "note");
    }

    private static String plural(long n, String word) {
        return n + " " + word + (n == 1 ? "" : "s");
    }

    private static String fam(int family) {
        return family == 4 ? "IPv4" : "IPv6";
    }

    private static String all(int family) {
        return family == 4 ? "0.0.0.0/0" : "::/0";
    }

    private static String sec(Attribute.Section s) {
        return s == null ? "" : "[" + s.title() + "] ";
    }

    private static String at(String file, int line) {
        return line > 0 ? file + ":" + line : file;
    }

    private static String prefixes(List<IpPrefix> ps) {
        return ps.isEmpty() ? "none" : ps.stream().map(IpPrefix::toString).collect(Collectors.joining(", "));
    }

    /** What is wrong. */
    public static String what(Finding f) {
        Detail d = f.detail();
        return switch (f.rule()) {
            case WORLD_ACCESSIBLE -> "others may read this file, and it holds a private key (wg-quick warns \"world accessible\")";
            case FILE_NAME -> "wg-quick refuses the file name " + ((Detail.FileName) d).name()
                    + ": it must be an interface name (1 to 15 of a-z A-Z 0-9 _ = + . -) followed by .conf";
            case MALFORMED_LINE -> sec(((Detail.InSection) d).section())
                    + "this line is neither a [Section] header nor Key = Value; wg setconf stops at it (\"Line unrecognized\")";
            case OUTSIDE_SECTION -> ((Detail.Outside) d).name() + " comes before the first [Interface] or [Peer] header; wg setconf"
                    + " stops at it (\"Line unrecognized\")";
            case UNKNOWN_SECTION -> "unknown section " + ((Detail.UnknownSection) d).header()
                    + "; wg setconf stops at it (\"Line unrecognized\")";
            case SECOND_INTERFACE -> "a second [Interface] section (the first is at line " + ((Detail.Repeated) d).firstLine()
                    + "): wg merges them and later values replace earlier ones";
            case UNKNOWN_ATTRIBUTE -> {
                Detail.UnknownAttribute u = (Detail.UnknownAttribute) d;
                yield sec(u.section()) + "has no attribute " + u.name() + (u.belongsIn() != null ? " (it belongs in ["
                        + u.belongsIn().title() + "])" : "") + "; wg setconf stops at it (\"Line unrecognized\"), so the tunnel does not come up";
            }
            case DUPLICATE_ATTRIBUTE -> {
                Detail.DuplicateAttribute u = (Detail.DuplicateAttribute) d;
                yield sec(u.section()) + u.attribute().spelling() + " is set again (first at line " + u.firstLine() + "): it takes"
                        + " one value, and this one silently replaces the first";
            }
            case BAD_VALUE -> {
                Detail.BadValue b = (Detail.BadValue) d;
                yield sec(b.section()) + b.name() + ": " + b.reason();
            }
            case BAD_KEY -> {
                Detail.BadKey b = (Detail.BadKey) d;
                String why = b.decodedBytes() < 0 ? "it is not base64"
                        : b.decodedBytes() == 32 ? "its base64 is not in the canonical form wg writes"
                        : "it decodes to " + b.decodedBytes() + " bytes";
                yield sec(b.section()) + b.name() + " is not a WireGuard key: " + why + ", and a key is 32 bytes (44 base64"
                        + " characters ending in '='); wg setconf stops at it (\"Key is not the correct length or format\")";
            }
            case PEER_WITHOUT_PUBLIC_KEY -> {
                String name = ((Detail.PeerWithoutKey) d).peer();
                yield "[Peer]" + (name == null ? "" : " " + name) + " has no PublicKey; wg setconf rejects the file"
                        + " (\"A peer is missing a public key\")";
            }
            case DUPLICATE_PEER -> {
                Detail.DuplicatePeer p = (Detail.DuplicatePeer) d;
                yield "this [Peer] has the same PublicKey (" + p.key() + "...) as the [Peer] at line " + p.firstLine()
                        + ": wg applies both to one peer, and this section's AllowedIPs replace the earlier ones whole";
            }
            case NO_INTERFACE -> "no [Interface] section: there is no PrivateKey to speak with";
            case NO_PRIVATE_KEY -> "[Interface] has no PrivateKey: the interface comes up but cannot handshake";
            case PUBLIC_KEY_MISMATCH -> {
                Detail.KeyMismatch k = (Detail.KeyMismatch) d;
                yield "this [Peer] stands for " + k.otherFile() + " (by its addresses and ports) but its PublicKey (" + k.found()
                        + "...) is not the public key of " + k.otherFile() + "'s PrivateKey (" + k.expected() + "...): every"
                        + " handshake between them fails";
            }
            case PRIVATE_KEY_HOLDS_PUBLIC_KEY -> {
                Detail.KeyPlace k = (Detail.KeyPlace) d;
                yield "PrivateKey holds a public key: the one " + at(k.otherFile(), k.otherLine()) + " lists as this peer's"
                        + " PublicKey; the real private key is missing, so no handshake succeeds";
            }
            case PUBLIC_KEY_HOLDS_PRIVATE_KEY -> {
                Detail.KeyPlace k = (Detail.KeyPlace) d;
                yield "PublicKey holds a private key: " + k.otherFile() + "'s own PrivateKey (" + at(k.otherFile(), k.otherLine())
                        + "); the handshake fails, and that private key has leaked into this file";
            }
            case PRIVATE_KEY_NOT_CLAMPED -> "PrivateKey is not shaped like a key from wg genkey (not clamped as RFC 7748"
                    + " section 5 describes): it is most likely a public key pasted in the wrong place";
            case SAME_PRIVATE_KEY -> {
                Detail.KeyPlace k = (Detail.KeyPlace) d;
                yield "the same PrivateKey as " + at(k.otherFile(), k.otherLine()) + ": two peers with one identity cannot"
                        + " handshake with each other";
            }
            case PRESHARED_KEY_ONE_SIDE -> {
                Detail.Psk k = (Detail.Psk) d;
                yield "PresharedKey is set here but not in " + k.otherFile() + "'s [Peer] for this side (" + at(k.otherFile(),
                        k.otherLine()) + "): the two sides mix different keys into the handshake, so it fails";
            }
            case PRESHARED_KEY_DIFFERS -> {
                Detail.KeyPlace k = (Detail.KeyPlace) d;
                yield "PresharedKey differs from the one at " + at(k.otherFile(), k.otherLine()) + ": the handshake fails";
            }
            case NO_PEER_FOR -> {
                Detail.NoPeerFor k = (Detail.NoPeerFor) d;
                yield k.otherFile() + " has a [Peer] for this file (" + at(k.otherFile(), k.otherLine()) + ") but this file has"
                        + " no [Peer] for " + k.otherFile() + (k.otherKey() == null ? "" : " (public key " + k.otherKey() + "...)");
            }
            case UNRELATED_FILE -> "no [Peer] ties this file to the other files given, and none of them lists it";
            case ALLOWED_IPS_DUPLICATE -> {
                Detail.Overlap o = (Detail.Overlap) d;
                yield "AllowedIPs " + o.prefix() + " of [Peer] " + o.peer() + " is also in the AllowedIPs of [Peer] " + o.otherPeer()
                        + " (line " + o.otherLine() + "): wg gives a prefix to one peer only, the later one, so " + o.otherPeer()
                        + " loses it";
            }
            case ALLOWED_IPS_OVERLAP -> {
                Detail.Overlap o = (Detail.Overlap) d;
                yield "AllowedIPs " + o.prefix() + " of [Peer] " + o.peer() + " overlaps " + o.other() + " of [Peer] " + o.otherPeer()
                        + " (line " + o.otherLine() + "): packets to the overlap go only to the peer with the longer prefix";
            }
            case ADDRESS_NOT_ALLOWED -> {
                Detail.AddressNotAllowed a = (Detail.AddressNotAllowed) d;
                yield "Address " + a.address() + " is not inside the AllowedIPs " + a.serverFile() + " has for this peer ("
                        + at(a.serverFile(), a.serverLine()) + ": " + prefixes(a.allowed()) + "): " + a.serverFile()
                        + " drops every packet from " + a.address().address();
            }
            case IPV6_LEAK, IPV4_LEAK -> {
                Detail.Leak l = (Detail.Leak) d;
                int full = l.family() == 6 ? 4 : 6;
                yield "full tunnel for " + fam(full) + " only: AllowedIPs has " + all(full) + " but not " + all(l.family())
                        + ", so " + fam(l.family()) + " traffic leaves outside the tunnel"
                        + (l.tunnelCarriesIt() ? " although " + String.join(" and ", l.sides()) + " " + (l.sides().size() == 1 ? "has "
                        : "have ") + fam(l.family()) + " tunnel addresses" : " wherever this device has " + fam(l.family()));
            }
            case IPV6_SCOPE -> {
                Detail.Ipv6Scope s = (Detail.Ipv6Scope) d;
                yield "Address " + s.address() + switch (s.scope()) {
                    case LINK_LOCAL -> " is link-local (fe80::/10, RFC 4291 section 2.5.6): routers do not forward it beyond"
                            + " the link, so it cannot reach other peers or the Internet through the server";
                    case SITE_LOCAL -> " is site-local (fec0::/10), deprecated by RFC 3879 and not to be used";
                    case UNASSIGNED_ULA -> " is in fc00::/8, the half of the unique local range that RFC 4193 leaves"
                            + " undefined; locally chosen prefixes belong in fd00::/8";
                };
            }
            case ROUTE_WITHOUT_ADDRESS -> {
                Detail.RouteWithoutAddress r = (Detail.RouteWithoutAddress) d;
                yield "all " + fam(r.family()) + " traffic (" + r.route() + ") goes into the tunnel but this side has no "
                        + fam(r.family()) + " Address: " + fam(r.family()) + " connections fail (blocked, not leaked)";
            }
            case DEFAULT_ROUTE_TO_CLIENT -> {
                Detail.DefaultRoute r = (Detail.DefaultRoute) d;
                yield "AllowedIPs " + r.prefix() + " for [Peer] " + r.peer() + ", a peer that dials in: wg-quick routes all of"
                        + " this host's " + fam(r.prefix().version()) + " traffic to that one peer";
            }
            case NO_MASQUERADE -> {
                Detail.Forwarding w = (Detail.Forwarding) d;
                yield w.clientFile() + " sends all its " + fam(w.family()) + " traffic here but PostUp masquerades no "
                        + fam(w.family()) + ": its private source addresses leave unchanged and no reply comes back"
                        + (w.unreadHooks() ? " (unless the commands wgdiag cannot read do it)" : "");
            }
            case MASQUERADE_ON_TUNNEL -> {
                Detail.Forwarding w = (Detail.Forwarding) d;
                yield "the " + fam(w.family()) + " masquerade rule names the tunnel as its out-interface, so traffic from "
                        + w.clientFile() + " to the Internet leaves on the uplink unmasqueraded";
            }
            case NO_FORWARD_ACCEPT -> {
                Detail.Forwarding w = (Detail.Forwarding) d;
                yield "PostUp lets no forwarded " + fam(w.family()) + " through the FORWARD chain"
                        + (f.severity() == Severity.WARNING ? " although it does for " + fam(w.family() == 4 ? 6 : 4) : "")
                        + ": where the FORWARD policy is DROP (Docker, ufw, firewalld) " + w.clientFile() + "'s " + fam(w.family())
                        + " traffic is dropped";
            }
            case NO_IP_FORWARDING -> {
                Detail.Forwarding w = (Detail.Forwarding) d;
                yield "PostUp does not turn on " + fam(w.family()) + " forwarding (" + sysctl(w.family()) + ", off by default)"
                        + (f.severity() == Severity.WARNING ? " although it does for " + fam(w.family() == 4 ? 6 : 4) : "")
                        + ": unless /etc/sysctl.d turns it on, the kernel drops " + w.clientFile() + "'s " + fam(w.family()) + " traffic";
            }
            case POSTDOWN_NOT_UNDONE -> {
                Detail.NotUndone n = (Detail.NotUndone) d;
                yield "nothing in PostDown undoes " + String.join("; ", n.commands()) + ": each wg-quick down and up leaves"
                        + " another copy behind";
            }
            case TUNNEL_NAME_LITERAL -> {
                Detail.TunnelName t = (Detail.TunnelName) d;
                yield "the hook names interface " + t.written() + " but wg-quick brings this file up as " + t.interfaceName()
                        + " (the file's name), so the rule never matches the tunnel";
            }
            case UPLINK_INCONSISTENT -> {
                Detail.Uplinks u = (Detail.Uplinks) d;
                yield "the hook names the uplink " + u.uplink() + " here but " + u.other() + " at line " + u.otherLine()
                        + ": one of them is not this host's uplink";
            }
            case ENDPOINT_PORT_MISMATCH -> {
                Detail.PortMismatch p = (Detail.PortMismatch) d;
                yield "Endpoint port " + p.endpointPort() + " is not the ListenPort of " + p.serverFile() + " (" + p.listenPort() + ", "
                        + at(p.serverFile(), p.listenPortLine()) + "): handshakes go to a port nobody listens on";
            }
            case NO_LISTEN_PORT -> {
                Detail.NoListenPort p = (Detail.NoListenPort) d;
                yield p.clientFile() + " dials this peer (" + at(p.clientFile(), p.clientLine()) + ") but it has no ListenPort:"
                        + " it listens on a random port, a new one at each start";
            }
            case NO_ENDPOINT -> {
                Detail.NoEndpoint e = (Detail.NoEndpoint) d;
                yield "neither this [Peer] nor " + e.otherFile() + "'s [Peer] for this side (" + at(e.otherFile(), e.otherLine())
                        + ") has an Endpoint: no side can start a handshake";
            }
            case KEEPALIVE_MISSING -> {
                Detail.Keepalive k = (Detail.Keepalive) d;
                yield "this peer dials " + k.endpoint() + " across the Internet and is not dialed back, so it sits behind a NAT;"
                        + " without PersistentKeepalive the NAT forgets the mapping when the tunnel idles, and the other side"
                        + " cannot reach it until it sends again";
            }
            case KEEPALIVE_TOO_LONG -> {
                Detail.Keepalive k = (Detail.Keepalive) d;
                yield "PersistentKeepalive = " + k.current() + " is longer than " + k.recommended() + " s: home routers, Linux"
                        + " conntrack and carrier NATs often forget an idle UDP mapping after 30 s";
            }
            case RANDOM_PORT_ON_PORT_SET -> {
                Detail.PortSetPort p = (Detail.PortSetPort) d;
                yield "no ListenPort on a port-restricted line (ports " + p.set() + "): the random port wg picks lies outside the"
                        + " set, so the line's NAT translates it, to a different port after every restart";
            }
            case LISTEN_PORT_OUTSIDE_PORT_SET -> {
                Detail.PortSetPort p = (Detail.PortSetPort) d;
                yield "ListenPort " + p.listenPort() + " is outside the line's port set (" + p.set() + ")"
                        + (f.severity() == Severity.ERROR ? ": nothing from the Internet reaches it" : ": the line's NAT translates it");
            }
            case MTU_TOO_LARGE -> {
                Detail.MtuTooLarge m = (Detail.MtuTooLarge) d;
                int family = m.overhead() == 60 ? 4 : 6;
                String line = m.line().linkMtu() == 1500 && !m.line().pppoe() && !m.line().ipv4InIpv6() ? ""
                        : " on a " + m.line() + " line";
                yield (m.explicit() ? "MTU " + m.mtu() + " is" : "without MTU, wg-quick sets " + m.mtu() + " (the route's " + (m.mtu() + 80) + " - 80),")
                        + " too large for the path to " + m.endpoint() + ": " + fam(family) + (m.family() == 0 ? " (if the name resolves to "
                        + fam(family) + ")" : "") + line + " carries packets of " + m.pathMtu() + " bytes, and " + m.overhead()
                        + " go to the outer IP, UDP and WireGuard headers; larger packets are fragmented or dropped";
            }
            case MTU_BELOW_IPV6_MINIMUM -> {
                Detail.MtuBelowMinimum m = (Detail.MtuBelowMinimum) d;
                yield "MTU " + m.mtu() + " is below " + m.minimum() + ", IPv6's minimum (RFC 8200 section 5): Linux turns IPv6 off"
                        + " on the interface, and its IPv6 Address cannot be set";
            }
        };
    }

    private static String sysctl(int family) {
        return family == 4 ? "net.ipv4.ip_forward" : "net.ipv6.conf.all.forwarding";
    }

    /** What to change. */
    public static String fix(Finding f) {
        Detail d = f.detail();
        return switch (f.rule()) {
            case WORLD_ACCESSIBLE -> "chmod 600 " + f.file();
            case FILE_NAME -> "rename it, e.g. to wg0.conf";
            case MALFORMED_LINE -> "remove the line or write it as Key = Value";
            case OUTSIDE_SECTION -> "move it into its [Interface] or [Peer] section";
            case UNKNOWN_SECTION -> {
                Detail.UnknownSection u = (Detail.UnknownSection) d;
                yield u.suggestion() != null ? "write [" + u.suggestion().title() + "]" : "use [Interface] or [Peer]";
            }
            case SECOND_INTERFACE -> "move its attributes into the first [Interface] section";
            case UNKNOWN_ATTRIBUTE -> {
                Detail.UnknownAttribute u = (Detail.UnknownAttribute) d;
                if (u.belongsIn() != null) yield "move it into the [" + u.belongsIn().title() + "] section";
                yield u.suggestion() != null ? "write " + u.suggestion().spelling() : "remove it (see wg(8) and wg-quick(8) for the"
                        + " attributes of [" + u.section().title() + "])";
            }
            case DUPLICATE_ATTRIBUTE -> "keep one " + ((Detail.DuplicateAttribute) d).attribute().spelling() + " line";
            case BAD_VALUE -> "write " + expected(((Detail.BadValue) d).name());
            case BAD_KEY -> switch (Attribute.named(((Detail.BadKey) d).name()).orElse(Attribute.PUBLIC_KEY)) {
                case PRIVATE_KEY -> "paste the whole output of wg genkey";
                case PRESHARED_KEY -> "paste the whole output of wg genpsk, the same key on both sides";
                default -> "paste the peer's whole public key (wg pubkey < its private key)";
            };
            case PEER_WITHOUT_PUBLIC_KEY -> "add PublicKey = the peer's public key (wg pubkey < its private key)";
            case DUPLICATE_PEER -> "merge the two sections into one [Peer]";
            case NO_INTERFACE -> "add an [Interface] section with PrivateKey = the output of wg genkey";
            case NO_PRIVATE_KEY -> "add PrivateKey = the output of wg genkey";
            case PUBLIC_KEY_MISMATCH -> {
                Detail.KeyMismatch k = (Detail.KeyMismatch) d;
                yield "set PublicKey to the public key of " + k.otherFile() + "'s PrivateKey (wg pubkey of it, it starts with "
                        + k.expected() + ")";
            }
            case PRIVATE_KEY_HOLDS_PUBLIC_KEY -> "put this peer's own private key here (the key wg pubkey turns into that public"
                    + " key); if it is lost, make a new pair with wg genkey and update " + ((Detail.KeyPlace) d).otherFile();
            case PUBLIC_KEY_HOLDS_PRIVATE_KEY -> "give " + ((Detail.KeyPlace) d).otherFile() + " a new key pair (wg genkey), since"
                    + " its private key was copied here, and put the new public key (wg pubkey) here";
            case PRIVATE_KEY_NOT_CLAMPED -> "use this peer's private key (the output of wg genkey), and give its public key to the"
                    + " other peers";
            case SAME_PRIVATE_KEY -> "give one of the two a new key (wg genkey) and update its public key where it is listed";
            case PRESHARED_KEY_ONE_SIDE -> {
                Detail.Psk k = (Detail.Psk) d;
                yield "put the same PresharedKey into " + at(k.otherFile(), k.otherLine()) + ", or remove it here";
            }
            case PRESHARED_KEY_DIFFERS -> "use one key (wg genpsk) on both sides";
            case NO_PEER_FOR -> {
                Detail.NoPeerFor k = (Detail.NoPeerFor) d;
                yield "add a [Peer] with PublicKey = the public key of " + k.otherFile() + "'s PrivateKey"
                        + (k.otherKey() == null ? "" : " (it starts with " + k.otherKey() + ")");
            }
            case UNRELATED_FILE -> "check that the files belong to one tunnel";
            case ALLOWED_IPS_DUPLICATE -> "give each peer its own addresses (one /32 and one /128 per client)";
            case ALLOWED_IPS_OVERLAP -> "make the peers' AllowedIPs disjoint, unless the more specific peer is meant to take"
                    + " that part";
            case ADDRESS_NOT_ALLOWED -> {
                Detail.AddressNotAllowed a = (Detail.AddressNotAllowed) d;
                yield "add " + a.address().host() + " to AllowedIPs at " + at(a.serverFile(), a.serverLine())
                        + ", or give this side an address inside them";
            }
            case IPV6_LEAK, IPV4_LEAK -> {
                Detail.Leak l = (Detail.Leak) d;
                yield "add " + all(l.family()) + " to AllowedIPs" + (l.tunnelCarriesIt() ? "" : " (with " + fam(l.family())
                        + " tunnel addresses on both sides it carries " + fam(l.family()) + "; without them it blocks it)");
            }
            case IPV6_SCOPE -> "use a unique local address such as " + ((Detail.Ipv6Scope) d).suggestion()
                    + " (fd00::/8 with a random 40-bit global ID, RFC 4193 section 3.2), and the same prefix in the peers' AllowedIPs";
            case ROUTE_WITHOUT_ADDRESS -> {
                Detail.RouteWithoutAddress r = (Detail.RouteWithoutAddress) d;
                yield "to carry " + fam(r.family()) + ", add an " + fam(r.family()) + " Address here and to the other side's"
                        + " AllowedIPs for this peer; to block " + fam(r.family()) + " on purpose, nothing";
            }
            case DEFAULT_ROUTE_TO_CLIENT -> "list only that peer's own tunnel addresses (such as a /32 and a /128); the default"
                    + " route belongs in the client's config";
            case NO_MASQUERADE, MASQUERADE_ON_TUNNEL -> {
                Detail.Forwarding w = (Detail.Forwarding) d;
                String up = uplink(w);
                yield w.nft() ? "PostUp = nft add rule " + (w.family() == 4 ? "ip" : "ip6") + " <nat table> postrouting oifname "
                        + up + " masquerade (in a nat table of type nat, hook postrouting), removed again in PostDown"
                        : "PostUp = " + ipt(w.family()) + " -t nat -A POSTROUTING -o " + up + " -j MASQUERADE, and PostDown = "
                        + ipt(w.family()) + " -t nat -D POSTROUTING -o " + up + " -j MASQUERADE";
            }
            case NO_FORWARD_ACCEPT -> {
                Detail.Forwarding w = (Detail.Forwarding) d;
                yield w.nft() ? "PostUp = nft add rule " + (w.family() == 4 ? "ip" : "ip6") + " <filter table> forward iifname %i"
                        + " accept (and oifname %i accept), removed again in PostDown"
                        : "PostUp = " + ipt(w.family()) + " -A FORWARD -i %i -j ACCEPT; " + ipt(w.family()) + " -A FORWARD -o %i -j ACCEPT,"
                        + " and the same with -D in PostDown";
            }
            case NO_IP_FORWARDING -> "PostUp = sysctl -w " + sysctl(((Detail.Forwarding) d).family()) + "=1, or set it in /etc/sysctl.d/";
            case POSTDOWN_NOT_UNDONE -> {
                Detail.NotUndone n = (Detail.NotUndone) d;
                List<String> known = new ArrayList<>();
                boolean unknown = false;
                for (String u : n.undo()) {
                    if (u == null) unknown = true;
                    else if (!known.contains(u)) known.add(u);
                }
                String s = known.isEmpty() ? "" : "PostDown = " + String.join("; ", known);
                if (unknown) s += (s.isEmpty() ? "" : "; and ") + "keep the rules wgdiag cannot undo safely in an nft table of their"
                        + " own (nft add table inet wg-%i ...) that PostDown deletes (nft delete table inet wg-%i)";
                yield s;
            }
            case TUNNEL_NAME_LITERAL -> "write %i, which wg-quick replaces with " + ((Detail.TunnelName) d).interfaceName();
            case UPLINK_INCONSISTENT -> "name the interface of the default route (ip route show default) in every rule";
            case ENDPOINT_PORT_MISMATCH -> {
                Detail.PortMismatch p = (Detail.PortMismatch) d;
                yield "use port " + p.listenPort() + " in Endpoint (unless a router forwards " + p.endpointPort() + " to "
                        + p.listenPort() + ")";
            }
            case NO_LISTEN_PORT -> "ListenPort = " + ((Detail.NoListenPort) d).endpointPort() + " (the port the Endpoint dials)";
            case NO_ENDPOINT -> "add Endpoint = host:port of the side that can be reached, in the other side's [Peer]";
            case KEEPALIVE_MISSING, KEEPALIVE_TOO_LONG -> "PersistentKeepalive = " + ((Detail.Keepalive) d).recommended()
                    + " (wg(8)'s interval that works with most firewalls; wgdiag analyze on a capture measures the NAT to tune it)";
            case RANDOM_PORT_ON_PORT_SET, LISTEN_PORT_OUTSIDE_PORT_SET -> "ListenPort = " + ((Detail.PortSetPort) d).suggestion()
                    + " (inside the set), and the same port in the Endpoint of the peers that dial it";
            case MTU_TOO_LARGE -> "MTU = " + ((Detail.MtuTooLarge) d).recommended();
            case MTU_BELOW_IPV6_MINIMUM -> "MTU = " + ((Detail.MtuBelowMinimum) d).minimum() + " or more";
        };
    }

    private static String ipt(int family) {
        return family == 4 ? "iptables" : "ip6tables";
    }

    private static String uplink(Detail.Forwarding w) {
        return w.uplink() != null ? w.uplink() : "<uplink>";
    }

    private static String expected(String attribute) {
        return switch (Attribute.named(attribute).orElse(Attribute.ADDRESS)) {
            case LISTEN_PORT -> "a port number from 0 to 65535";
            case FW_MARK -> "off or a 32-bit number";
            case ADDRESS, ALLOWED_IPS -> "addresses with prefix lengths, comma-separated (10.0.0.2/32, fd00::2/128)";
            case DNS -> "addresses or search domains, comma-separated";
            case MTU -> "a number from 576 to 65535 (1280 or more with IPv6)";
            case SAVE_CONFIG -> "true or false";
            case ENDPOINT -> "host:port or [IPv6 address]:port";
            case PERSISTENT_KEEPALIVE -> "seconds from 1 to 65535, or off";
            default -> "a valid value (wg(8), wg-quick(8))";
        };
    }
}
