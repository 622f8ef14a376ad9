package dev.wgdiag.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link IdleProbe}'s rules from issue 17: after the last packet wait T, send an in-tunnel echo request;
 * a reply proves the mapping lived T; no reply and the peer later returning from a new port proves it
 * died; returning from the same endpoint proves nothing.
 */
class IdleProbeTest {
    static final long S = 1_000_000_000L;
    static final InetSocketAddress PHONE = new InetSocketAddress("203.0.113.7", 40000);
    static final InetSocketAddress PHONE_NEW_PORT = new InetSocketAddress("203.0.113.7", 51234);

    @Test
    void shouldWaitForSilenceCountedFromTheLastPacketEitherWay() {
        IdleProbe p = new IdleProbe(List.of(20.0, 10.0), 5);
        assertNull(p.due(100 * S, PHONE, 0), "nothing seen from the peer yet");
        p.onTraffic(0);
        p.onTraffic(3 * S); // e.g. our own passive keepalive
        assertNull(p.due(12 * S, PHONE, 100), "10 s from the last packet, not the first");
        assertEquals(10.0, p.due(13 * S, PHONE, 100), "the shortest idle time first");
        assertNull(p.due(14 * S, PHONE, 100), "one request at a time");
    }

    @Test
    void shouldCallAReplyALifeAndMoveToTheNextIdleTime() {
        IdleProbe p = new IdleProbe(List.of(10.0, 20.0), 5);
        p.onTraffic(0);
        p.due(10 * S, PHONE, 100);
        assertEquals(new IdleProbe.Result(10, IdleProbe.Outcome.LIVED, PHONE, null), p.onReply(10 * S + S / 10));
        assertNull(p.due(29 * S, PHONE, 200), "20 s from the reply");
        assertEquals(20.0, p.due(31 * S, PHONE, 200));
        p.onReply(31 * S);
        assertTrue(p.done());
        assertEquals(new Bracket(20.0, null, 0), p.bracket(), "every idle time lived: open above");
    }

    @Test
    void shouldCallItDeadOnlyWhenThePeerReturnsFromANewPort() {
        IdleProbe p = new IdleProbe(List.of(10.0, 20.0), 5);
        p.onTraffic(0);
        p.due(10 * S, PHONE, 100);
        p.onReply(10 * S);
        p.due(30 * S, PHONE, 200);
        assertNull(p.onTick(34 * S, PHONE, 200), "within the grace");
        assertNull(p.onTick(35 * S, PHONE, 200), "grace over: waiting for the phone");
        assertTrue(p.awaitingReturn());
        assertNull(p.onTick(300 * S, PHONE, 200), "the phone is still silent");
        IdleProbe.Result r = p.onTick(301 * S, PHONE_NEW_PORT, 400);
        assertEquals(new IdleProbe.Result(20, IdleProbe.Outcome.DIED, PHONE, PHONE_NEW_PORT), r);
        assertEquals(new Bracket(10.0, 20.0, 0), p.bracket());
    }

    @Test
    void shouldProveNothingWhenThePeerReturnsFromTheSameEndpoint() {
        IdleProbe p = new IdleProbe(List.of(10.0), 5);
        p.onTraffic(0);
        p.due(10 * S, PHONE, 100);
        p.onTick(16 * S, PHONE, 100);
        assertEquals(IdleProbe.Outcome.NO_REPLY_SAME_ENDPOINT, p.onTick(60 * S, PHONE, 300).outcome());
        assertEquals(Bracket.NONE, p.bracket());
    }
}
