package io.tidemark.cache;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** {@code tidemark.cache.*}: the Redis cache of closed query buckets. */
@ConfigMapping(prefix = "tidemark.cache")
public interface CacheConfig {

    /** Whether range queries use the Redis cache at all. */
    @WithDefault("true")
    boolean enabled();

    /**
     * How long after its end a bucket counts as closed and may be cached. A sample that arrives more than this
     * after its own timestamp is late: it invalidates the cached buckets of its metric. Must exceed the clock
     * skew between Tidemark replicas.
     */
    @WithDefault("60s")
    Duration settle();

    /** How long a cached bucket lives in Redis. */
    @WithDefault("6h")
    Duration ttl();

    /** How long one Redis call may take before the query goes on without the cache. */
    @WithDefault("250ms")
    Duration redisTimeout();

    /** How often Redis' availability is checked; a Redis that comes back is used again after the next check. */
    @WithDefault("5s")
    Duration redisCheckInterval();

    /** A bucket whose encoded answer is larger than this is not cached (recomputed each time). */
    @WithDefault("262144")
    int maxBucketBytes();
}
