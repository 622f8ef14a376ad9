package dev.wgdiag.advice;

/**
 * What a persistent keepalive costs while the tunnel is idle, one way: one keepalive every
 * {@code intervalSeconds}, each {@code packetBytes} on the wire (32 WireGuard + 8 UDP + the outer IP
 * header of {@code ipVersion}; link framing not counted), {@code perHour} of them an hour and
 * {@code bytesPerDay} bytes a day. Nothing while traffic flows.
 */
public record Cost(int intervalSeconds, int packetBytes, int ipVersion, double perHour, long bytesPerDay) {
}
