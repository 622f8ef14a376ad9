package dev.wgdiag.timeline;

import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The index table follows what a receiver index stands for as whitepaper 5.4 assigns them: an
 * initiation announces its sender index I_i (an attempt until answered), the response makes I_i the
 * key of transport to the initiator; reusing an index replaces its meaning.
 */
class IndexTableTest {
    private static final PeerState A = new PeerState("peer1", 0);
    private static final PeerState B = new PeerState("peer2", 1);

    private static Session session() {
        return new Session(new TunnelState("tunnel1", 0, A, B), 0, 0);
    }

    @Test
    void shouldBeAClosedSetOfAttemptAndDirection() {
        assertTrue(IndexEntry.class.isSealed());
        assertEquals(Set.of(HandshakeAttempt.class, SessionDirection.class), Set.of(IndexEntry.class.getPermittedSubclasses()));
    }

    @Test
    void shouldAnswerAnInitiationsSenderIndexAsAnAttemptOnly() {
        IndexTable table = new IndexTable();
        HandshakeAttempt attempt = new HandshakeAttempt(null, 5);
        table.put(0x1234, attempt);

        assertSame(attempt, table.attempt(0x1234));
        assertNull(table.direction(0x1234));
        assertNull(table.transport(0x1234));
        assertNull(table.attempt(0x9999));
    }

    @Test
    void shouldTurnTheAttemptIntoTheSessionDirectionWhenTheResponseArrives() {
        IndexTable table = new IndexTable();
        table.put(0x1234, new HandshakeAttempt(null, 5));
        SessionDirection toInitiator = new SessionDirection(session(), 1, 0x1234);
        table.put(0x1234, toInitiator);

        assertNull(table.attempt(0x1234));
        assertSame(toInitiator, table.direction(0x1234));
        assertSame(toInitiator, table.transport(0x1234));
    }

    @Test
    void shouldForgetACachedDirectionWhenItsIndexIsReused() {
        IndexTable table = new IndexTable();
        SessionDirection old = new SessionDirection(session(), 0, 7);
        table.put(7, old);
        assertSame(old, table.transport(7));            // now cached
        SessionDirection renewed = new SessionDirection(session(), 1, 7);
        table.put(7, renewed);

        assertSame(renewed, table.transport(7));
    }

    @Test
    void shouldForgetEverythingWhenCleared() {
        IndexTable table = new IndexTable();
        SessionDirection d = new SessionDirection(session(), 0, 7);
        table.put(7, d);
        table.transport(7);
        table.clear();

        assertNull(table.transport(7));
        assertNull(table.direction(7));
    }
}
