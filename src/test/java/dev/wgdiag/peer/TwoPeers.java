package dev.wgdiag.peer;

import dev.wgdiag.crypto.PresharedKey;

/**
 * The usual pair: a phone (client, 10.0.0.2, knows the server's endpoint) and a server (10.0.0.1, learns
 * the phone's endpoint from its first initiation) on a {@link SimNet}.
 */
class TwoPeers {
    static final long MS = SimNet.MS;
    static final long S = SimNet.S;

    final SimNet net = new SimNet();
    final SimNet.Node client = net.node("phone", "192.0.2.10", 40000);
    final SimNet.Node server = net.node("server", "198.51.100.1", 51820);

    void configure(int clientKeepalive, int serverKeepalive) {
        SimNet.knows(client, server, true, clientKeepalive, PresharedKey.NONE, "10.0.0.1/32", "fd00::1/128");
        SimNet.knows(server, client, false, serverKeepalive, PresharedKey.NONE, "10.0.0.2/32", "fd00::2/128");
        client.build(11);
        server.build(12);
        net.start();
    }

    byte[] pingToServer(int seq) {
        return SimNet.ping4("10.0.0.2", "10.0.0.1", seq, 56);
    }

    byte[] pingToClient(int seq) {
        return SimNet.ping4("10.0.0.1", "10.0.0.2", seq, 56);
    }

    /** Seconds (as a double) from {@code t0} to an event. */
    static double secondsAfter(long t0, PeerEvent e) {
        return (e.nanos() - t0) / 1e9;
    }
}
