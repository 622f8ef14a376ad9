package dev.wgdiag.probe;

/**
 * One probe flow's result: after {@code idleSeconds} of silence on its mapping the server's in-tunnel
 * packet was delivered ({@code lived}) or not.
 *
 * @param localPort the client's UDP port of the flow
 */
public record Observation(Timer timer, double idleSeconds, boolean lived, int localPort) {
}
