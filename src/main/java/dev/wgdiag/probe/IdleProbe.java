package dev.wgdiag.probe;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * {@code wgdiag peer --idle-probe}: the server's side of the lifetime test against a stock WireGuard app
 * (nothing of ours on the phone). Sans-IO, one peer: after the last datagram between the server and the
 * peer's endpoint (either way: what a NAT that refreshes on both directions sees) has been followed by
 * {@code T} seconds of silence, the caller sends one in-tunnel echo request to the peer's tunnel address;
 * the phone's own IP stack answers it. A reply within the grace proves the mapping lived T, and the next
 * idle time of the schedule follows. No reply: the probe waits for the peer to return (its next
 * authenticated packet). From a new endpoint: the mapping died within T (the NAT made a new one). From
 * the same endpoint: not proven (the phone may have slept or not answered; a port-preserving NAT can also
 * give a new mapping the old port). The probe ends at the first result that is not a life.
 */
public final class IdleProbe {
    /** Seconds to wait for the echo reply after the request: the network, a phone waking its radio. */
    public static final double DEFAULT_GRACE_SECONDS = 5;

    public enum Outcome { LIVED, DIED, NO_REPLY_SAME_ENDPOINT }

    /**
     * @param before the peer's endpoint when the request went out
     * @param after  where the peer came back from (DIED, NO_REPLY_SAME_ENDPOINT), else null
     */
    public record Result(double idleSeconds, Outcome outcome, InetSocketAddress before, InetSocketAddress after) {
    }

    private enum State { IDLE, SENT, AWAIT_RETURN, DONE }

    private final List<Double> schedule;
    private final long graceNanos;
    private final List<Result> results = new ArrayList<>();
    private State state = State.IDLE;
    private int next;
    private long lastTraffic = Long.MIN_VALUE;
    private long sentAt;
    private long rxAtSend;
    private InetSocketAddress endpointAtSend;

    /** @param schedule idle times in seconds, tried in ascending order */
    public IdleProbe(List<Double> schedule, double graceSeconds) {
        if (schedule.isEmpty()) throw new IllegalArgumentException("no idle times");
        this.schedule = schedule.stream().sorted().toList();
        this.graceNanos = Math.round(graceSeconds * 1e9);
    }

    /** A datagram between this server and the peer's endpoint, either way (not the probe's own request). */
    public void onTraffic(long now) {
        if (state == State.IDLE) lastTraffic = now;
    }

    /** The idle time to probe now (the caller sends one echo request at once), or null. */
    public Double due(long now, InetSocketAddress endpoint, long rxBytes) {
        if (state != State.IDLE || lastTraffic == Long.MIN_VALUE || endpoint == null) return null;
        double t = schedule.get(next);
        if (now - lastTraffic < Math.round(t * 1e9)) return null;
        state = State.SENT;
        sentAt = now;
        rxAtSend = rxBytes;
        endpointAtSend = endpoint;
        return t;
    }

    /** The reply to the current request arrived: the mapping lived. Returns the result, or null when none was pending. */
    public Result onReply(long now) {
        if (state != State.SENT && state != State.AWAIT_RETURN) return null;
        Result r = new Result(schedule.get(next), Outcome.LIVED, endpointAtSend, null);
        results.add(r);
        next++;
        lastTraffic = now;
        state = next < schedule.size() ? State.IDLE : State.DONE;
        return r;
    }

    /**
     * Every loop turn, with the core's view of the peer: its endpoint and bytes received. Returns a
     * result when one is decided now (the peer came back after an unanswered request), else null.
     */
    public Result onTick(long now, InetSocketAddress endpoint, long rxBytes) {
        if (state == State.SENT && now - sentAt >= graceNanos) {
            state = State.AWAIT_RETURN;
            rxAtSend = rxBytes;
            return null;
        }
        if (state == State.AWAIT_RETURN && rxBytes > rxAtSend && endpoint != null) {
            Outcome o = Objects.equals(endpoint, endpointAtSend) ? Outcome.NO_REPLY_SAME_ENDPOINT : Outcome.DIED;
            Result r = new Result(schedule.get(next), o, endpointAtSend, endpoint);
            results.add(r);
            state = State.DONE;
            return r;
        }
        return null;
    }

    /** True while a request is unanswered past the grace (the peer has not come back yet). */
    public boolean awaitingReturn() {
        return state == State.AWAIT_RETURN;
    }

    public boolean done() {
        return state == State.DONE;
    }

    public List<Double> schedule() {
        return schedule;
    }

    public List<Result> results() {
        return List.copyOf(results);
    }

    /** (longest idle time that lived, the idle time that died]; a NO_REPLY_SAME_ENDPOINT leaves it open above. */
    public Bracket bracket() {
        List<Observation> obs = new ArrayList<>();
        for (Result r : results) {
            if (r.outcome() != Outcome.NO_REPLY_SAME_ENDPOINT) {
                obs.add(new Observation(Timer.ESTABLISHED, r.idleSeconds(), r.outcome() == Outcome.LIVED, 0));
            }
        }
        return Bracket.of(obs, Timer.ESTABLISHED);
    }
}
