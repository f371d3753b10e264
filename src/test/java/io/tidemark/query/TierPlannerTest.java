package io.tidemark.query;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tidemark.storage.rollup.RollupTier;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which storage answers which buckets: tiers where complete and fresh, raw samples for the rest. */
class TierPlannerTest {

    private static final long MIN = 60_000;
    private static final long HOUR = 60 * MIN;
    private static final long DAY = 24 * HOUR;
    private static final long T0 = 20_000 * DAY;

    private static RangeQuery query(long fromMs, long toMs, long step) {
        return new RangeQuery("t", new Selector("m", List.of()), fromMs, toMs - 1, step, AggregationFunction.AVG, 0, null, 0);
    }

    private static TierPlanner.Segment seg(RollupTier tier, long from, long to) {
        return new TierPlanner.Segment(tier, from, to);
    }

    @Test
    void theCoarsestTierTheStepAllowsThenFinerOnesThenRaw() {
        Map<RollupTier, Long> done = Map.of(RollupTier.MINUTE, T0 + 2 * DAY + 3 * HOUR,
                RollupTier.HOUR, T0 + 2 * DAY + HOUR, RollupTier.DAY, T0 + 2 * DAY);
        assertEquals(List.of(seg(RollupTier.HOUR, T0, T0 + 2 * DAY + HOUR),
                seg(RollupTier.MINUTE, T0 + 2 * DAY + HOUR, T0 + 2 * DAY + 3 * HOUR),
                seg(null, T0 + 2 * DAY + 3 * HOUR, T0 + 3 * DAY)), TierPlanner.plan(query(T0, T0 + 3 * DAY, HOUR), done, Map.of()),
                "an hourly step: the 1d tier does not divide it");
    }

    @Test
    void onlyTiersWhoseResolutionDividesTheStep() {
        Map<RollupTier, Long> done = Map.of(RollupTier.MINUTE, T0 + DAY, RollupTier.HOUR, T0 + DAY, RollupTier.DAY, T0 + DAY);
        assertEquals(List.of(seg(RollupTier.DAY, T0, T0 + DAY), seg(null, T0 + DAY, T0 + 2 * DAY)),
                TierPlanner.plan(query(T0, T0 + 2 * DAY, DAY), done, Map.of()));
        assertEquals(List.of(seg(RollupTier.HOUR, T0, T0 + DAY), seg(null, T0 + DAY, T0 + 2 * DAY)),
                TierPlanner.plan(query(T0, T0 + 2 * DAY, 2 * HOUR), done, Map.of()));
        assertEquals(List.of(seg(null, T0, T0 + DAY)), TierPlanner.plan(query(T0, T0 + DAY, 90_000), done, Map.of()));
        assertEquals(List.of(seg(RollupTier.MINUTE, T0, T0 + DAY), seg(null, T0 + DAY, T0 + 2 * DAY)),
                TierPlanner.plan(query(T0, T0 + 2 * DAY, 5 * MIN), done, Map.of()));
    }

    @Test
    void aDirtyBucketMakesItsTierAndCoarserOnesStaleButNotFinerOnes() {
        Map<RollupTier, Long> done = Map.of(RollupTier.MINUTE, T0 + 3 * HOUR, RollupTier.HOUR, T0 + 3 * HOUR);
        // a late sample in minute 70: 1m stale from there; the 1h tier from hour 1
        assertEquals(List.of(seg(RollupTier.HOUR, T0, T0 + HOUR), seg(null, T0 + HOUR, T0 + 4 * HOUR)),
                TierPlanner.plan(query(T0, T0 + 4 * HOUR, HOUR), done, Map.of(RollupTier.MINUTE, T0 + 70 * MIN)));
        assertEquals(List.of(seg(RollupTier.MINUTE, T0, T0 + 70 * MIN), seg(null, T0 + 70 * MIN, T0 + 4 * HOUR)),
                TierPlanner.plan(query(T0, T0 + 4 * HOUR, MIN), done, Map.of(RollupTier.MINUTE, T0 + 70 * MIN)));
        // an hour waiting for its recomputation leaves the minute tier alone
        assertEquals(List.of(seg(RollupTier.MINUTE, T0, T0 + 3 * HOUR), seg(null, T0 + 3 * HOUR, T0 + 4 * HOUR)),
                TierPlanner.plan(query(T0, T0 + 4 * HOUR, MIN), done, Map.of(RollupTier.HOUR, T0)));
    }

    @Test
    void onlyWholeQueryBucketsComeFromATier() {
        Map<RollupTier, Long> done = Map.of(RollupTier.MINUTE, T0 + 7 * MIN);
        assertEquals(List.of(seg(RollupTier.MINUTE, T0, T0 + 5 * MIN), seg(null, T0 + 5 * MIN, T0 + 10 * MIN)),
                TierPlanner.plan(query(T0, T0 + 10 * MIN, 5 * MIN), done, Map.of()));
    }
}
