package dev.wgdiag.advice;

import dev.wgdiag.net.PortSet;

import java.util.List;

/**
 * What the user told about the line behind which a peer sits and about its configs, beyond the capture.
 *
 * @param ports      the ports the line may use (MAP-E / MAP-T port set, port-block CGNAT), or null
 * @param portsFrom  where that set came from, for the reason ("--port-set", "MAP rule ... PSID 0x34")
 * @param configured the ListenPorts the configs set, by the peer name the configs give
 */
public record Line(PortSet ports, String portsFrom, List<ConfiguredPort> configured) {
    public static final Line NONE = new Line(null, null, List.of());

    public Line {
        configured = List.copyOf(configured);
    }

    /** A config's [Interface] ListenPort: the peer it names, the port, and where it is written. */
    public record ConfiguredPort(String peerName, int port, String where) {
    }
}
