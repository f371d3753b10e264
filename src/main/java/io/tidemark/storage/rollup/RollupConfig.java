package io.tidemark.storage.rollup;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** {@code tidemark.rollup.*}: the background job computing the 1m, 1h and 1d tiers. */
@ConfigMapping(prefix = "tidemark.rollup")
public interface RollupConfig {

    /** Whether this replica runs the job (one replica at a time holds its lease anyway). */
    @WithDefault("true")
    boolean enabled();

    /** How often the job runs. */
    @WithDefault("30s")
    Duration interval();

    /**
     * A minute is rolled up once its end is this far in the past. A sample committed later than this after its own
     * timestamp is late: its minute (and the hour and day holding it) is recomputed on the next run.
     */
    @WithDefault("60s")
    Duration settle();

    /** Whether the planner answers range queries from rollups when the step allows it. */
    @WithDefault("true")
    boolean queries();
}
