package io.tidemark.query;

import io.tidemark.storage.SqlFloats;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

/**
 * Aggregation over time in Java, for samples read from chunks: the same answers as the SQL of the head-only path
 * (NaN ordered as PostgreSQL orders it; the quantile at rank floor(q·(n−1))).
 */
final class BucketAggregator {

    private BucketAggregator() {
    }

    /** One series' points (sorted by time, unique timestamps) aggregated per bucket of {@code q}. */
    static Optional<ResultSeries> aggregate(RangeQuery q, Map<String, String> labels, long[] ts, double[] values, int n) {
        if (q.overTime() == AggregationFunction.RATE || q.overTime() == AggregationFunction.INCREASE) {
            CounterIncrease counter = new CounterIncrease(q, q.overTime() == AggregationFunction.RATE);
            for (int i = 0; i < n; i++) {
                counter.add(ts[i], values[i]);
            }
            return counter.finish(labels);
        }
        PointsBuilder points = new PointsBuilder();
        int i = 0;
        while (i < n && ts[i] < q.firstBucket()) {
            i++;
        }
        while (i < n && ts[i] < q.endOfLastBucket()) {
            long bucket = q.bucketOf(ts[i]);
            int from = i;
            while (i < n && ts[i] < bucket + q.stepMs()) {
                i++;
            }
            points.add(bucket, of(q, values, from, i));
        }
        ResultSeries series = points.build(labels);
        return series.timestamps().length == 0 ? Optional.empty() : Optional.of(series);
    }

    /** The aggregate of values[from, to), a non-empty bucket in time order. */
    private static double of(RangeQuery q, double[] values, int from, int to) {
        switch (q.overTime()) {
            case AVG, SUM -> {
                double sum = 0;
                for (int i = from; i < to; i++) {
                    sum += values[i];
                }
                return q.overTime() == AggregationFunction.SUM ? sum : sum / (to - from);
            }
            case MIN, MAX -> {
                double m = q.overTime() == AggregationFunction.MIN ? Double.NaN : Double.NEGATIVE_INFINITY;
                for (int i = from; i < to; i++) {
                    m = q.overTime() == AggregationFunction.MIN ? SqlFloats.min(m, values[i]) : SqlFloats.max(m, values[i]);
                }
                return m;
            }
            case COUNT -> {
                return to - from;
            }
            case LAST -> {
                return values[to - 1];
            }
            case QUANTILE -> {
                double[] sorted = Arrays.copyOfRange(values, from, to); // NaN last, as PostgreSQL orders it
                Arrays.sort(sorted);
                return sorted[(int) Math.floor(q.quantile() * (sorted.length - 1))];
            }
            default -> throw new IllegalStateException(q.overTime() + " is a counter function");
        }
    }
}
