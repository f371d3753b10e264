package io.tidemark.storage.rollup;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Which partitions retention drops: those whose whole span is older than the table's retention, and only once the
 * next coarser tier holds that span (a span's rollups exist before its finer data goes). Pure: tested without a
 * database over many retention cycles.
 */
public final class RetentionPlan {

    /** A stored level: raw samples, or a rollup tier. */
    public enum Level {
        RAW("samples", 86_400_000L, RollupTier.MINUTE),
        /** Compressed chunks are raw data too: they follow the raw retention. */
        CHUNKS("chunks", 86_400_000L, RollupTier.MINUTE),
        MINUTE(RollupTier.MINUTE.table(), RollupTier.MINUTE.partitionMs(), RollupTier.HOUR),
        HOUR(RollupTier.HOUR.table(), RollupTier.HOUR.partitionMs(), RollupTier.DAY),
        DAY(RollupTier.DAY.table(), RollupTier.DAY.partitionMs(), null);

        final String table;
        final long partitionMs;
        /** The tier that must hold a span before this level's data for it may go. */
        final RollupTier keeper;

        Level(String table, long partitionMs, RollupTier keeper) {
            this.table = table;
            this.partitionMs = partitionMs;
            this.keeper = keeper;
        }

        public String table() {
            return table;
        }
    }

    /** One partition: its table's level and its span [fromMs, fromMs + level.partitionMs). */
    public record Partition(Level level, String name, long fromMs) {
        long toMs() {
            return fromMs + level.partitionMs;
        }
    }

    private RetentionPlan() {
    }

    /**
     * @param retentionMs per level, how long its data is kept
     * @param doneUntil   per tier, every bucket before it is rolled up
     */
    public static List<Partition> toDrop(List<Partition> partitions, long nowMs, Map<Level, Long> retentionMs,
            Map<RollupTier, OptionalLong> doneUntil) {
        List<Partition> drop = new ArrayList<>();
        for (Partition p : partitions) {
            boolean expired = p.toMs() <= nowMs - retentionMs.get(p.level());
            OptionalLong kept = p.level().keeper == null ? OptionalLong.of(Long.MAX_VALUE) : doneUntil.get(p.level().keeper);
            if (expired && kept != null && kept.isPresent() && kept.getAsLong() >= p.toMs()) {
                drop.add(p);
            }
        }
        return drop;
    }
}
