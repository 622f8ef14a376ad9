package dev.wgdiag.advice;

import dev.wgdiag.wire.Protocol;

/**
 * What a persistent keepalive costs while the tunnel is idle, one way: one keepalive every
 * {@code intervalSeconds} over IP version {@code ipVersion}; each is {@link #packetBytes()} on the wire
 * (32 WireGuard + 8 UDP + the outer IP header; link framing not counted). Nothing while traffic flows.
 */
public record Cost(int intervalSeconds, int ipVersion) {
    /** UDP header (RFC 768). */
    private static final int UDP_HEADER_BYTES = 8;

    /** The outer IP header: 20 bytes for IPv4 without options (RFC 791), 40 for IPv6 (RFC 8200). */
    public int ipHeaderBytes() {
        return ipVersion == 6 ? 40 : 20;
    }

    /** One keepalive on the wire: the WireGuard message, UDP and IP headers. */
    public int packetBytes() {
        return Protocol.MESSAGE_KEEPALIVE_SIZE + UDP_HEADER_BYTES + ipHeaderBytes();
    }

    public double perHour() {
        return 3600.0 / intervalSeconds;
    }

    public long bytesPerDay() {
        return Math.round(86400.0 / intervalSeconds * packetBytes());
    }
}
