package io.tidemark.query;

import java.util.List;

/**
 * A range query: buckets of {@code stepMs} aligned to multiples of the step since the epoch, covering every
 * bucket that intersects [startMs, endMs]; each series aggregated over time per bucket, then optionally
 * across series.
 */
public record RangeQuery(String tenant, Selector selector, long startMs, long endMs, long stepMs,
        AggregationFunction overTime, double quantile, CrossSeries across, int limit) {

    /** Series with equal {@code groupBy} labels (or equal labels except {@code without}) are combined. */
    public record CrossSeries(AggregationFunction function, List<String> groupBy, List<String> without) {
    }

    public long firstBucket() {
        return Math.floorDiv(startMs, stepMs) * stepMs;
    }

    /** Exclusive end of the last bucket. */
    public long endOfLastBucket() {
        return Math.floorDiv(endMs, stepMs) * stepMs + stepMs;
    }

    public long buckets() {
        return (endOfLastBucket() - firstBucket()) / stepMs;
    }
}
