package dev.wgdiag.peer;

import dev.wgdiag.wire.Endian;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Issue 10 item 3 at the interface: one million forged or replayed transport datagrams (replays of
 * captured messages, bit flips anywhere, random counters, truncations) against a live session; none
 * may be delivered or count as heard, and the rejections are reported as a bounded number of events
 * whose counts add up to every datagram.
 */
class ForgeryTest extends TwoPeers {
    @Test
    void shouldAcceptNoneOfAMillionForgedOrReplayedDatagrams() {
        configure(0, 0);
        List<byte[]> captured = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            client.send(pingToServer(i));
        }
        client.sentOfType(4).forEach(d -> captured.add(d.bytes()));
        int delivered = server.delivered.size();
        assertEquals(64, delivered);
        SplittableRandom rnd = new SplittableRandom(2024);
        int tries = 1_000_000;
        long accepted = 0;
        long events = 0;
        long reported = 0;
        for (int i = 0; i < tries; i++) {
            byte[] m = captured.get(rnd.nextInt(captured.size())).clone();
            switch (i % 4) {
                case 0 -> { } // plain replay
                case 1 -> m[16 + rnd.nextInt(m.length - 16)] ^= (byte) (1 << rnd.nextInt(8)); // ciphertext or tag bit
                case 2 -> Endian.putLe64(m, 8, rnd.nextLong());                                   // another counter
                default -> m[4 + rnd.nextInt(12)] ^= (byte) (1 << rnd.nextInt(8));              // index or counter bit
            }
            List<Action> actions = server.wg.onDatagram(m, 0, m.length, client.address, net.now);
            for (Action a : actions) {
                if (a instanceof Action.DeliverInner || a instanceof Action.SendDatagram) {
                    accepted++;
                } else if (a instanceof Action.Emit e && e.event().kind() == PeerEvent.Kind.DATAGRAM_REJECTED) {
                    events++;
                    reported += e.event().count();
                } else {
                    accepted++;
                }
            }
        }
        List<Action> summary = server.wg.onTick(net.now + 2 * S);
        for (Action a : summary) {
            if (a instanceof Action.Emit e && e.event().kind() == PeerEvent.Kind.DATAGRAM_REJECTED) {
                events++;
                reported += e.event().count();
            }
        }
        assertEquals(0, accepted, "forged or replayed datagrams accepted");
        assertEquals(tries, reported, "every rejection is counted");
        assertTrue(events <= 100, "a bounded number of events: " + events);
        assertEquals(delivered, server.delivered.size());
    }
}
