package dev.wgdiag.pcap;

/** Receives ICMP/ICMPv6 errors that quote a UDP datagram (a flyweight: copy what you keep). */
@FunctionalInterface
public interface IcmpHandler {
    void onIcmpError(IcmpError error);
}
