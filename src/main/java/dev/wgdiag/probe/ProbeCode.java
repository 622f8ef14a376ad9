package dev.wgdiag.probe;

/**
 * How a probe flow tells the server, in the tunnel, what to do: an ICMP echo request whose 16-bit
 * identifier and sequence are
 * <pre>
 *  identifier:  15      14 13   12 .. 8      7 .. 0
 *              +-------+-------+------------+--------+
 *              | timer |  via  | refreshes  |  flow  |
 *              +-------+-------+------------+--------+
 *  sequence:   idle time in tenths of a second (so at most 6553.5 s)
 * </pre>
 * {@code via} ({@link Via}) asks for one more copy of the immediate answer from another server
 * endpoint (the filtering tests); an idle time of 0 asks for the immediate answer only. {@code refreshes} &gt; 0 asks the server to send that many
 * echo replies evenly spread inside the idle time (the inbound-refresh test). The server answers it with an echo reply at once ({@link Timer#ESTABLISHED}
 * only: the exchange that makes the flow two-way) and again after the idle time (both timers).
 */
public record ProbeCode(Timer timer, int flow, double idleSeconds, int refreshes, Via via) {
    public static final double MAX_IDLE_SECONDS = 6553.5;
    public static final int MAX_FLOW = 0xff;
    public static final int MAX_REFRESHES = 0x1f;

    public ProbeCode(Timer timer, int flow, double idleSeconds) {
        this(timer, flow, idleSeconds, 0, Via.SAME);
    }

    public ProbeCode(Timer timer, int flow, double idleSeconds, int refreshes) {
        this(timer, flow, idleSeconds, refreshes, Via.SAME);
    }

    public ProbeCode {
        if (flow < 0 || flow > MAX_FLOW) throw new IllegalArgumentException("flow number 0-255");
        if (refreshes < 0 || refreshes > MAX_REFRESHES) throw new IllegalArgumentException("refreshes 0-31");
        if (via == null) via = Via.SAME;
        if (!(idleSeconds >= 0 && idleSeconds <= MAX_IDLE_SECONDS)) throw new IllegalArgumentException("idle time 0-6553.5 s");
    }

    private static final Via[] VIAS = Via.values();

    private static Via via(int v) {
        return v < VIAS.length ? VIAS[v] : Via.SAME;
    }

    public int identifier() {
        return timer.ordinal() << 15 | via.ordinal() << 13 | refreshes << 8 | flow;
    }

    public int sequence() {
        return (int) Math.round(idleSeconds * 10);
    }

    public static ProbeCode of(int identifier, int sequence) {
        return new ProbeCode(Timer.values()[(identifier >>> 15) & 1], identifier & MAX_FLOW, (sequence & 0xffff) / 10.0,
                (identifier >>> 8) & MAX_REFRESHES, via((identifier >>> 13) & 3));
    }
}
