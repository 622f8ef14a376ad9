package dev.wgdiag.probe;

/**
 * How a probe flow tells the server, in the tunnel, what to do: an ICMP echo request whose 16-bit
 * identifier is {@code timer << 15 | refreshes << 8 | flow} and whose sequence is the idle time in
 * tenths of a second (so at most 6553.5 s). {@code refreshes} &gt; 0 asks the server to send that many
 * echo replies evenly spread inside the idle time (the inbound-refresh test). The server answers it with an echo reply at once ({@link Timer#ESTABLISHED}
 * only: the exchange that makes the flow two-way) and again after the idle time (both timers).
 */
public record ProbeCode(Timer timer, int flow, double idleSeconds, int refreshes) {
    public static final double MAX_IDLE_SECONDS = 6553.5;
    public static final int MAX_FLOW = 0xff;
    public static final int MAX_REFRESHES = 0x7f;

    public ProbeCode(Timer timer, int flow, double idleSeconds) {
        this(timer, flow, idleSeconds, 0);
    }

    public ProbeCode {
        if (flow < 0 || flow > MAX_FLOW) throw new IllegalArgumentException("flow number 0-255");
        if (refreshes < 0 || refreshes > MAX_REFRESHES) throw new IllegalArgumentException("refreshes 0-127");
        if (!(idleSeconds >= 0 && idleSeconds <= MAX_IDLE_SECONDS)) throw new IllegalArgumentException("idle time 0-6553.5 s");
    }

    public int identifier() {
        return timer.ordinal() << 15 | refreshes << 8 | flow;
    }

    public int sequence() {
        return (int) Math.round(idleSeconds * 10);
    }

    public static ProbeCode of(int identifier, int sequence) {
        return new ProbeCode(Timer.values()[(identifier >>> 15) & 1], identifier & MAX_FLOW, (sequence & 0xffff) / 10.0,
                (identifier >>> 8) & MAX_REFRESHES);
    }
}
