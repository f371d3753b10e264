package io.tidemark.query;

import java.util.List;

/**
 * A range query: buckets of {@code stepMs} aligned to multiples of the step since the epoch (shifted by
 * {@code alignmentMs}, which only instant queries set), covering every
 * bucket that intersects [startMs, endMs]; each series aggregated over time per bucket, then optionally
 * across series.
 */
public record RangeQuery(String tenant, Selector selector, long startMs, long endMs, long stepMs,
        AggregationFunction overTime, double quantile, CrossSeries across, int limit, long alignmentMs) {

    public RangeQuery(String tenant, Selector selector, long startMs, long endMs, long stepMs,
            AggregationFunction overTime, double quantile, CrossSeries across, int limit) {
        this(tenant, selector, startMs, endMs, stepMs, overTime, quantile, across, limit, 0);
    }

    /** One bucket (time - window, time]: an instant query. Its point is stamped with the bucket start. */
    public static RangeQuery instant(String tenant, Selector selector, long timeMs, long windowMs,
            AggregationFunction overTime, double quantile, CrossSeries across, int limit) {
        long start = timeMs - windowMs + 1;
        return new RangeQuery(tenant, selector, start, start, windowMs, overTime, quantile, across, limit,
                windowMs > 0 ? Math.floorMod(start, windowMs) : 0);
    }

    /** The same query over its buckets [fromMs, toMs) only (both bucket boundaries). */
    public RangeQuery buckets(long fromMs, long toMs) {
        return new RangeQuery(tenant, selector, fromMs, toMs - 1, stepMs, overTime, quantile, across, limit, alignmentMs);
    }

    /** The start of the bucket holding {@code ts}. */
    public long bucketOf(long ts) {
        return ts - Math.floorMod(ts - alignmentMs, stepMs);
    }

    /** Series with equal {@code groupBy} labels (or equal labels except {@code without}) are combined. */
    public record CrossSeries(AggregationFunction function, List<String> groupBy, List<String> without) {
    }

    public long firstBucket() {
        return bucketOf(startMs);
    }

    /** Exclusive end of the last bucket. */
    public long endOfLastBucket() {
        return bucketOf(endMs) + stepMs;
    }

    public long buckets() {
        return (endOfLastBucket() - firstBucket()) / stepMs;
    }
}
