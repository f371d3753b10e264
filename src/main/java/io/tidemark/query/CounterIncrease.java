package io.tidemark.query;

import io.tidemark.storage.rollup.RollupFolder;
import java.util.Map;
import java.util.Optional;

/**
 * increase / rate of one counter series per bucket, from its samples in time order. Each step between two
 * consecutive samples at most {@link RollupFolder#COUNTER_LOOKBACK_MS} apart belongs to the bucket of the later one
 * (a longer gap is an absence, not a step); a drop is a counter reset, so the later value counts whole (it grew
 * from 0). The rollup tiers keep the same per-minute increases, so both answer alike. No extrapolation to the bucket edges (unlike Prometheus' rate()):
 * the increases of adjacent buckets add up exactly to the increase of the range.
 */
final class CounterIncrease {

    private final RangeQuery query;
    private final boolean perSecond;
    private final PointsBuilder points = new PointsBuilder();
    private boolean hasPrevious;
    private double previous;
    private long previousTs;
    private long bucket = Long.MIN_VALUE;
    private double increase;
    private boolean any;

    CounterIncrease(RangeQuery query, boolean perSecond) {
        this.query = query;
        this.perSecond = perSecond;
    }

    void add(long ts, double value) {
        if (hasPrevious && ts >= query.firstBucket() && ts - previousTs <= RollupFolder.COUNTER_LOOKBACK_MS) {
            long b = query.bucketOf(ts);
            if (b != bucket) {
                flush();
                bucket = b;
            }
            increase += value >= previous ? value - previous : value;
            any = true;
        }
        previous = value;
        previousTs = ts;
        hasPrevious = true;
    }

    private void flush() {
        if (any) {
            points.add(bucket, perSecond ? increase / (query.stepMs() / 1000.0) : increase);
        }
        increase = 0;
        any = false;
    }

    Optional<ResultSeries> finish(Map<String, String> labels) {
        flush();
        ResultSeries series = points.build(labels);
        return series.timestamps().length == 0 ? Optional.empty() : Optional.of(series);
    }
}
