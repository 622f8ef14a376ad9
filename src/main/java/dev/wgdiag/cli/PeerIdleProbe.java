package dev.wgdiag.cli;

import dev.wgdiag.config.IpPrefix;
import dev.wgdiag.peer.InnerStack;
import dev.wgdiag.peer.PeerSpec;
import dev.wgdiag.peer.PeerStatus;
import dev.wgdiag.peer.Pinger;
import dev.wgdiag.peer.WgInterface;
import dev.wgdiag.peer.net.UdpDriver;
import dev.wgdiag.probe.Bracket;
import dev.wgdiag.probe.IdleProbe;
import dev.wgdiag.probe.Schedule;
import dev.wgdiag.report.ProbeWords;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * {@code wgdiag peer --idle-probe}: {@link IdleProbe}'s schedule on the peer's driver thread. Each
 * request is a one-shot {@link Pinger} (its own identifier) to the peer's tunnel address; its lines
 * are this class's, not ping's. Used only with one [Peer].
 */
final class PeerIdleProbe {
    /** The echo identifier of the probe's requests ("idle"). */
    static final int IDENTIFIER = 0x1d1e;

    private final IdleProbe probe;
    private final InetAddress target;
    private final Consumer<String> line;
    private WgInterface core;
    private UdpDriver driver;
    private Pinger pending;

    private PeerIdleProbe(IdleProbe probe, InetAddress target, Consumer<String> line) {
        this.probe = probe;
        this.target = target;
        this.line = line;
    }

    /** Checks {@code --idle-probe TEXT} against the config: one [Peer], whose AllowedIPs name a tunnel address we can ping. */
    static PeerIdleProbe of(String text, PeerSetup.Setup setup, Consumer<String> line) {
        List<Double> times;
        try {
            times = Schedule.parse(text, 3600, 1).seconds();
        } catch (IllegalArgumentException e) {
            throw new UserError(ExitCode.USAGE, "--idle-probe " + text + ": " + e.getMessage());
        }
        if (setup.spec().peers().size() != 1) {
            throw new UserError(ExitCode.USAGE, "--idle-probe needs exactly one [Peer] (the phone); the config has "
                    + setup.spec().peers().size());
        }
        PeerSpec phone = setup.spec().peers().get(0);
        InnerStack inner = new InnerStack(setup.addresses());
        for (IpPrefix p : phone.allowedIps()) {
            InetAddress a = PeerSetup.numeric(p.address());
            if (p.prefixLength() != a.getAddress().length * 8 || inner.sourceFor(a).isEmpty()) continue;
            return new PeerIdleProbe(new IdleProbe(times, IdleProbe.DEFAULT_GRACE_SECONDS), a, line);
        }
        throw new UserError(ExitCode.USAGE, "--idle-probe: [Peer] " + phone.name() + " has no single-address AllowedIPs (/32 or /128)"
                + " of an [Interface] Address's family: nothing to send the echo requests to");
    }

    void attach(WgInterface core, UdpDriver driver) {
        this.core = core;
        this.driver = driver;
        line.accept("idle probe: after " + times() + " s of silence on the mapping, an echo request to "
                + target.getHostAddress() + " (the phone answers it; turn its PersistentKeepalive off)");
    }

    private String times() {
        return String.join(", ", probe.schedule().stream().map(ProbeWords::seconds).toList());
    }

    private PeerStatus status() {
        return core.status().get(0);
    }

    /** Any datagram the driver sent or received. */
    void onDatagram(long now, InetSocketAddress remote) {
        InetSocketAddress ep = status().endpoint();
        if (ep != null && ep.equals(remote)) probe.onTraffic(now);
    }

    void onTick(long now) {
        PeerStatus s = status();
        Double t = probe.due(now, s.endpoint(), s.rxBytes());
        if (t != null) {
            pending = new Pinger(target, IDENTIFIER, 1, 1_000_000_000L, Math.round(IdleProbe.DEFAULT_GRACE_SECONDS * 1e9),
                    InnerStack.DEFAULT_DATA_BYTES);
            driver.addPing(pending, false);
            line.accept("idle probe: " + ProbeWords.seconds(t) + " s of silence with " + PeerLines.endpoint(s.endpoint())
                    + ": echo request sent");
        }
        IdleProbe.Result r = probe.onTick(now, s.endpoint(), s.rxBytes());
        if (r != null) say(r);
    }

    /** True when the ping was the probe's (its lines are not ping's). */
    boolean onPingReply(Pinger p, long now) {
        if (p != pending) return false;
        IdleProbe.Result r = probe.onReply(now);
        if (r != null) say(r);
        return true;
    }

    boolean onPingFinished(Pinger p, Pinger.Statistics s) {
        if (p != pending) return false;
        pending = null;
        if (s.received() == 0) {
            line.accept(String.format(Locale.ROOT, "idle probe: no reply within %s s; waiting for the phone to come back"
                    + " (from a new port: the mapping died)", ProbeWords.seconds(IdleProbe.DEFAULT_GRACE_SECONDS)));
        }
        return true;
    }

    private void say(IdleProbe.Result r) {
        String t = ProbeWords.seconds(r.idleSeconds());
        line.accept(switch (r.outcome()) {
            case LIVED -> "idle probe: " + t + " s: reply: the mapping lived " + t + " s idle";
            case DIED -> "idle probe: " + t + " s: the phone came back from " + PeerLines.endpoint(r.after()) + " (was "
                    + PeerLines.endpoint(r.before()) + "): the mapping died within " + t + " s idle";
            case NO_REPLY_SAME_ENDPOINT -> "idle probe: " + t + " s: no reply, but the phone came back from the same endpoint: not"
                    + " proven (it may not have answered, or the NAT reused the port for a new mapping)";
        });
        if (probe.done()) line.accept("idle probe: mapping lifetime " + ProbeWords.bracket(probe.bracket()));
    }

    /** The closing line. */
    String summary() {
        Bracket b = probe.bracket();
        String pendingWords = probe.awaitingReturn() ? "; the last request is unanswered and the phone has not come back" : "";
        return "idle probe: mapping lifetime " + ProbeWords.bracket(b) + pendingWords;
    }
}
