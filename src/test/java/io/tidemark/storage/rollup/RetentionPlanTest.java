package io.tidemark.storage.rollup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** Retention decisions over a simulated year: each level keeps exactly its window, and nothing goes before its rollup. */
class RetentionPlanTest {

    private static final long DAY = 86_400_000L;

    private static Map<RetentionPlan.Level, Long> defaults() {
        Map<RetentionPlan.Level, Long> r = new EnumMap<>(RetentionPlan.Level.class);
        r.put(RetentionPlan.Level.RAW, 15 * DAY);
        r.put(RetentionPlan.Level.CHUNKS, 15 * DAY);
        r.put(RetentionPlan.Level.MINUTE, 90 * DAY);
        r.put(RetentionPlan.Level.HOUR, 365 * DAY);
        r.put(RetentionPlan.Level.DAY, 1825 * DAY);
        return r;
    }

    private static Map<RollupTier, OptionalLong> done(long minute, long hour, long day) {
        Map<RollupTier, OptionalLong> d = new EnumMap<>(RollupTier.class);
        d.put(RollupTier.MINUTE, OptionalLong.of(minute));
        d.put(RollupTier.HOUR, OptionalLong.of(hour));
        d.put(RollupTier.DAY, OptionalLong.of(day));
        return d;
    }

    @Test
    void aYearOfDailyRunsKeepsEachLevelsWindowAndNothingElse() {
        List<RetentionPlan.Partition> live = new ArrayList<>();
        long t0 = 20_000 * DAY; // a day boundary
        for (int day = 0; day < 400; day++) {
            long now = t0 + day * DAY + 3_600_000; // 01:00 each day
            live.add(new RetentionPlan.Partition(RetentionPlan.Level.RAW, "samples_" + day, t0 + day * DAY));
            live.add(new RetentionPlan.Partition(RetentionPlan.Level.MINUTE, "m_" + day, t0 + day * DAY));
            long hourPart = Math.floorDiv(t0 + day * DAY, RollupTier.HOUR.partitionMs()) * RollupTier.HOUR.partitionMs();
            if (live.stream().noneMatch(p -> p.level() == RetentionPlan.Level.HOUR && p.fromMs() == hourPart)) {
                live.add(new RetentionPlan.Partition(RetentionPlan.Level.HOUR, "h_" + hourPart, hourPart));
            }
            List<RetentionPlan.Partition> drop = RetentionPlan.toDrop(live, now, defaults(),
                    done(now - 120_000, now - now % 3_600_000, now - now % DAY));
            live.removeAll(drop);
            for (RetentionPlan.Partition p : drop) {
                assertTrue(p.toMs() <= now - defaults().get(p.level()), p + " dropped before its retention");
            }
            for (RetentionPlan.Partition p : live) {
                assertTrue(p.toMs() > now - defaults().get(p.level()), p + " kept past its retention on day " + day);
            }
        }
        // 15 days back from 01:00 reach into a 16th daily partition
        assertEquals(16, live.stream().filter(p -> p.level() == RetentionPlan.Level.RAW).count());
        assertEquals(91, live.stream().filter(p -> p.level() == RetentionPlan.Level.MINUTE).count());
    }

    @Test
    void nothingGoesBeforeTheCoarserTierHoldsItsSpan() {
        long now = 20_100 * DAY;
        RetentionPlan.Partition old = new RetentionPlan.Partition(RetentionPlan.Level.RAW, "samples_old", now - 30 * DAY);
        RetentionPlan.Partition oldMinute = new RetentionPlan.Partition(RetentionPlan.Level.MINUTE, "m_old", now - 100 * DAY);
        List<RetentionPlan.Partition> all = List.of(old, oldMinute);
        assertEquals(List.of(), RetentionPlan.toDrop(all, now, defaults(), done(now - 31 * DAY, now - 101 * DAY, 0)),
                "the minute tier is behind the raw partition, the hour tier behind the minute one");
        Map<RollupTier, OptionalLong> none = new EnumMap<>(RollupTier.class);
        for (RollupTier t : RollupTier.values()) {
            none.put(t, OptionalLong.empty());
        }
        assertEquals(List.of(), RetentionPlan.toDrop(all, now, defaults(), none), "no rollups at all: keep everything");
        assertEquals(all, RetentionPlan.toDrop(all, now, defaults(), done(now, now, now)));
    }
}
