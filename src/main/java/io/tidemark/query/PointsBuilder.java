package io.tidemark.query;

import java.util.Arrays;
import java.util.Map;

/** Collects (timestamp, value) points into primitive arrays. */
final class PointsBuilder {
    private long[] timestamps = new long[16];
    private double[] values = new double[16];
    private int size;

    void add(long ts, double value) {
        if (size == timestamps.length) {
            timestamps = Arrays.copyOf(timestamps, size * 2);
            values = Arrays.copyOf(values, size * 2);
        }
        timestamps[size] = ts;
        values[size] = value;
        size++;
    }

    ResultSeries build(Map<String, String> labels) {
        return new ResultSeries(labels, Arrays.copyOf(timestamps, size), Arrays.copyOf(values, size));
    }
}
