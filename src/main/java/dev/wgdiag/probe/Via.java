package dev.wgdiag.probe;

/**
 * Which of the server's endpoints an in-tunnel answer leaves from (RFC 5780 4.4's filtering tests): the
 * one the flow's handshake came to, the other UDP port of the same address, or the other address and
 * the other port. Only ever sent to the endpoint that flow's authenticated handshake came from.
 */
public enum Via {
    SAME,
    OTHER_PORT,
    OTHER_ADDRESS_AND_PORT
}
