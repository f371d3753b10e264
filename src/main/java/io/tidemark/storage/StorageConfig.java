package io.tidemark.storage;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** {@code tidemark.storage.*}: the sample write path and the series registry. Documented in docs/configuration.md. */
@ConfigMapping(prefix = "tidemark.storage")
public interface StorageConfig {

    /** Samples per INSERT statement: a flush is cut when it reaches this size. */
    @WithDefault("10000")
    int flushSamples();

    /** How long a small write may wait for others to share its flush (group commit). */
    @WithDefault("2ms")
    Duration flushLinger();

    /** Flushes in flight at once, each on its own connection. */
    @WithDefault("4")
    int flushConcurrency();

    /** Samples waiting for a flush; past this bound new writes are refused (RESOURCE_EXHAUSTED / 429). */
    @WithDefault("500000")
    int maxQueuedSamples();

    /** Series ids held in memory as known; others are upserted (ON CONFLICT DO NOTHING) with their samples. */
    @WithDefault("1000000")
    int seriesCacheSize();

    /** Daily partitions of the samples table created ahead of today. */
    @WithDefault("2")
    int partitionDaysAhead();

    /**
     * How long after its end a 2-hour block is compacted into chunks (once its minutes are rolled up too). Samples
     * arriving later (within the late window) are merged into the chunk on the next pass.
     */
    @WithDefault("10m")
    java.time.Duration compactionDelay();
}
