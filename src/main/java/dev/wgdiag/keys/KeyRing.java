package dev.wgdiag.keys;

import dev.wgdiag.config.IpPrefix;
import dev.wgdiag.config.PeerSection;
import dev.wgdiag.config.WgConfig;
import dev.wgdiag.crypto.Keylog;
import dev.wgdiag.crypto.PresharedKey;
import dev.wgdiag.crypto.PrivateKey;
import dev.wgdiag.crypto.PublicKey;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every key the user gave: the peers of wg-quick configs (named by the comment above [Peer]), each
 * config's own [Interface] (named by the file, with its private key), and Wireshark keylogs. One
 * entry per public key; a name from a comment beats a file name, which beats a key's short form.
 */
public final class KeyRing {
    private final Map<String, Entry> byKey;
    private final List<KnownPeer> peers;
    private final List<Keylog> keylogs;
    private final List<ConfigKeys> configs;

    private KeyRing(Map<String, Entry> byKey, List<Keylog> keylogs, List<ConfigKeys> configs) {
        this.byKey = new LinkedHashMap<>(byKey);
        this.peers = byKey.values().stream().map(Entry::peer).toList();
        this.keylogs = List.copyOf(keylogs);
        this.configs = List.copyOf(configs);
    }

    public static final KeyRing EMPTY = new KeyRing(Map.of(), List.of(), List.of());

    /**
     * The keys one config holds, for telling which [Peer] a side lacks or has wrong.
     *
     * @param file       the config's name as given
     * @param iface      its [Interface] public key (derived from PrivateKey), or null
     * @param listenPort its ListenPort, or -1
     * @param peerLines  each [Peer] PublicKey (base64) and the line of that section's header
     * @param endpointLines each numeric [Peer] Endpoint ({@code address:port} as {@link dev.wgdiag.net.Endpoint} writes it) and its section's line
     * @param inner      what the config says about the traffic inside the tunnel
     */
    public record ConfigKeys(String file, PublicKey iface, int listenPort, Map<String, Integer> peerLines,
                             Map<String, Integer> endpointLines, Inner inner) {
        public ConfigKeys {
            peerLines = Map.copyOf(peerLines);
            endpointLines = Map.copyOf(endpointLines);
        }

        public boolean hasPeer(PublicKey key) {
            return peerLines.containsKey(key.toBase64());
        }
    }

    /**
     * A config's inner side: [Interface] Address, DNS (numeric ones, as {@link IpPrefix} formats them), MTU
     * (-1 when absent) and PostUp commands, and each [Peer]'s AllowedIPs by its public key (base64).
     */
    public record Inner(List<IpPrefix> addresses, List<String> dns, int mtu, List<String> postUp,
                        Map<String, List<IpPrefix>> allowedIps, Map<String, PresharedKey> presharedKeys) {
        public Inner {
            addresses = List.copyOf(addresses);
            dns = List.copyOf(dns);
            postUp = List.copyOf(postUp);
            allowedIps = Map.copyOf(allowedIps);
            presharedKeys = Map.copyOf(presharedKeys);
        }

        @Override
        public String toString() {
            return "Inner[addresses=" + addresses + ", dns=" + dns + ", mtu=" + mtu + "]"; // never the preshared keys
        }

        static Inner of(WgConfig config) {
            Map<String, List<IpPrefix>> allowed = new LinkedHashMap<>();
            Map<String, PresharedKey> psks = new LinkedHashMap<>();
            for (PeerSection p : config.peers()) {
                allowed.put(p.publicKey().toBase64(), p.allowedIps());
                psks.put(p.publicKey().toBase64(), p.presharedKeyOrNone());
            }
            if (config.iface() == null) return new Inner(List.of(), List.of(), -1, List.of(), allowed, psks);
            List<String> dns = new ArrayList<>();
            for (String d : config.iface().dns()) {
                try {
                    dns.add(IpPrefix.parse(d).address());
                } catch (IllegalArgumentException e) {
                    // a search domain, not an address
                }
            }
            return new Inner(config.iface().addresses(), dns, config.iface().mtu().orElse(-1), config.iface().postUp(), allowed, psks);
        }
    }

    /** Every config given, in order. */
    public List<ConfigKeys> configs() {
        return configs;
    }

    /** The config whose [Interface] has this public key, or null. */
    public ConfigKeys configOf(PublicKey iface) {
        for (ConfigKeys c : configs) {
            if (iface.equals(c.iface())) return c;
        }
        return null;
    }

    public static Builder builder() {
        return new Builder();
    }

    public List<KnownPeer> peers() {
        return peers;
    }

    public List<Keylog> keylogs() {
        return keylogs;
    }

    public boolean isEmpty() {
        return peers.isEmpty() && keylogs.isEmpty();
    }

    /** The known peer with this public key, or null. */
    public KnownPeer peer(PublicKey key) {
        for (KnownPeer p : peers) {
            if (p.publicKey().equals(key)) return p;
        }
        return null;
    }

    /** A keyring with one more keylog (e.g. from a pcapng Decryption Secrets Block): its keys become known peers too. */
    public KeyRing withKeylog(Keylog keylog, String source) {
        Builder b = builder();
        b.byKey.putAll(byKey);
        b.keylogs.addAll(keylogs);
        b.configs.addAll(configs);
        return b.addKeylog(keylog, source).build();
    }

    /** A peer and how good its name is (comment 3, config file 2, bare [Peer] 1, keylog 0). */
    private record Entry(KnownPeer peer, int rank) {
    }

    public static final class Builder {
        private final Map<String, Entry> byKey = new LinkedHashMap<>();
        private final List<Keylog> keylogs = new ArrayList<>();
        private final List<ConfigKeys> configs = new ArrayList<>();

        /** Adds a config: its [Interface] named by the file, each [Peer] by its comment or short key. */
        public Builder addConfig(WgConfig config) {
            Map<String, Integer> lines = new LinkedHashMap<>();
            Map<String, Integer> endpoints = new LinkedHashMap<>();
            for (PeerSection p : config.peers()) {
                lines.put(p.publicKey().toBase64(), p.line());
                p.endpoint().flatMap(e -> e.toEndpoint()).ifPresent(e -> endpoints.put(e.toString(), p.line()));
            }
            PublicKey self = config.iface() != null && config.iface().privateKey().isPresent()
                    ? config.iface().privateKey().get().publicKey() : null;
            configs.add(new ConfigKeys(config.name(), self, config.iface() == null ? -1
                    : config.iface().listenPort().orElse(-1), lines, endpoints, Inner.of(config)));
            if (config.iface() != null && config.iface().privateKey().isPresent()) {
                PrivateKey priv = config.iface().privateKey().get();
                put(new KnownPeer(stem(config.name()), priv.publicKey(), priv, config.name() + " [Interface]"), 2);
            }
            for (PeerSection p : config.peers()) {
                boolean named = p.hasCommentName();
                put(new KnownPeer(p.name(), p.publicKey(), null,
                        config.name() + (named ? " [Peer] comment" : " [Peer]")), named ? 3 : 1);
            }
            return this;
        }

        /** Adds a keylog: its static private keys become known peers too. */
        public Builder addKeylog(Keylog keylog, String source) {
            keylogs.add(keylog);
            for (PrivateKey k : keylog.localStatics()) {
                put(new KnownPeer(k.publicKey().shortForm(), k.publicKey(), k, source), 0);
            }
            for (PublicKey k : keylog.remoteStatics()) {
                put(new KnownPeer(k.shortForm(), k, null, source), 0);
            }
            return this;
        }

        private void put(KnownPeer p, int rank) {
            String key = p.publicKey().toBase64();
            Entry old = byKey.get(key);
            if (old == null) {
                byKey.put(key, new Entry(p, rank));
                return;
            }
            // Keep the best name, and the private key whoever brought it.
            KnownPeer best = rank > old.rank() ? p : old.peer();
            PrivateKey priv = p.privateKey() != null ? p.privateKey() : old.peer().privateKey();
            byKey.put(key, new Entry(new KnownPeer(best.name(), best.publicKey(), priv, best.source()), Math.max(rank, old.rank())));
        }

        public KeyRing build() {
            return new KeyRing(byKey, keylogs, configs);
        }

        private static String stem(String file) {
            String n = Path.of(file).getFileName().toString();
            int dot = n.lastIndexOf('.');
            return dot > 0 ? n.substring(0, dot) : n;
        }
    }
}
