package dev.wgdiag.cli;

import dev.wgdiag.config.InterfaceSection;
import dev.wgdiag.config.IpPrefix;
import dev.wgdiag.config.PeerEndpoint;
import dev.wgdiag.config.PeerSection;
import dev.wgdiag.config.WgConfig;
import dev.wgdiag.crypto.PrivateKey;
import dev.wgdiag.net.IpAddresses;
import dev.wgdiag.peer.InterfaceSpec;
import dev.wgdiag.peer.PeerSpec;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * From a wg-quick config to what {@code wgdiag peer} runs: the core's {@link InterfaceSpec} (Endpoint
 * host names resolved now, once, as wg(8) does when it sets an endpoint), the tunnel addresses the
 * inner stack answers on, the listen port, and notes about wg-quick settings that mean nothing
 * without an interface. Every refusal is a {@link UserError} of one line.
 */
final class PeerSetup {
    /** Resolves an Endpoint host name (tests replace the system's resolver). */
    @FunctionalInterface
    interface Resolver {
        InetAddress resolve(String host) throws UnknownHostException;
    }

    static final Resolver SYSTEM = InetAddress::getByName;

    /**
     * @param listenPort ListenPort, or 0 for a port the kernel picks (wg(8): random when absent)
     * @param notes      lines for standard error (settings ignored, no Address)
     */
    record Setup(InterfaceSpec spec, List<InetAddress> addresses, int listenPort, List<String> notes) {
    }

    private PeerSetup() {
    }

    static Setup of(WgConfig config, Resolver resolver) {
        String file = config.name();
        InterfaceSection iface = config.iface();
        PrivateKey key = iface.privateKey().orElseThrow(() -> new UserError(ExitCode.BAD_INPUT,
                file + ": [Interface] PrivateKey: missing (wgdiag peer speaks as this interface)"));
        if (config.peers().isEmpty()) {
            throw new UserError(ExitCode.BAD_INPUT, file + ": no [Peer] section: nobody to talk to");
        }
        List<String> notes = new ArrayList<>();
        List<String> ignored = new ArrayList<>();
        if (!iface.dns().isEmpty()) ignored.add("DNS");
        if (iface.mtu().isPresent()) ignored.add("MTU");
        if (iface.table().isPresent()) ignored.add("Table");
        if (iface.fwMark().isPresent()) ignored.add("FwMark");
        if (iface.saveConfig()) ignored.add("SaveConfig");
        if (!iface.preUp().isEmpty()) ignored.add("PreUp");
        if (!iface.postUp().isEmpty()) ignored.add("PostUp");
        if (!iface.preDown().isEmpty()) ignored.add("PreDown");
        if (!iface.postDown().isEmpty()) ignored.add("PostDown");
        if (!ignored.isEmpty()) {
            notes.add("note: " + file + ": ignoring " + String.join(", ", ignored)
                    + " (wgdiag peer sets up no interface, routes, DNS or hooks)");
        }
        List<InetAddress> addresses = new ArrayList<>();
        for (IpPrefix a : iface.addresses()) addresses.add(numeric(a.address()));
        if (addresses.isEmpty()) {
            notes.add("note: " + file + ": no Address: echo requests are not answered, and --ping has no source address");
        }
        List<PeerSpec> peers = new ArrayList<>();
        for (PeerSection p : config.peers()) {
            peers.add(new PeerSpec(p.name(), p.publicKey(), p.presharedKeyOrNone(), endpoint(file, p, resolver),
                    p.allowedIps(), p.persistentKeepalive()));
        }
        try {
            return new Setup(new InterfaceSpec(key, peers), addresses, iface.listenPort().orElse(0), notes);
        } catch (IllegalArgumentException e) {
            throw new UserError(ExitCode.BAD_INPUT, file + ": " + e.getMessage());
        }
    }

    private static InetSocketAddress endpoint(String file, PeerSection p, Resolver resolver) {
        if (p.endpoint().isEmpty()) return null;
        PeerEndpoint ep = p.endpoint().get();
        try {
            InetAddress a = ep.isNumeric() ? numeric(ep.host()) : resolver.resolve(ep.host());
            return new InetSocketAddress(a, ep.port());
        } catch (UnknownHostException e) {
            throw new UserError(ExitCode.ENVIRONMENT, file + ": [Peer] " + p.name() + ": Endpoint " + ep
                    + ": cannot resolve host name '" + ep.host() + "'");
        }
    }

    /** A literal address: never a DNS lookup. */
    static InetAddress numeric(String address) {
        if (!IpAddresses.isNumeric(address)) throw new IllegalArgumentException("not a numeric address: " + address);
        try {
            return InetAddress.getByName(address);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an address: " + address);
        }
    }

    /** True when {@code a} lies inside {@code prefix}. */
    static boolean contains(IpPrefix prefix, InetAddress a) {
        byte[] p = numeric(prefix.address()).getAddress();
        byte[] b = a.getAddress();
        if (p.length != b.length) return false;
        int bits = prefix.prefixLength();
        for (int i = 0; i < p.length && bits > 0; i++, bits -= 8) {
            int mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
            if ((p[i] & mask) != (b[i] & mask)) return false;
        }
        return true;
    }

    /** The first peer whose AllowedIPs hold {@code target}, or null (the core would drop the ping unrouted). */
    static PeerSpec routeOf(InterfaceSpec spec, InetAddress target) {
        PeerSpec best = null;
        int bestLength = -1;
        for (PeerSpec p : spec.peers()) {
            for (IpPrefix prefix : p.allowedIps()) {
                if (prefix.prefixLength() > bestLength && contains(prefix, target)) {
                    best = p;
                    bestLength = prefix.prefixLength();
                }
            }
        }
        return best;
    }
}
