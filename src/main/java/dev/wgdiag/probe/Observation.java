package dev.wgdiag.probe;

/**
 * One probe flow's result: after {@code idleSeconds} of silence on its mapping the server's in-tunnel
 * packet was delivered ({@code lived}) or not.
 *
 * @param localPort the client's UDP port of the flow
 * @param seen      the public endpoint the server saw the flow come from (established flows, IPv4 inside), or null
 */
public record Observation(Timer timer, double idleSeconds, boolean lived, int localPort, java.net.InetSocketAddress seen) {
    public Observation(Timer timer, double idleSeconds, boolean lived, int localPort) {
        this(timer, idleSeconds, lived, localPort, null);
    }
}
