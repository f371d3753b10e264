package io.tidemark.query;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** {@code tidemark.query.*}: limits that keep one query from taking the service down. */
@ConfigMapping(prefix = "tidemark.query")
public interface QueryConfig {

    /** Series one query may select. */
    @WithDefault("10000")
    int maxSeries();

    /** Buckets of one range query ((end - start) / step). */
    @WithDefault("11000")
    int maxBuckets();

    /** Points (series × non-empty buckets) in one answer. */
    @WithDefault("1000000")
    int maxPoints();

    /** How long one query may run before it is abandoned with DEADLINE_EXCEEDED. */
    @WithDefault("30s")
    Duration timeout();
}
