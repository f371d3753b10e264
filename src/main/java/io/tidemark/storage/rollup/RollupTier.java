package io.tidemark.storage.rollup;

/** The rollup tiers, finest first; each is computed from the one before it (1m from raw samples). */
public enum RollupTier {
    MINUTE("1m", 60_000L, 86_400_000L),
    HOUR("1h", 3_600_000L, 30 * 86_400_000L),
    DAY("1d", 86_400_000L, 360 * 86_400_000L);

    private final String label;
    private final long resolutionMs;
    private final long partitionMs;

    RollupTier(String label, long resolutionMs, long partitionMs) {
        this.label = label;
        this.resolutionMs = resolutionMs;
        this.partitionMs = partitionMs;
    }

    /** "1m", "1h", "1d": the key in rollup_progress and rollup_dirty, and the table suffix. */
    public String label() {
        return label;
    }

    public String table() {
        return "rollups_" + label;
    }

    public long resolutionMs() {
        return resolutionMs;
    }

    /** Width of one partition of the tier's table, aligned to the epoch. */
    public long partitionMs() {
        return partitionMs;
    }

    /** The tier this one is computed from, or null for the minute tier (raw samples). */
    public RollupTier source() {
        return this == MINUTE ? null : values()[ordinal() - 1];
    }

    public RollupTier coarser() {
        return ordinal() + 1 < values().length ? values()[ordinal() + 1] : null;
    }

    public long bucketOf(long ts) {
        return ts - Math.floorMod(ts, resolutionMs);
    }
}
