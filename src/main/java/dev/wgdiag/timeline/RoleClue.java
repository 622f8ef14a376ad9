package dev.wgdiag.timeline;

/** What says a peer is the tunnel's client (the side that dials), each worth {@link #weight()} points. */
public enum RoleClue {
    /** Its public port changed on the same address: NAT rebinding; servers keep a fixed, forwarded port. */
    PORT_CHANGED(3),
    /** It moved to another address (Wi-Fi to LTE): phones and laptops roam, servers do not. */
    ROAMED(2),
    /** It initiated the capture's first handshake, the tunnel's first or a rekey (not a swap): clients dial servers. */
    FIRST_INITIATOR(2),
    /**
     * It initiated the first handshake of a capture that began mid-session, for no timer rule the capture
     * shows: most likely a rekey by the client, but a server with data to send does the same.
     */
    INITIATED_MID_SESSION(1),
    /** The other peer listens on WireGuard's conventional port 51820 or a well-known port below 1024, this one does not. */
    OTHER_ON_SERVER_PORT(2),
    /** It sends persistent keepalives and the other does not: set on the side that must hold a NAT mapping open. */
    PERSISTENT_KEEPALIVE(2),
    /**
     * It talks from a private or shared (RFC 1918, RFC 6598 CGNAT) address to a public one: the capture
     * runs inside its NAT, usually on the phone or laptop (a home server behind a port forward looks the
     * same, but then the other side's fixed server port outweighs it).
     */
    PRIVATE_ADDRESS(2);

    private final int weight;

    RoleClue(int weight) {
        this.weight = weight;
    }

    public int weight() {
        return weight;
    }
}
