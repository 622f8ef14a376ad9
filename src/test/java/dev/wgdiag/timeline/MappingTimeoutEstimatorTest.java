package dev.wgdiag.timeline;

import dev.wgdiag.time.Timestamp;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The estimator on gap lists whose brackets follow by hand from the rule in docs/analysis-json.md
 * ("MappingTimeout": the mapping lived at least the longest gap it survived, died within the shortest
 * one it lost; each refresh model counts idle time its own way; no evidence, no bounds).
 */
class MappingTimeoutEstimatorTest {
    private static Evidence gap(double at, GapOutcome outcome, double idleOutbound, double idleAny) {
        return new Evidence(Timestamp.of((long) (at * 1e9), 6), outcome, idleOutbound, idleAny, new Observation.InboundDelivered("peer1"));
    }

    private static Evidence survived(double at, double idleOutbound, double idleAny) {
        return gap(at, GapOutcome.SURVIVED, idleOutbound, idleAny);
    }

    private static Evidence expired(double at, double idleOutbound, double idleAny) {
        return gap(at, GapOutcome.EXPIRED, idleOutbound, idleAny);
    }

    @Test
    void shouldBracketBetweenTheLongestSurvivalAndTheShortestExpiry() {
        List<Evidence> survivals = List.of(survived(100, 30, 30), survived(200, 45, 40));
        List<Evidence> expiries = List.of(expired(300, 90, 90), expired(400, 65, 60));

        MappingTimeout m = MappingTimeoutEstimator.estimate("peer2", Viewpoint.OUTSIDE, survivals, expiries, List.of());

        assertTrue(m.observed());
        // outbound-only model: (45, 65]; any-direction model: (40, 60]; both consistent: lower 40 (short way), upper 65 (long way)
        assertEquals(45.0, m.outboundOnly().lowerSeconds());
        assertEquals(65.0, m.outboundOnly().upperSeconds());
        assertEquals(40.0, m.anyDirection().lowerSeconds());
        assertEquals(60.0, m.anyDirection().upperSeconds());
        assertEquals(RefreshModel.EITHER, m.refreshModel());
        assertEquals(40.0, m.lowerSeconds());
        assertEquals(65.0, m.upperSeconds());
        assertEquals(2, m.survivedGaps());
        assertEquals(2, m.expiredGaps());
    }

    @Test
    void shouldGiveOnlyALowerBoundWhenNoGapExpired() {
        MappingTimeout m = MappingTimeoutEstimator.estimate("peer2", Viewpoint.OUTSIDE,
                List.of(survived(100, 50, 25), survived(200, 120, 30)), List.of(), List.of());

        assertTrue(m.observed());
        assertEquals(30.0, m.lowerSeconds());
        assertNull(m.upperSeconds());
    }

    @Test
    void shouldCallItContradictoryWhenTheMappingOutlivedALongerGapThanOneItLostUnderBothModels() {
        MappingTimeout m = MappingTimeoutEstimator.estimate("peer2", Viewpoint.OUTSIDE,
                List.of(survived(100, 120, 120)), List.of(expired(200, 60, 60)), List.of());

        assertEquals(RefreshModel.CONTRADICTORY, m.refreshModel());
        assertNull(m.lowerSeconds());
        assertNull(m.upperSeconds());
    }

    @Test
    void shouldTellInboundRefreshWhenOnlyTheAnyDirectionBracketHolds() {
        // survived 120 s of outbound silence while inbound kept coming (20 s either way); lost 60 s of silence both ways
        MappingTimeout m = MappingTimeoutEstimator.estimate("peer2", Viewpoint.OUTSIDE,
                List.of(survived(100, 120, 20)), List.of(expired(200, 60, 60)), List.of());

        assertEquals(RefreshModel.ANY_DIRECTION, m.refreshModel());
        assertEquals(20.0, m.lowerSeconds());
        assertEquals(60.0, m.upperSeconds());
    }

    @Test
    void shouldGuessNothingWithoutGaps() {
        MappingTimeout m = MappingTimeoutEstimator.estimate("peer2", Viewpoint.OUTSIDE, List.of(), List.of(),
                List.of(new MappingNote.NoIdleGap("peer2", 120)));

        assertFalse(m.observed());
        assertNull(m.lowerSeconds());
        assertNull(m.upperSeconds());
        assertEquals(RefreshModel.NOT_OBSERVED, m.refreshModel());
        assertEquals(new MappingNote(RefreshModel.NOT_OBSERVED, List.of(new MappingNote.NoIdleGap("peer2", 120))), m.note());
    }

    @Test
    void shouldKeepEveryExpiryAndTheLongestSurvivalsAsEvidenceInTimeOrder() {
        List<Evidence> survivals = new ArrayList<>();
        for (int i = 1; i <= 50; i++) survivals.add(survived(i * 10, i, i));
        List<Evidence> expiries = new ArrayList<>();
        for (int i = 0; i < 38; i++) expiries.add(expired(1000 + i, 100 + i, 100 + i));

        MappingTimeout m = MappingTimeoutEstimator.estimate("peer2", Viewpoint.OUTSIDE, survivals, expiries, List.of());

        // 38 expiries leave room for 2 survivals, but at least 5 of the longest are kept: 46..50 s
        assertEquals(43, m.evidence().size());
        List<Double> survivedKept = new ArrayList<>();
        for (Evidence e : m.evidence()) if (e.outcome() == GapOutcome.SURVIVED) survivedKept.add(e.idleOutboundSeconds());
        assertEquals(List.of(46.0, 47.0, 48.0, 49.0, 50.0), survivedKept);
        for (int i = 1; i < m.evidence().size(); i++) {
            assertTrue(m.evidence().get(i - 1).time().compareTo(m.evidence().get(i).time()) <= 0, "in time order");
        }
    }
}
