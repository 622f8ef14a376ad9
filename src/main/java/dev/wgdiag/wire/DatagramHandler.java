package dev.wgdiag.wire;

/** Receives every UDP datagram of a capture in capture order. The datagram is a flyweight: copy what you keep. */
@FunctionalInterface
public interface DatagramHandler {
    void onDatagram(Datagram datagram);
}
