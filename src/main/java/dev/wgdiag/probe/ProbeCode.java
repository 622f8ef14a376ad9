package dev.wgdiag.probe;

/**
 * How a probe flow tells the server, in the tunnel, what to do: an ICMP echo request whose 16-bit
 * identifier is {@code timer << 15 | flow} and whose sequence is the idle time in tenths of a second
 * (so at most 6553.5 s). The server answers it with an echo reply at once ({@link Timer#ESTABLISHED}
 * only: the exchange that makes the flow two-way) and again after the idle time (both timers).
 */
public record ProbeCode(Timer timer, int flow, double idleSeconds) {
    public static final double MAX_IDLE_SECONDS = 6553.5;

    public ProbeCode {
        if (flow < 0 || flow > 0x7fff) throw new IllegalArgumentException("flow number 0-32767");
        if (!(idleSeconds >= 0 && idleSeconds <= MAX_IDLE_SECONDS)) throw new IllegalArgumentException("idle time 0-6553.5 s");
    }

    public int identifier() {
        return timer.ordinal() << 15 | flow;
    }

    public int sequence() {
        return (int) Math.round(idleSeconds * 10);
    }

    public static ProbeCode of(int identifier, int sequence) {
        return new ProbeCode(Timer.values()[(identifier >>> 15) & 1], identifier & 0x7fff, (sequence & 0xffff) / 10.0);
    }
}
