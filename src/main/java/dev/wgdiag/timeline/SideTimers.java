package dev.wgdiag.timeline;

import dev.wgdiag.wire.Protocol;

import java.util.Arrays;

/**
 * One peer's side of one tunnel: the wireguard-go timers (timers.go) as the capture point sees them,
 * which explain its keepalives and its next handshake ({@link TriggerRules}), and what its silences
 * showed ({@link SideGaps}). Updated per packet with primitive fields only.
 */
final class SideTimers {
    /** Passive keepalive: KEEPALIVE_TIMEOUT after data received with nothing sent (timers.go timersDataReceived). */
    static final long PASSIVE_MIN = Protocol.KEEPALIVE_TIMEOUT - 300_000_000L;
    static final long PASSIVE_MAX = Protocol.KEEPALIVE_TIMEOUT + 1_500_000_000L;
    private static final int MAX_KEEPALIVE_SAMPLES = 4096;

    final PeerState peer;
    final SideGaps gaps = new SideGaps();
    long lastOut = -1;
    long lastDataIn = -1;
    boolean sentSinceDataIn = true;
    long firstDataOutSinceIn = -1;
    long maxSilentSinceOut;
    long initProbe = -1;
    long initProbeSilent;
    long dataProbe = -1;
    long dataProbeSilent;
    long packetsIn;
    long initiationsIn;
    long confirmKeepalives;
    long passiveKeepalives;
    long persistentKeepalives;
    /** Persistent keepalive samples (null before the first). */
    double[] keepaliveSamples;
    int keepaliveSampleCount;
    HandshakeSeries openSeries;

    SideTimers(PeerState peer) {
        this.peer = peer;
    }

    /** The link was silent for {@code silent} ns before a packet either way: the longest silence since this side last sent. */
    void silence(long silent) {
        if (silent > maxSilentSinceOut) maxSilentSinceOut = silent;
    }

    /**
     * A keepalive from this side, classed as timers.go sends them: the initiator's confirmation of a new
     * session (counter 0), passive (KEEPALIVE_TIMEOUT after data received with nothing sent), else
     * persistent. True for a persistent one (its interval, {@code silentSeconds}, is sampled).
     */
    boolean keepalive(long t, boolean confirmation, double silentSeconds) {
        if (confirmation) {
            confirmKeepalives++;
            return false;
        }
        if (lastDataIn >= 0 && !sentSinceDataIn && t - lastDataIn >= PASSIVE_MIN && t - lastDataIn <= PASSIVE_MAX) {
            passiveKeepalives++;
            return false;
        }
        persistentKeepalives++;
        addSample(silentSeconds);
        return true;
    }

    private void addSample(double v) {
        if (keepaliveSamples == null) {
            keepaliveSamples = new double[4];
        } else if (keepaliveSampleCount == keepaliveSamples.length) {
            if (keepaliveSampleCount >= MAX_KEEPALIVE_SAMPLES) return;
            keepaliveSamples = Arrays.copyOf(keepaliveSamples, keepaliveSamples.length * 2);
        }
        keepaliveSamples[keepaliveSampleCount++] = v;
    }

    /** Sender timers: this side sent a packet at {@code t}; its silence and what was sent into it are over. */
    void sent(long t, PacketKind kind) {
        sentSinceDataIn = true;
        if (kind == PacketKind.DATA && firstDataOutSinceIn < 0) firstDataOutSinceIn = t;
        lastOut = t;
        maxSilentSinceOut = 0;
        initProbe = -1;
        dataProbe = -1;
        if (gaps.lateCount != 0) gaps.spoke();             // packets were sent into its silence (else nothing to reset)
        packetsIn = 0;
        initiationsIn = 0;
    }

    /**
     * Receiver timers: the other side sent a packet at {@code t}; anything authenticated received stops
     * "stopped hearing back" (timersAnyAuthenticatedPacketReceived). {@code atMyEndpoint}: it was sent to
     * this side's current endpoint (into its mapping). True at the second initiation into this side's
     * silence (a mapping expiry is suspected).
     */
    boolean received(long t, PacketKind kind, boolean atMyEndpoint) {
        firstDataOutSinceIn = -1;
        if (kind == PacketKind.DATA) {
            lastDataIn = t;
            sentSinceDataIn = false;
        }
        if (!atMyEndpoint) return false;
        packetsIn++;
        if (kind == PacketKind.INITIATION) {
            initiationsIn++;
            if (initProbe < 0) {
                initProbe = t;
                initProbeSilent = maxSilentSinceOut;
            }
            return initiationsIn == 2;
        }
        if (kind == PacketKind.DATA && dataProbe < 0) {
            dataProbe = t;
            dataProbeSilent = maxSilentSinceOut;
        }
        return false;
    }

    /**
     * The persistent keepalive interval: the median time from the last packet either way to a keepalive
     * that is neither a handshake confirmation nor passive (timers.go: the persistent timer restarts on
     * every authenticated packet sent or received). Reported only when most samples agree within 0.5 s.
     */
    Double persistentInterval() {
        int n = keepaliveSampleCount;
        if (n < 2) return null;
        double[] v = Arrays.copyOf(keepaliveSamples, n);
        Arrays.sort(v);
        double median = v[n / 2];
        int close = 0;
        double sum = 0;
        for (double x : v) {
            if (Math.abs(x - median) <= 0.5) {
                close++;
                sum += x;
            }
        }
        if (close < 2 || close * 2 < n) return null;
        return Math.round(sum / close * 1000) / 1000.0;
    }
}
