package dev.wgdiag.advice;

/**
 * Where a recommendation goes: the config of {@code of} (or the config file the user named,
 * {@code file}, when not null), in its [Interface] section or, when {@code peerSection} is not null,
 * in the [Peer] section of that peer. The report writes the place and the exact lines from it.
 */
public record ConfigPlace(PeerRef of, String file, PeerRef peerSection) {
    /** In the [Interface] section of {@code of}'s config. */
    public static ConfigPlace iface(PeerRef of) {
        return new ConfigPlace(of, null, null);
    }

    /** In {@code of}'s config, in the [Peer] section of {@code peer}. */
    public static ConfigPlace peerSection(PeerRef of, PeerRef peer) {
        return new ConfigPlace(of, null, peer);
    }

    /** In the [Interface] section of a config the user gave, named as {@link Line.ConfiguredPort#where()}. */
    public static ConfigPlace ifaceOf(String file, PeerRef of) {
        return new ConfigPlace(of, file, null);
    }
}
