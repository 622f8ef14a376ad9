package dev.wgdiag.wire;


/** Receives each decoded WireGuard message with the datagram that carried it (both flyweights: copy what you keep). */
@FunctionalInterface
public interface WgMessageHandler {
    void onMessage(Datagram datagram, WgMessage message);
}
