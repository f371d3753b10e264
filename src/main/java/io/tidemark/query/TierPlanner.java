package io.tidemark.query;

import io.tidemark.storage.rollup.RollupTier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Which storage answers which buckets of a range query: the coarsest rollup tier whose resolution divides the step
 * answers the buckets it holds complete and fresh (before its progress and before any bucket marked dirty by late
 * samples); finer tiers take over from there, and raw samples answer the rest (the newest buckets).
 */
final class TierPlanner {

    /** Buckets [fromMs, toMs) answered by {@code tier}, or by raw samples when tier is null. */
    record Segment(RollupTier tier, long fromMs, long toMs) {
    }

    private TierPlanner() {
    }

    /**
     * @param doneUntil  per tier, every bucket before it is rolled up
     * @param firstDirty per tier, the earliest bucket near or in the range marked for recomputation (absent: none);
     *                   a tier is stale from the earliest mark of itself or any finer tier
     */
    static List<Segment> plan(RangeQuery q, Map<RollupTier, Long> doneUntil, Map<RollupTier, Long> firstDirty) {
        List<Segment> segments = new ArrayList<>();
        long cursor = q.firstBucket();
        long end = q.endOfLastBucket();
        RollupTier[] tiers = RollupTier.values();
        for (int i = tiers.length - 1; i >= 0 && cursor < end; i--) {
            RollupTier tier = tiers[i];
            Long done = doneUntil.get(tier);
            if (done == null || q.stepMs() % tier.resolutionMs() != 0 || q.alignmentMs() % tier.resolutionMs() != 0) {
                continue;
            }
            long dirty = Long.MAX_VALUE;
            for (int finer = 0; finer <= i; finer++) {
                dirty = Math.min(dirty, firstDirty.getOrDefault(tiers[finer], Long.MAX_VALUE));
            }
            long fresh = Math.min(done, dirty == Long.MAX_VALUE ? Long.MAX_VALUE : tier.bucketOf(dirty));
            long split = Math.min(end, q.bucketOf(fresh)); // only whole query buckets
            if (split > cursor) {
                segments.add(new Segment(tier, cursor, split));
                cursor = split;
            }
        }
        if (cursor < end) {
            segments.add(new Segment(null, cursor, end));
        }
        return segments;
    }
}
