package dev.wgdiag.peer;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ping(8)'s bookkeeping on a virtual clock: sequences from 1, one request per interval, duplicates
 * ("DUP!"), loss, the wait for the last replies, and iputils' statistics (mdev = sqrt(mean(rtt^2) -
 * mean(rtt)^2), worked by hand below).
 */
class PingerTest {
    private static final long MS = 1_000_000L;
    private static final long S = 1_000 * MS;
    private final InetAddress target = ip("10.0.0.1");
    private final InnerStack us = new InnerStack(List.of(ip("10.0.0.2")));
    private final InnerStack them = new InnerStack(List.of(target));

    @Test
    void shouldSendOneRequestPerIntervalWithSequencesFromOne() {
        Pinger p = new Pinger(target, 77, 3, S, 10 * S, 56);
        p.start(0);
        assertEquals(1, p.due(0));
        assertEquals(-1, p.due(S - 1));
        assertEquals(2, p.due(S));
        assertEquals(3, p.due(2 * S + 5));
        assertEquals(Long.MAX_VALUE, p.nextSendAt(), "count reached");
        assertEquals(-1, p.due(10 * S));
    }

    @Test
    void shouldGiveIputilsStatisticsForRoundTripsOfOneTwoAndThreeMilliseconds() {
        Pinger p = new Pinger(target, 77, 3, S, 10 * S, 56);
        p.start(0);
        for (int i = 0; i < 3; i++) {
            long sent = i * S;
            int seq = p.due(sent);
            Pinger.Reply r = p.onReply(answer(seq, 77, sent), sent + (i + 1) * MS);
            assertEquals(new Pinger.Reply(target, seq, 64, 64, (i + 1) * MS, false), r);
        }
        assertTrue(p.finished(2 * S + 3 * MS), "all answered");
        Pinger.Statistics s = p.statistics();
        // min 1, avg 2, max 3 ms; mdev = sqrt((1 + 4 + 9) / 3 - 2^2) = sqrt(2/3) = 0.816 ms
        assertEquals(new Pinger.Statistics(target, 3, 3, 0, 2 * S + 3 * MS, MS, 2 * MS, 3 * MS, 816_497), s);
        assertEquals(0.0, s.lossPercent());
    }

    @Test
    void shouldCountADuplicateOnceAndIgnoreOtherIdentifiersAndSenders() {
        Pinger p = new Pinger(target, 77, 2, S, 10 * S, 56);
        p.start(0);
        int seq = p.due(0);
        assertFalse(p.onReply(answer(seq, 77, 0), 2 * MS).duplicate());
        assertTrue(p.onReply(answer(seq, 77, 0), 3 * MS).duplicate());
        assertNull(p.onReply(answer(seq, 78, 0), 3 * MS), "another ping's identifier");
        assertNull(p.onReply(new InnerStack.EchoReply(ip("10.0.0.3"), 77, seq, 64, 64, 0), 3 * MS), "another sender");
        assertNull(p.onReply(answer(2, 77, 0), 3 * MS), "a sequence not sent yet");
        Pinger.Statistics s = p.statistics();
        assertEquals(1, s.received());
        assertEquals(1, s.duplicates());
    }

    @Test
    void shouldWaitForTheLastReplyOnlyUntilTheTimeoutAndCountTheLoss() {
        Pinger p = new Pinger(target, 77, 3, S, 2 * S, 56);
        p.start(0);
        p.due(0);
        p.onReply(answer(1, 77, 0), 5 * MS);
        p.due(S);
        p.due(2 * S);
        assertFalse(p.finished(2 * S + 2 * S - 1), "still waiting for sequences 2 and 3");
        assertTrue(p.finished(4 * S));
        Pinger.Statistics s = p.statistics();
        assertEquals(3, s.transmitted());
        assertEquals(1, s.received());
        assertEquals(200.0 / 3, s.lossPercent(), 1e-9);
    }

    @Test
    void shouldEndAnEndlessPingOnlyWhenTold() {
        Pinger p = new Pinger(target, 77, 0, S, 2 * S, 56);
        p.start(0);
        for (int i = 0; i < 100; i++) p.due(i * S);
        assertFalse(p.finished(1000 * S));
        p.end(100 * S);
        assertTrue(p.finished(100 * S));
        assertEquals(Long.MAX_VALUE, p.nextSendAt());
        assertEquals(99 * S, p.statistics().elapsedNanos(), "from the first to the last request");
        assertEquals(-1, p.statistics().minNanos(), "no round trip without a reply");
    }

    /** A real echo reply from the target's stack to our request. */
    private InnerStack.EchoReply answer(int seq, int id, long sentNanos) {
        InnerStack.Answer a = (InnerStack.Answer) them.receive(us.echoRequest(target, id, seq, sentNanos, 56));
        return (InnerStack.EchoReply) us.receive(a.reply());
    }

    private static InetAddress ip(String s) {
        try {
            return InetAddress.getByName(s);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
